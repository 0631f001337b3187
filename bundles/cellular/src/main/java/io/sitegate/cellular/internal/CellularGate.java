package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.ModemStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cellular policy in front of one modem's data session: the SIM/device binding (gate
 * {@code imei-binding}), the allowed networks ({@code network}) and the data quota ({@code quota-data})
 * combined into one {@link GateDecision}; SMS sending is judged separately ({@code quota-sms}).
 * A {@code DataSessionGate} service calls {@link #evaluate} at every status refresh, raises the events
 * it returns and persists the ledger when it is {@link QuotaLedger#dirty() dirty}. Thread-safe.
 */
public final class CellularGate {
    /** The gate name of binding refusals. */
    public static final String BINDING_GATE = "imei-binding";

    private final String modemId;
    private final ImeiBinding binding;
    private final QuotaLedger ledger;
    private final NetworkGate network = new NetworkGate();
    private CellularPolicy policy;
    private String reportedBinding = "";
    private String reportedNetwork = "";

    /**
     * @param modemId the modem it guards, for events
     * @param policy  the policy in force; the binding and the ledger must have been built with its
     *                binding and quota parts (later changes go through {@link #updatePolicy})
     */
    public CellularGate(String modemId, CellularPolicy policy, ImeiBinding binding, QuotaLedger ledger) {
        this.modemId = Objects.requireNonNull(modemId, "modemId");
        this.binding = Objects.requireNonNull(binding, "binding");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (!binding.policy().equals(policy.binding()) || !ledger.policy().equals(policy.quota())) {
            throw new IllegalArgumentException("the binding and the ledger must be built with the policy's own parts");
        }
    }

    /** Applies a new (validated) policy; returns quota thresholds now reached under new limits. */
    public synchronized List<CellularEvent> updatePolicy(CellularPolicy newPolicy) {
        policy = Objects.requireNonNull(newPolicy, "policy");
        binding.updatePolicy(newPolicy.binding());
        reportedBinding = "";
        reportedNetwork = "";
        return ledger.updatePolicy(newPolicy.quota());
    }

    /** The policy in force. */
    public synchronized CellularPolicy policy() {
        return policy;
    }

    /**
     * Counts the modem's usage, then decides. Usage is counted whatever the decision (bytes of a session
     * being taken down still cost).
     */
    public synchronized GateOutcome evaluate(ModemStatus status) {
        List<CellularEvent> events = new ArrayList<>(ledger.observe(status.usage(), status.smsSent(), status.smsReceived()));

        BindingVerdict verdict = binding.check(status.identity());
        GateDecision bindingDecision = verdict.allowed() ? GateDecision.allow()
                : GateDecision.deny(BINDING_GATE, verdict.reason());
        String bindingKey = verdict.allowed() ? "" : verdict.outcome() + "|" + verdict.seenImei() + "|"
                + verdict.seenIccid() + "|" + verdict.expected();
        // Only a swap is a violation to report (event, alert SMS); an unreadable identity just refuses.
        if (!bindingKey.isEmpty() && !bindingKey.equals(reportedBinding) && verdict.violation()) {
            events.add(CellularEvents.bindingViolated(modemId, verdict));
        }
        reportedBinding = bindingKey;

        GateDecision networkDecision = network.check(policy.network(), status);
        String networkKey = networkDecision.allowed() ? "" : networkDecision.reason();
        if (!networkKey.isEmpty() && !networkKey.equals(reportedNetwork)) {
            events.add(CellularEvents.networkNotAllowed(modemId, status.plmn().orElse(""), networkDecision.reason()));
        }
        reportedNetwork = networkKey;

        GateDecision decision = !bindingDecision.allowed() ? bindingDecision
                : !networkDecision.allowed() ? networkDecision
                : ledger.checkData();
        return new GateOutcome(decision, verdict, events);
    }

    /** Whether the gateway may send an SMS now (the MO quota). */
    public GateDecision checkSmsSend() {
        return ledger.checkSmsSend();
    }

    /**
     * The data session came up: under {@code auto} the binding learns the pair.
     *
     * @return the change to persist ({@link BindingDocument#encode}) and raise ({@link #event}), if any
     */
    public Optional<BindingChange> sessionUp(ModemStatus status) {
        return binding.learn(status.identity());
    }

    /** An administrator's (or a policy's) re-binding: clears the learned pair; delete the document. */
    public Optional<BindingChange> resetBinding(String by) {
        Optional<BindingChange> change = binding.reset(by);
        synchronized (this) {
            reportedBinding = "";
        }
        return change;
    }

    /** The event for a binding change ({@code cellular/BINDING_CHANGED}). */
    public CellularEvent event(BindingChange change) {
        return CellularEvents.bindingChanged(modemId, change);
    }

    /** The binding, for status and persistence. */
    public ImeiBinding binding() {
        return binding;
    }

    /** The quota ledger, for status, overrides and persistence. */
    public QuotaLedger ledger() {
        return ledger;
    }
}
