package io.sitegate.cellular;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The monthly quotas of a {@link CellularPolicy}. A limit of {@code 0} means unlimited.
 *
 * @param dataLimitBytes bytes up and down per billing cycle
 * @param smsMoLimit     SMS sent per billing cycle
 * @param smsMtLimit     SMS received per billing cycle
 * @param cycleStartDay  day of the month (1 to 28) a billing cycle starts on, at midnight in {@code zone}
 * @param zone           the time zone of the billing cycle
 * @param action         what happens when a limit is reached
 * @param thresholds     warning levels in percent of a limit, strictly ascending, each 1 to 100
 * @param checkInterval  how often a running session's usage is checked against the quotas
 */
public record QuotaPolicy(long dataLimitBytes, long smsMoLimit, long smsMtLimit, int cycleStartDay, ZoneId zone,
                          QuotaAction action, List<Integer> thresholds, Duration checkInterval) {

    /** The largest limit accepted (1 PB, or a quadrillion SMS): keeps percent arithmetic exact. */
    public static final long MAX_LIMIT = 1_000_000_000_000_000L;

    public QuotaPolicy {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(checkInterval, "checkInterval");
        thresholds = List.copyOf(thresholds);
        for (long limit : new long[] {dataLimitBytes, smsMoLimit, smsMtLimit}) {
            if (limit < 0 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("a limit must be 0 (unlimited) to " + MAX_LIMIT + ", not " + limit);
            }
        }
        for (int t : thresholds) {
            if (t < 1 || t > 100) {
                throw new IllegalArgumentException("a threshold must be 1 to 100 %, not " + t);
            }
        }
        if (cycleStartDay < 1 || cycleStartDay > 28) {
            throw new IllegalArgumentException("cycle start day must be 1 to 28, not " + cycleStartDay);
        }
    }

    /** No limits, cycles from the 1st in UTC, notify only, warnings at 80 and 100 %, checked every minute. */
    public static QuotaPolicy unlimited() {
        return new QuotaPolicy(0, 0, 0, 1, ZoneOffset.UTC, QuotaAction.NOTIFY, List.of(80, 100), Duration.ofMinutes(1));
    }

    /** The limit of one quota, {@code 0} when unlimited. */
    public long limit(QuotaKind kind) {
        return switch (kind) {
            case DATA -> dataLimitBytes;
            case SMS_MO -> smsMoLimit;
            case SMS_MT -> smsMtLimit;
        };
    }
}
