package io.sitegate.modem;

import java.util.Objects;

/**
 * A {@link DataSessionGate}'s answer.
 *
 * @param allowed whether the data session may run
 * @param gate    which gate decided (for example {@code imei-binding}); empty when allowed
 * @param reason  why not, shown in the modem status and health; empty when allowed
 */
public record GateDecision(boolean allowed, String gate, String reason) {
    private static final GateDecision ALLOW = new GateDecision(true, "", "");

    public GateDecision {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(reason, "reason");
    }

    public static GateDecision allow() {
        return ALLOW;
    }

    public static GateDecision deny(String gate, String reason) {
        return new GateDecision(false, gate, reason);
    }
}
