package io.sitegate.cellular;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the radio part of the policy (RAT order, pinned network, custom DNS) is applied to a modem.
 *
 * @param phase  where it stands
 * @param detail what was applied, what failed (with the modem's error) or what it waits for
 * @param at     when it was last applied or attempted
 */
public record RadioPolicyStatus(Phase phase, String detail, Optional<Instant> at) {

    /** Where the application stands. */
    public enum Phase {
        /** The policy sets nothing on the radio (modem settings left alone). */
        NOTHING_TO_APPLY,
        /** Waiting for the modem's AT link to be ready. */
        WAITING,
        /** Applied to the modem. */
        APPLIED,
        /** The modem refused or failed; the detail carries its error. */
        FAILED
    }

    public RadioPolicyStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
