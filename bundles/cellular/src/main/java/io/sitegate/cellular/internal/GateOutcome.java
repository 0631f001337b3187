package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.modem.GateDecision;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link CellularGate#evaluate} found.
 *
 * @param decision the combined decision for the modem's data session (the first refusal wins:
 *                 binding, then network, then data quota)
 * @param binding  the binding's own verdict, for status and health
 * @param events   events to raise now: a new binding violation, a new disallowed network,
 *                 quota thresholds crossed; each is reported once, not at every evaluation
 */
public record GateOutcome(GateDecision decision, BindingVerdict binding, List<CellularEvent> events) {
    public GateOutcome {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(binding, "binding");
        events = List.copyOf(events);
    }
}
