package io.sitegate.modem.internal.service;

import io.sitegate.core.HealthState;
import io.sitegate.modem.DataSessionGate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a {@link ConnectionKeeper} needs from the OSGi world: gates, health, events, persistence. */
interface KeeperEnvironment {

    List<DataSessionGate> gates();

    void health(HealthState state, String reason);

    void event(String topic, Map<String, Object> properties);

    /** Persists the usage ledger (atomically, through the state store). */
    void saveUsage(byte[] document);

    /** The ICCID last seen in this modem, if any. */
    Optional<String> lastIccid();

    void saveIccid(String iccid);
}
