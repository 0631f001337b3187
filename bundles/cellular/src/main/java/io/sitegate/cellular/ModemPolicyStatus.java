package io.sitegate.cellular;

import io.sitegate.modem.GateDecision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The cellular policy as enforced on one modem, for the shell and the status report.
 *
 * @param modem          the modem id
 * @param decision       the gate's last decision on the data session (allowed, or the first refusal)
 * @param binding        the binding's last verdict (what it saw and expected)
 * @param learned        the pair learned under {@code auto}, if any
 * @param bindingProblem why the binding state may not be what it should (unreadable, not persisted)
 * @param quota          the quota ledger
 * @param radio          whether the radio settings are applied
 * @param checked        when the gate last decided; empty before its first decision
 */
public record ModemPolicyStatus(String modem, GateDecision decision, Optional<BindingVerdict> binding,
                                Optional<LearnedBinding> learned, Optional<String> bindingProblem, QuotaStatus quota,
                                RadioPolicyStatus radio, Optional<Instant> checked) {
    public ModemPolicyStatus {
        Objects.requireNonNull(modem, "modem");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(learned, "learned");
        Objects.requireNonNull(bindingProblem, "bindingProblem");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(radio, "radio");
        Objects.requireNonNull(checked, "checked");
    }
}
