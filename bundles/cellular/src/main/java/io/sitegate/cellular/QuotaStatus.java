package io.sitegate.cellular;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The quota ledger as the shell and the status report show it.
 *
 * @param cycle             the current billing cycle
 * @param data              bytes up and down
 * @param smsMo             SMS sent
 * @param smsMt             SMS received
 * @param action            what happens at a limit
 * @param override          an administrator's override in force, if any
 * @param countersAvailable whether the modem reported data counters at all (else data cannot be enforced)
 * @param problem           why the counters may be incomplete (for example the persisted ledger was
 *                          unreadable and counting restarted), empty when they are complete
 */
public record QuotaStatus(BillingCycle cycle, QuotaUsage data, QuotaUsage smsMo, QuotaUsage smsMt, QuotaAction action,
                          Optional<QuotaOverride> override, boolean countersAvailable, Optional<String> problem) {
    public QuotaStatus {
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(smsMo, "smsMo");
        Objects.requireNonNull(smsMt, "smsMt");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(override, "override");
        Objects.requireNonNull(problem, "problem");
    }

    /** The three quotas, data first. */
    public List<QuotaUsage> all() {
        return List.of(data, smsMo, smsMt);
    }
}
