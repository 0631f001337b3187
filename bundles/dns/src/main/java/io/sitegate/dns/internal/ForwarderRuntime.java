package io.sitegate.dns.internal;

import io.sitegate.core.HealthState;
import io.sitegate.dns.CacheStats;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.ListenerStatus;
import io.sitegate.dns.ResolvedNameListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * One running configuration of the forwarder: its listeners, upstreams, cache and worker pool. A new
 * configuration builds a new runtime (keeping the cache when its settings did not change) and closes
 * the old one.
 */
final class ForwarderRuntime implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ForwarderRuntime.class);

    /** Threads, each with its own SO_REUSEPORT socket, per UDP address: one per core. */
    private static final int UDP_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final int WORKERS = 32;

    final DnsConfig config;
    final AnswerCache cache;
    private final Routes routes;
    private final UpstreamClient client;
    private final ThreadPoolExecutor workers;
    final Forwarder forwarder;
    private final Predicate<String> tunnelUp;
    /** Per configured entry and protocol: the bound listener, or why it is not bound. */
    private final Map<String, Object> listeners = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Traffic traffic = new Traffic();
    private volatile boolean closed;

    ForwarderRuntime(DnsConfig config, AnswerCache cache, FirewallEngine firewall, SSLContext tls,
                     Predicate<String> tunnelUp, List<ResolvedNameListener> resolvedListeners) {
        this.config = config;
        this.cache = cache;
        this.tunnelUp = tunnelUp;
        this.routes = new Routes(config);
        this.client = new UpstreamClient(tls);
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2048),
                r -> {
                    Thread t = new Thread(r, "sitegate-dns-worker");
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        Resolution resolution = new Resolution(config, firewall, routes, client, cache, tunnelUp, resolvedListeners);
        RateLimiter limiter = config.rateLimitQps() > 0 ? new RateLimiter(config.rateLimitQps(), config.rateLimitBurst()) : null;
        this.forwarder = new Forwarder(cache, firewall, resolution, workers, limiter, config.querySample());
    }

    /**
     * Tells a resolved-name listener that came after the answers (a filter restarted or updated) the allowed names
     * whose answers are in the cache, with the time they have left, so their addresses are allowed again without
     * waiting for their TTL. On a worker; blocked answers (the firewall's) are not told.
     */
    void replay(ResolvedNameListener listener) {
        workers.execute(() -> LOG.info("told a new resolved-name listener the {} allowed name(s) in the cache",
                CachedNames.replay(cache, listener, System.nanoTime())));
    }

    /** Binds every listener not bound yet (interfaces may appear after boot); called again periodically. */
    void bindPending() {
        if (closed) {
            return;
        }
        for (ListenSpec spec : config.listen()) {
            List<InetAddress> addresses;
            try {
                addresses = addresses(spec);
            } catch (SocketException | IllegalStateException e) {
                listeners.put("udp " + spec, e.getMessage());
                listeners.put("tcp " + spec, e.getMessage());
                continue;
            }
            for (InetAddress a : addresses) {
                InetSocketAddress sa = new InetSocketAddress(a, spec.port());
                String shown = (a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
                        + ":" + spec.port();
                dropPlaceholder("udp " + spec);
                dropPlaceholder("tcp " + spec);
                String wan = config.listenWan() ? null : wanInterfaceOf(a);
                if (wan != null) {
                    String why = "refused: " + a.getHostAddress() + " is on WAN interface " + wan + " (listen.wan = false)";
                    listeners.put("udp " + shown, why);
                    listeners.put("tcp " + shown, why);
                    continue;
                }
                bind("udp " + shown, () -> new UdpListener(sa, UDP_THREADS, forwarder));
                bind("tcp " + shown, () -> new TcpListener(sa, TcpLimits.of(config), forwarder));
            }
        }
    }

    /** The WAN interface that holds an address, or null. */
    private String wanInterfaceOf(InetAddress a) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(a);
            return nif != null && config.wanInterfaces().contains(nif.getName()) ? nif.getName() : null;
        } catch (SocketException e) {
            return null;
        }
    }

    /** Forgets the "waiting for interface" line of an entry whose addresses are now known. */
    private void dropPlaceholder(String key) {
        listeners.computeIfPresent(key, (k, v) -> v instanceof AutoCloseable ? v : null);
    }

    private interface Binder {
        AutoCloseable bind() throws IOException;
    }

    private void bind(String key, Binder binder) {
        if (closed || listeners.get(key) instanceof AutoCloseable) {
            return;
        }
        try {
            listeners.put(key, binder.bind());
        } catch (IOException | RuntimeException e) {
            listeners.put(key, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private List<InetAddress> addresses(ListenSpec spec) throws SocketException {
        if (spec.address() != null) {
            return List.of(spec.address());
        }
        NetworkInterface nif = NetworkInterface.getByName(spec.iface());
        if (nif == null) {
            throw new IllegalStateException("waiting for interface " + spec.iface());
        }
        List<InetAddress> list = new ArrayList<>();
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (!a.isLinkLocalAddress()) {
                list.add(a);
            }
        }
        if (list.isEmpty()) {
            throw new IllegalStateException("waiting for an address on " + spec.iface());
        }
        return list;
    }

    /** Samples the query counter for the queries-per-second figure; called once a second. */
    void tick() {
        traffic.sample(forwarder.queries.sum());
    }

    ForwarderStatus status() {
        List<ListenerStatus> ls = new ArrayList<>();
        synchronized (listeners) {
            listeners.forEach((key, v) -> {
                String[] parts = key.split(" ", 2);
                boolean bound = v instanceof AutoCloseable;
                long dropped = v instanceof TcpListener t ? t.dropped.sum() : 0;
                long refused = v instanceof TcpListener t ? t.refused.sum() : 0;
                ls.add(new ListenerStatus(parts[0], parts[1], bound, bound ? "" : String.valueOf(v), dropped, refused));
            });
        }
        CacheStats cs = new CacheStats(cache.entries(), cache.bytes(), cache.maxEntries(), cache.maxBytes(),
                cache.hits(), cache.misses(), cache.staleCount());
        return new ForwarderStatus(ls, routes.status(tunnelUp), cs, forwarder.queries.sum(), traffic.qps(),
                forwarder.blocked.sum(), forwarder.rateLimited.sum(), forwarder.malformed.sum(), forwarder.servfail.sum(),
                client.mismatchedReplies());
    }

    /** The capability's health and why, from the listeners and the upstreams. */
    Map.Entry<HealthState, String> health() {
        ForwarderStatus s = status();
        long bound = s.listeners().stream().filter(ListenerStatus::bound).count();
        List<String> problems = new ArrayList<>();
        s.listeners().stream().filter(l -> !l.bound()).forEach(l -> problems.add(l.protocol() + " " + l.address() + ": " + l.error()));
        s.upstreams().stream().filter(u -> u.state() == HealthState.DEGRADED)
                .forEach(u -> problems.add("upstream " + u.spec() + ": " + u.reason()));
        boolean bindFailed = s.listeners().stream().anyMatch(l -> !l.bound() && !l.error().startsWith("waiting"));
        if (config.listen().isEmpty()) {
            return Map.entry(HealthState.DEGRADED, "no listen addresses configured");
        }
        if (bound == 0 && bindFailed) {
            return Map.entry(HealthState.DOWN, String.join("; ", problems));
        }
        if (!problems.isEmpty()) {
            return Map.entry(HealthState.DEGRADED, String.join("; ", problems));
        }
        return Map.entry(HealthState.UP, bound + " listener(s), " + s.upstreams().size() + " upstream(s)");
    }

    @Override
    public void close() {
        closed = true;
        synchronized (listeners) {
            for (Object v : listeners.values()) {
                if (v instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing
                    }
                }
            }
            listeners.clear();
        }
        workers.shutdownNow();
        client.close();
    }

    /** Queries per second over the last ten one-second samples. */
    private static final class Traffic {
        private final long[] samples = new long[11];
        private int next;
        private int filled;

        synchronized void sample(long total) {
            samples[next] = total;
            next = (next + 1) % samples.length;
            filled = Math.min(filled + 1, samples.length);
        }

        synchronized double qps() {
            if (filled < 2) {
                return 0;
            }
            int newest = (next - 1 + samples.length) % samples.length;
            int oldest = (next - filled + samples.length) % samples.length;
            return (samples[newest] - samples[oldest]) / (double) (filled - 1);
        }
    }
}
