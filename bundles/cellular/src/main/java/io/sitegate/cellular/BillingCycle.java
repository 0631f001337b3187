package io.sitegate.cellular;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * One billing cycle: from midnight of the start day in the cycle's time zone to midnight of the same
 * day one month later (exclusive). Midnight is the first instant of that local date, so a DST change
 * moves the instant, never the date.
 *
 * @param start first instant of the cycle
 * @param end   first instant of the next cycle
 */
public record BillingCycle(ZonedDateTime start, ZonedDateTime end) {
    public BillingCycle {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("cycle end " + end + " is not after its start " + start);
        }
    }

    /**
     * The cycle that contains {@code instant}.
     *
     * @param startDay day of the month, 1 to 28 (so every month has it)
     */
    public static BillingCycle containing(Instant instant, int startDay, ZoneId zone) {
        if (startDay < 1 || startDay > 28) {
            throw new IllegalArgumentException("cycle start day must be 1 to 28, not " + startDay);
        }
        LocalDate today = instant.atZone(zone).toLocalDate();
        LocalDate first = today.withDayOfMonth(startDay);
        if (first.isAfter(today)) {
            first = first.minusMonths(1);
        }
        return new BillingCycle(first.atStartOfDay(zone), first.plusMonths(1).atStartOfDay(zone));
    }

    /** Whether the instant lies in this cycle. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start.toInstant()) && instant.isBefore(end.toInstant());
    }

    /** The cycle after this one. */
    public BillingCycle next() {
        LocalDate first = end.toLocalDate();
        return new BillingCycle(end, first.plusMonths(1).atStartOfDay(end.getZone()));
    }
}
