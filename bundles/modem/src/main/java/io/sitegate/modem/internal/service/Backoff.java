package io.sitegate.modem.internal.service;

import java.time.Duration;
import java.util.Random;

/** Exponential back-off with jitter, for reopening a port and for retrying an activation. */
final class Backoff {
    private Backoff() {
    }

    /** {@code initial * 2^(failures-1)} capped at {@code max}, then jittered to [50 %, 100 %] of that. */
    static Duration delay(Duration initial, Duration max, int failures, Random random) {
        long base = Math.min(max.toMillis(), initial.toMillis() << Math.min(20, Math.max(0, failures - 1)));
        return Duration.ofMillis(base / 2 + (long) (random.nextDouble() * (base / 2.0)));
    }
}
