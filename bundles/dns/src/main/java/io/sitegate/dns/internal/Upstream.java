package io.sitegate.dns.internal;

import io.sitegate.core.HealthState;
import io.sitegate.dns.UpstreamStatus;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream with its health. A failure (timeout, SERVFAIL, refused, TLS, a mismatched answer) pauses
 * it: it is skipped for one second, then two, doubling up to 30 seconds, except for one query when each
 * pause ends, which tests whether it is back. One good answer makes it healthy again.
 */
final class Upstream {

    private static final long FIRST_PAUSE_NANOS = 1_000_000_000L;
    private static final long MAX_PAUSE_NANOS = 30_000_000_000L;

    private final UpstreamSpec spec;
    private final String route;
    /** What an answer from it says answered ("upstream udp://..."), made once. */
    private final String source;
    private final LongAdder queries = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private int consecutiveFailures;
    private long retryAtNanos;
    private String lastFailure = "";
    /** Smoothed latency in nanoseconds (EWMA, 1/8 weight like TCP's SRTT). */
    private long latencyNanos;

    Upstream(UpstreamSpec spec, String route) {
        this.spec = spec;
        this.route = route;
        this.source = "upstream " + spec;
    }

    String source() {
        return source;
    }

    UpstreamSpec spec() {
        return spec;
    }

    String route() {
        return route;
    }

    /** Whether a query may go to it now; when a pause just ended, lets this one query through as the test. */
    synchronized boolean usable(long now) {
        if (consecutiveFailures == 0) {
            return true;
        }
        if (now - retryAtNanos >= 0) {
            retryAtNanos = now + pause();
            return true;
        }
        return false;
    }

    synchronized void succeeded(long tookNanos) {
        queries.increment();
        consecutiveFailures = 0;
        latencyNanos = latencyNanos == 0 ? tookNanos : latencyNanos + (tookNanos - latencyNanos) / 8;
    }

    synchronized void failed(long now, String why) {
        queries.increment();
        failures.increment();
        consecutiveFailures++;
        lastFailure = why;
        retryAtNanos = now + pause();
    }

    private long pause() {
        int doublings = Math.min(consecutiveFailures - 1, 5);
        return Math.min(MAX_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.max(0, doublings));
    }

    synchronized boolean healthy() {
        return consecutiveFailures == 0;
    }

    /** Status for the shell; {@code tunnelDown} says the route's tunnel is not UP. */
    synchronized UpstreamStatus status(String tunnelDown) {
        HealthState state;
        String reason;
        if (tunnelDown != null) {
            state = HealthState.DOWN;
            reason = "not used: " + tunnelDown;
        } else if (consecutiveFailures > 0) {
            state = HealthState.DEGRADED;
            reason = consecutiveFailures + " failure(s), last: " + lastFailure;
        } else {
            state = HealthState.UP;
            reason = queries.sum() == 0 ? "not asked yet" : "answering";
        }
        return new UpstreamStatus(spec.toString(), route, state, reason, Duration.ofNanos(latencyNanos),
                queries.sum(), failures.sum());
    }
}
