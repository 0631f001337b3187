package io.sitegate.core.internal;

import io.sitegate.core.Health;
import io.sitegate.core.HealthListener;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;

import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway-wide table of capability health behind every bundle's {@link io.sitegate.core.HealthRegistry}.
 * Each entry remembers the bundle that reported it, so a stopping bundle's entries can be withdrawn.
 * Listeners are called on one dispatch thread, in the order the changes happened, never under the
 * table's lock and never on the reporter's thread (a slow listener cannot stall a modem's I/O).
 */
public final class HealthTable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthTable.class);
    private static final Pattern CAPABILITY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,63}");

    private record Entry(long owner, Health health) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final BiConsumer<Health, Health> changeSink;
    private final ExecutorService dispatch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sitegate-health");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param changeSink told about every change on the dispatch thread, before listeners (used to
     *                   post EventAdmin events)
     */
    public HealthTable(Clock clock, BiConsumer<Health, Health> changeSink) {
        this.clock = clock;
        this.changeSink = changeSink;
    }

    public void report(long owner, String capability, HealthState state, String reason) {
        if (capability == null || !CAPABILITY.matcher(capability).matches()) {
            throw new IllegalArgumentException("invalid capability name '" + capability
                    + "': expected lower-case letters, digits, '.', '_', '-', '/' (at most 64)");
        }
        if (state == null) {
            throw new IllegalArgumentException("state of '" + capability + "' is null");
        }
        String why = reason == null ? "" : reason;
        synchronized (entries) {
            Entry old = entries.get(capability);
            if (old != null && old.health.state() == state && old.health.reason().equals(why)) {
                return;
            }
            Health now = new Health(capability, state,
                    why, old != null && old.health.state() == state ? old.health.since() : clock.instant());
            entries.put(capability, new Entry(owner, now));
            publish(old == null ? null : old.health, now);
        }
    }

    public void withdraw(String capability) {
        synchronized (entries) {
            Entry old = entries.remove(capability);
            if (old != null) {
                publish(old.health, null);
            }
        }
    }

    /** Withdraws everything the given bundle reported. */
    public void withdrawAll(long owner) {
        synchronized (entries) {
            entries.entrySet().removeIf(e -> {
                if (e.getValue().owner == owner) {
                    publish(e.getValue().health, null);
                    return true;
                }
                return false;
            });
        }
    }

    public SortedMap<String, Health> snapshot() {
        synchronized (entries) {
            SortedMap<String, Health> copy = new TreeMap<>();
            entries.forEach((k, v) -> copy.put(k, v.health));
            return Collections.unmodifiableSortedMap(copy);
        }
    }

    public Optional<Health> get(String capability) {
        synchronized (entries) {
            return Optional.ofNullable(entries.get(capability)).map(Entry::health);
        }
    }

    public Registration addListener(HealthListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Stops the dispatch thread after delivering what is queued. */
    public void close() {
        dispatch.shutdown();
        try {
            dispatch.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Called under the lock, so changes enter the queue in the order they happened.
    private void publish(Health previous, Health current) {
        Health shown = current != null ? current : previous;
        if (current != null && current.state() != HealthState.UP) {
            LOG.warn("{} is {}: {}", shown.capability(), current.state(), current.reason());
        } else {
            LOG.info("{} is {}", shown.capability(), current == null ? "withdrawn" : current.state());
        }
        if (dispatch.isShutdown()) {
            return;
        }
        dispatch.execute(() -> {
            deliver(() -> changeSink.accept(previous, current));
            for (HealthListener l : listeners) {
                deliver(() -> l.healthChanged(previous, current));
            }
        });
    }

    private static void deliver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("health listener failed", e);
        }
    }
}
