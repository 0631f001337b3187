package io.sitegate.cellular.command;

import io.sitegate.cellular.DataSize;
import io.sitegate.cellular.QuotaKind;
import io.sitegate.cellular.QuotaUsage;
import io.sitegate.cellular.RecentEvent;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the cellular commands write values for a technician. */
final class CellularText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    private CellularText() {
    }

    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    /** Bytes for data, a plain count for SMS. */
    static String amount(QuotaKind kind, long value) {
        return kind == QuotaKind.DATA ? DataSize.format(value) : Long.toString(value);
    }

    /** {@code [#####.....] 52 %}, ten characters, capped at full; {@code no limit} when unlimited. */
    static String bar(QuotaUsage u) {
        if (u.unlimited()) {
            return "no limit";
        }
        long percent = u.percent();
        int filled = (int) Math.min(10, percent / 10);
        return "[" + "#".repeat(filled) + ".".repeat(10 - filled) + "] " + percent + " %";
    }

    /** {@code - } for nothing. */
    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** The last {@code max} events whose topic ends with one of the names, oldest first. */
    static void printEvents(PrintStream out, List<RecentEvent> events, int max, String... names) {
        List<RecentEvent> matching = events.stream().filter(e -> List.of(names).contains(e.name())).toList();
        if (matching.isEmpty()) {
            return;
        }
        out.println();
        out.println("Recent events:");
        for (RecentEvent e : matching.subList(Math.max(0, matching.size() - max), matching.size())) {
            String props = e.event().properties().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(" "));
            out.println("  " + when(e.at()) + "  " + e.name() + "  " + props);
        }
    }
}
