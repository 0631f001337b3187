package io.sitegate.filter.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses each allowed name resolved to, until their answers expire: what {@code filter-test} decides with,
 * and what a reloaded table is given back (so a name stays allowed across a reload or an update of the rules).
 * Bounded: at most {@link #MAX} entries; the soonest to expire go first.
 */
final class FqdnAddresses {
    static final int MAX = 65_536;
    private final Map<String, Map<InetAddress, Instant>> byName = new ConcurrentHashMap<>();

    void add(String name, List<InetAddress> addresses, Instant expires) {
        Map<InetAddress, Instant> m = byName.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        addresses.forEach(a -> m.merge(a, expires, (x, y) -> x.isAfter(y) ? x : y));
        if (size() > MAX) {
            prune(Instant.now());
        }
    }

    Collection<InetAddress> addresses(String name, Instant now) {
        Map<InetAddress, Instant> m = byName.get(name);
        if (m == null) {
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>();
        m.forEach((a, exp) -> {
            if (exp.isAfter(now)) {
                out.add(a);
            }
        });
        return out;
    }

    /** What is still valid, with the time it has left. */
    List<NftRenderer.Known> known(Instant now) {
        prune(now);
        List<NftRenderer.Known> out = new ArrayList<>();
        byName.forEach((name, m) -> m.forEach((a, exp) -> out.add(new NftRenderer.Known(name, a, Duration.between(now, exp)))));
        return out;
    }

    int size() {
        return byName.values().stream().mapToInt(Map::size).sum();
    }

    private void prune(Instant now) {
        byName.values().forEach(m -> m.values().removeIf(exp -> !exp.isAfter(now)));
        byName.values().removeIf(Map::isEmpty);
        while (size() > MAX) {
            // the soonest to expire
            String name = null;
            InetAddress addr = null;
            Instant soonest = Instant.MAX;
            for (var e : byName.entrySet()) {
                for (var a : e.getValue().entrySet()) {
                    if (a.getValue().isBefore(soonest)) {
                        soonest = a.getValue();
                        name = e.getKey();
                        addr = a.getKey();
                    }
                }
            }
            if (name == null) {
                return;
            }
            byName.get(name).remove(addr);
        }
    }
}
