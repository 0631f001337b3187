package io.sitegate.modem.internal.session;

import io.sitegate.modem.internal.codec.LineFramer;
import java.time.Duration;

/**
 * Knobs of an {@link AtSession}; the defaults suit real modems, tests shorten them.
 *
 * @param maxLineBytes longer lines are dropped
 * @param pollInterval how long one transport read blocks (bounds the reaction to close())
 * @param resyncQuietPeriod silence required after the sync probes are answered
 * @param resyncTimeout total time the sync probes may take before the next command fails
 * @param urcQueueCapacity URCs buffered for the dispatcher thread
 */
public record SessionTuning(int maxLineBytes, Duration pollInterval, Duration resyncQuietPeriod,
                            Duration resyncTimeout, int urcQueueCapacity) {

    /** Defaults for real modems. */
    public static SessionTuning defaults() {
        return new SessionTuning(LineFramer.DEFAULT_MAX_LINE_BYTES, Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofSeconds(5), 65_536);
    }
}
