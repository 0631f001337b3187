package io.sitegate.cellular;

import java.util.List;
import java.util.Objects;

/**
 * One quota in the current billing cycle.
 *
 * @param kind      which quota
 * @param used      counted so far in this cycle
 * @param limit     the configured limit, {@code 0} when unlimited
 * @param warned    the thresholds (percent) already reported in this cycle, ascending
 */
public record QuotaUsage(QuotaKind kind, long used, long limit, List<Integer> warned) {
    public QuotaUsage {
        Objects.requireNonNull(kind, "kind");
        warned = List.copyOf(warned);
    }

    /** Whether there is no limit. */
    public boolean unlimited() {
        return limit == 0;
    }

    /** Used in percent of the limit, rounded down ({@code 0} when unlimited). */
    public long percent() {
        if (unlimited()) {
            return 0;
        }
        return java.math.BigInteger.valueOf(used).multiply(java.math.BigInteger.valueOf(100))
                .divide(java.math.BigInteger.valueOf(limit)).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /** Whether {@code percent} % of the limit is used (never when unlimited). */
    public boolean atLeast(int percent) {
        return !unlimited() && used >= amountAt(limit, percent);
    }

    /** The smallest count that is at least {@code percent} % of {@code limit}. */
    public static long amountAt(long limit, int percent) {
        // limits are capped far below Long.MAX_VALUE / 100 (QuotaPolicy.MAX_LIMIT), so this cannot overflow
        return (limit * percent + 99) / 100;
    }

    /** Whether the limit is reached (never when unlimited). */
    public boolean reached() {
        return !unlimited() && used >= limit;
    }
}
