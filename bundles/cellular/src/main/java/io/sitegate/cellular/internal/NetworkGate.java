package io.sitegate.cellular.internal;

import io.sitegate.cellular.NetworkPolicy;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.ModemStatus;

import java.util.Optional;

/**
 * Decides on the network the modem is registered on against the allowed PLMNs. It judges the network
 * only: while the modem is not registered there is no network to judge and it allows (the modem starts
 * no session unregistered anyway, and a refusal here would hide the real reason). While registered on
 * a network whose PLMN is not known (the operator was not read in numeric format), it refuses when an
 * allowlist is set: fail closed, a roaming bill is a real cost. The RAT order is carried by the policy
 * and applied through the modem profile, which refuses what the modem cannot do. Stateless.
 */
public final class NetworkGate {
    /** The gate name in {@link GateDecision}s. */
    public static final String GATE = "network";

    /** The decision for the modem's current registration. */
    public GateDecision check(NetworkPolicy policy, ModemStatus status) {
        if (policy.allowedPlmns().isEmpty() || !status.registered()) {
            return GateDecision.allow();
        }
        Optional<String> plmn = status.plmn();
        String allowed = String.join(", ", policy.allowedPlmns());
        if (plmn.isEmpty()) {
            return GateDecision.deny(GATE, "registered, but the network (PLMN) is not known yet; allowed networks: " + allowed);
        }
        if (policy.allows(plmn.get())) {
            return GateDecision.allow();
        }
        boolean roaming = status.registration().map(r -> r.status().isRoaming()).orElse(false);
        return GateDecision.deny(GATE, "registered on network " + plmn.get() + (roaming ? " (roaming)" : "")
                + ", which the policy does not allow; allowed networks: " + allowed);
    }
}
