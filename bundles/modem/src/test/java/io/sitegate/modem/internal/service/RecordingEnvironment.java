package io.sitegate.modem.internal.service;

import io.sitegate.core.HealthState;
import io.sitegate.modem.DataSessionGate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link KeeperEnvironment} that records what the keeper reports. */
final class RecordingEnvironment implements KeeperEnvironment {
    final List<DataSessionGate> gates = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> eventProperties = new CopyOnWriteArrayList<>();
    final AtomicReference<String> health = new AtomicReference<>("");
    final AtomicReference<byte[]> usage = new AtomicReference<>();
    final AtomicReference<String> iccid = new AtomicReference<>();

    @Override
    public List<DataSessionGate> gates() {
        return gates;
    }

    @Override
    public void health(HealthState state, String reason) {
        health.set(state + ": " + reason);
    }

    @Override
    public void event(String topic, Map<String, Object> properties) {
        events.add(topic);
        eventProperties.add(properties);
    }

    @Override
    public void saveUsage(byte[] document) {
        usage.set(document);
    }

    @Override
    public Optional<String> lastIccid() {
        return Optional.ofNullable(iccid.get());
    }

    @Override
    public void saveIccid(String value) {
        iccid.set(value);
    }
}
