package io.sitegate.cellular;

import java.util.Objects;
import java.util.Optional;

/**
 * What the SIM/device binding decided about the modem and SIM it saw.
 *
 * @param outcome   the decision, with its kind
 * @param reason    why, in words a site technician understands; empty when plainly allowed
 * @param expected  the bound pair the decision was measured against, when there is one
 * @param seenImei  the IMEI the modem reported, empty when unreadable
 * @param seenIccid the ICCID the SIM reported (normalised), empty when unreadable
 */
public record BindingVerdict(Outcome outcome, String reason, Optional<BoundPair> expected, String seenImei,
                             String seenIccid) {

    /** The kinds of decision; the first three allow the data session. */
    public enum Outcome {
        /** The binding is off. */
        NOT_ENFORCED(true),
        /** Under auto, nothing learned yet: the session may start and its pair will be learned. */
        NOT_YET_LEARNED(true),
        /** The modem and SIM are a bound pair. */
        BOUND(true),
        /** The IMEI or ICCID could not be read or is not valid: fail closed. */
        IDENTITY_UNREADABLE(false),
        /** This SIM is bound to another modem (the modem was swapped or the SIM moved). */
        SIM_BOUND_ELSEWHERE(false),
        /** This SIM is not bound to this modem (a SIM from elsewhere was put in). */
        SIM_NOT_BOUND(false),
        /** The learned binding could not be read back: fail closed until an administrator resets it. */
        BINDING_UNREADABLE(false);

        private final boolean allowed;

        Outcome(boolean allowed) {
            this.allowed = allowed;
        }

        /** Whether the data session may run. */
        public boolean allowed() {
            return allowed;
        }
    }

    public BindingVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(seenImei, "seenImei");
        Objects.requireNonNull(seenIccid, "seenIccid");
    }

    /** Whether the data session may run. */
    public boolean allowed() {
        return outcome.allowed();
    }

    /** Whether this is a violation to report (a swap), as opposed to an unreadable identity or state. */
    public boolean violation() {
        return outcome == Outcome.SIM_BOUND_ELSEWHERE || outcome == Outcome.SIM_NOT_BOUND;
    }
}
