package io.sitegate.policy.internal.mqtt;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential back-off with full jitter: after the n-th failed attempt in a row (n from 0) the
 * wait is uniform in [0, min(max, initial * 2^n)]. Full jitter spreads a fleet that lost its broker
 * at the same moment over the whole window instead of reconnecting in waves. Not thread-safe: the
 * link's single thread uses it.
 */
final class ReconnectBackoff {
    private final long initialMillis;
    private final long maxMillis;
    private final Random random;
    private int failures;

    ReconnectBackoff(Duration initial, Duration max, Random random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off: initial " + initial + " must be > 0 and <= max " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The upper bound of the wait after {@code failures} failures in a row (0 = the first). */
    long ceilingMillis(int failures) {
        int shift = Math.min(failures, 40);
        long ceiling = initialMillis << shift;
        return ceiling <= 0 || ceiling > maxMillis || (ceiling >> shift) != initialMillis ? maxMillis : ceiling;
    }

    /** Records one more failure and returns how long to wait before the next attempt. */
    Duration nextDelay() {
        long ceiling = ceilingMillis(failures);
        failures = failures == Integer.MAX_VALUE ? failures : failures + 1;
        return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
    }

    /** Failures in a row so far. */
    int failures() {
        return failures;
    }

    /** After a connection that held: start again from {@code initial}. */
    void reset() {
        failures = 0;
    }
}
