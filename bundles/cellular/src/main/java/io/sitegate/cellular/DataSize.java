package io.sitegate.cellular;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data volumes as operators bill them and as {@code quota.data.bytes} reads them: decimal units
 * ({@code 1 MB = 1,000,000 bytes}), binary units on request ({@code MiB}).
 */
public final class DataSize {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([A-Za-z]*)");
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private DataSize() {
    }

    /**
     * Parses a whole number of bytes with an optional unit: {@code B}, {@code KB}, {@code MB}, {@code GB},
     * {@code TB} (decimal) or {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} (binary), case-insensitive.
     *
     * @param max the largest value accepted
     * @throws IllegalArgumentException saying what is wrong (negative, unknown unit, too large)
     */
    public static long parse(String text, long max) {
        String s = text.trim();
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("must not be negative (0 means unlimited)");
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a whole number of bytes with an optional unit B, KB, MB, GB, TB, KiB, MiB, GiB, TiB");
        }
        long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException("unknown unit '" + m.group(2)
                    + "' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
        };
        try {
            long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
            if (bytes > max) {
                throw new ArithmeticException();
            }
            return bytes;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too large (at most " + max + " bytes)");
        }
    }

    /** {@code 512 B}, {@code 1.50 MB}, {@code 2.00 GB}. */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, UNITS[unit]);
    }
}
