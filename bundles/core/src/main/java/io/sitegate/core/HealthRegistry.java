package io.sitegate.core;

import java.util.Optional;
import java.util.SortedMap;

/**
 * Where capabilities report their health. The registry is bundle-scoped: what a bundle reported is
 * withdrawn when that bundle stops, so a removed capability never leaves a stale line behind.
 * The policy agent reads it to decide whether a freshly applied policy must be rolled back.
 */
public interface HealthRegistry {

    /**
     * Reports the health of a capability. Reporting the same state and reason again changes
     * nothing (listeners are not called, {@code since} is kept).
     *
     * @param capability stable name, lower case, {@code /} separates instances ({@code modem/wan0})
     * @param state      the state
     * @param reason     why; shown to the technician; must not contain secrets
     */
    void report(String capability, HealthState state, String reason);

    /** Removes a capability (for example a modem whose configuration was deleted). */
    void withdraw(String capability);

    /** Every capability's current health, ordered by capability name. */
    SortedMap<String, Health> snapshot();

    /** The current health of one capability. */
    Optional<Health> get(String capability);

    /** Registers a listener called on every change; close the registration to remove it. */
    Registration addListener(HealthListener listener);
}
