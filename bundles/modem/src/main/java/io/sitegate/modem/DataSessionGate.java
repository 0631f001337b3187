package io.sitegate.modem;

/**
 * Decides whether a modem's data session may run. Register implementations as OSGi services
 * (whiteboard); a session is only started while every gate allows it, and a running session is
 * taken down when a gate stops allowing it (checked at every status refresh and after
 * {@link Modem#reevaluateGates()}). A gate that throws counts as a refusal: fail closed.
 * Gates are called on the modem's keeper thread and must answer quickly without calling the modem.
 */
@FunctionalInterface
public interface DataSessionGate {

    /**
     * Service property: the configuration PID whose policy this gate enforces. While ConfigAdmin holds a
     * configuration {@link #CELLULAR_POLICY} but no gate enforcing it is registered (component disabled,
     * bundle stopping or being updated), a modem starts no new data session: the policy fails closed.
     */
    String ENFORCES = "sitegate.gate.enforces";

    /** The cellular policy's PID. */
    String CELLULAR_POLICY = "io.sitegate.cellular";

    /** Decides from the modem's current status (identity, SIM, registration, usage). */
    GateDecision check(ModemStatus status);

    /**
     * Decides whether an SMS may be sent now (for example an SMS quota); receiving is never refused.
     * Allows by default.
     */
    default GateDecision checkSms(ModemStatus status) {
        return GateDecision.allow();
    }
}
