package io.sitegate.tools.atbench;

import java.util.Arrays;

/** Percentiles (nearest rank) of a set of round-trip times in nanoseconds. */
final class LatencyStats {

    static final double[] LEVELS = {0.50, 0.90, 0.99, 0.999, 1.0};
    static final String[] LABELS = {"p50", "p90", "p99", "p99.9", "max"};

    private final long[] sorted;

    LatencyStats(long[] samplesNanos, int count) {
        this.sorted = Arrays.copyOf(samplesNanos, count);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** @param p in (0, 1] */
    long percentile(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double mean() {
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sorted.length == 0 ? 0 : sum / sorted.length;
    }

    static String us(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
