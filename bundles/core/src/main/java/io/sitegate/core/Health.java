package io.sitegate.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One capability's health at one moment.
 *
 * @param capability short stable name, for example {@code modem/wan0} or {@code dns}
 * @param state      the state
 * @param reason     why, in words a site technician understands; never {@code null}
 * @param since      when the capability entered this state (unchanged while the state stays the same)
 */
public record Health(String capability, HealthState state, String reason, Instant since) {
    public Health {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        reason = reason == null ? "" : reason;
    }
}
