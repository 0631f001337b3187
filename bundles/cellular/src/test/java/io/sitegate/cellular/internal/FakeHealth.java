package io.sitegate.cellular.internal;

import io.sitegate.core.Health;
import io.sitegate.core.HealthListener;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A health registry in memory. */
final class FakeHealth implements HealthRegistry {
    private final TreeMap<String, Health> entries = new TreeMap<>();

    @Override
    public synchronized void report(String capability, HealthState state, String reason) {
        entries.put(capability, new Health(capability, state, reason, Instant.EPOCH));
    }

    @Override
    public synchronized void withdraw(String capability) {
        entries.remove(capability);
    }

    @Override
    public synchronized SortedMap<String, Health> snapshot() {
        return new TreeMap<>(entries);
    }

    @Override
    public synchronized Optional<Health> get(String capability) {
        return Optional.ofNullable(entries.get(capability));
    }

    @Override
    public Registration addListener(HealthListener listener) {
        return () -> { };
    }

    Health cellular() {
        return get(CellularEnforcer.CAPABILITY).orElseThrow();
    }
}
