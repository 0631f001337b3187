package io.sitegate.core;

/**
 * The gateway's status in one snapshot: identity, version, uptime, the health of every capability,
 * and whatever keeps the gateway from being ready. The shell's {@code sitegate:status} prints it;
 * the policy agent publishes it.
 */
public interface GatewayStatus {

    /** Takes a snapshot now. */
    StatusSnapshot snapshot();
}
