package io.sitegate.filter.command;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Operators {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    private Operators() {
    }

    /** The operator running the command, as the audit names them. */
    static String who() {
        return io.sitegate.core.Operators.current();
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--for takes a duration such as 90s, 30m, 2h or 1d, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
