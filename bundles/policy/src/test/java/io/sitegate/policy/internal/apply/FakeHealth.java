package io.sitegate.policy.internal.apply;

import io.sitegate.core.Health;
import io.sitegate.core.HealthListener;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;

import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A health registry that calls its listeners on the reporter's thread. */
final class FakeHealth implements HealthRegistry {
    private final Clock clock;
    private final SortedMap<String, Health> table = new TreeMap<>();
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

    FakeHealth(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void report(String capability, HealthState state, String reason) {
        Health before = table.get(capability);
        Health after = new Health(capability, state, reason, clock.instant());
        table.put(capability, after);
        listeners.forEach(l -> l.healthChanged(before, after));
    }

    @Override
    public void withdraw(String capability) {
        Health before = table.remove(capability);
        listeners.forEach(l -> l.healthChanged(before, null));
    }

    @Override
    public SortedMap<String, Health> snapshot() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(table));
    }

    @Override
    public Optional<Health> get(String capability) {
        return Optional.ofNullable(table.get(capability));
    }

    @Override
    public Registration addListener(HealthListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    int listeners() {
        return listeners.size();
    }
}
