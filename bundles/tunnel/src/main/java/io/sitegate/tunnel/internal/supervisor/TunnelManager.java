package io.sitegate.tunnel.internal.supervisor;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.SafeText;
import io.sitegate.core.SecretStore;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;
import io.sitegate.tunnel.TunnelService;
import io.sitegate.tunnel.TunnelStatus;
import io.sitegate.tunnel.internal.Host;
import io.sitegate.tunnel.internal.TunnelDriver;
import io.sitegate.tunnel.internal.TunnelSettings;
import io.sitegate.tunnel.internal.ipsec.IpsecDriver;
import io.sitegate.tunnel.internal.openvpn.OpenVpnDriver;
import io.sitegate.tunnel.internal.region.RegionTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel supervisor. Every configured tunnel is kept connected (hot standby) by its driver; each is probed through
 * its own device (a ping marked for a routing table of its own, so the probe of a passive tunnel goes through that
 * tunnel and not the active one); the healthy tunnel of highest priority carries the cloud prefixes, chosen by
 * {@link ActiveSelector}. Moving the traffic is one {@code ip route replace} per prefix: the kernel switches each prefix to
 * the other device atomically. With no healthy tunnel the prefixes are {@code unreachable}, so cloud traffic never leaks
 * out of the WAN's default route. Endpoints come from the region of the network the modem is registered on.
 */
@Component(service = {TunnelService.class, TunnelManager.class}, immediate = true)
public final class TunnelManager implements TunnelService {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelManager.class);
    static final Duration TICK = Duration.ofMillis(250);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Probe routing tables and firewall marks: {@code BASE + slot}. */
    static final int BASE = 0x5347;

    private final HealthRegistry health;
    private final SecretStore secrets;
    private final Host host;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Path runDirectory;
    private final RegionTable regions = RegionTable.shipped();
    private final List<Modem> modems = new CopyOnWriteArrayList<>();
    private final Map<String, Tracked> tunnels = new LinkedHashMap<>();
    private final ScheduledFuture<?> ticker;
    private final Set<Integer> slots = new LinkedHashSet<>();
    private final java.util.function.Function<TunnelSettings, TunnelDriver> drivers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private Optional<String> active = Optional.empty();
    private String activeRoute = "";
    private Instant pinnedUntil;
    private String lastFailoverReason = "";
    private volatile String regionText = "unknown";

    @Activate
    public TunnelManager(@Reference HealthRegistry health, @Reference SecretStore secrets) throws IOException {
        this(health, secrets, Host.SYSTEM, Clock.systemUTC(), executor(), null);
    }

    /** For tests: {@code drivers} makes each tunnel's driver ({@code null}: the real ones). */
    TunnelManager(HealthRegistry health, SecretStore secrets, Host host, Clock clock, ScheduledExecutorService executor,
                  java.util.function.Function<TunnelSettings, TunnelDriver> drivers) throws IOException {
        this.drivers = drivers;
        this.health = health;
        this.secrets = secrets;
        this.host = host;
        this.clock = clock;
        this.executor = executor;
        // short and private: OpenVPN's configuration and its management socket (a UNIX socket path has at most 107 bytes)
        this.runDirectory = RunDirectory.create(RunDirectory.runBase(Paths.get(System.getProperty("java.io.tmpdir")),
                Paths.get("/run"), Paths.get("/tmp")));
        this.ticker = executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService executor() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(4, r -> {
            Thread t = new Thread(r, "sitegate-tunnel-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModem(Modem modem) {
        modems.add(modem);
    }

    void removeModem(Modem modem) {
        modems.remove(modem);
    }

    /** The bundle stops (update, uninstall): tunnels down, the cloud prefixes unreachable rather than routed to the WAN. */
    @Deactivate
    void deactivate() {
        ticker.cancel(false);
        List<Tracked> all;
        synchronized (this) {
            all = new ArrayList<>(tunnels.values());
            tunnels.clear();
        }
        for (Tracked t : all) {
            unreachable(t.settings.namespace(), t.settings.prefixes());
            t.stopProbing();
            health.withdraw(capability(t.settings.name()));
            closeDriver(t); // here, not on the executor: it is shut down next, and no daemon may outlive the bundle
        }
        health.withdraw("tunnels");
        // tunnels removed just before (their configurations went first) are closing on the executor: let those tasks
        // run, drop only what was scheduled for later (probes, retries, restarts), so that no daemon outlives the bundle
        if (executor instanceof ScheduledThreadPoolExecutor stpe) {
            stpe.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            stpe.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("tunnel supervisor: tasks still running after 15 s; stopping them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        RunDirectory.delete(runDirectory);
    }

    // ---- configuration --------------------------------------------------------------------------------------------

    /** A tunnel configured or reconfigured. A change of anything but its supervision values reconnects it. */
    public synchronized void put(TunnelSettings s) {
        Tracked old = tunnels.get(s.name());
        if (old != null && sameConnection(old.settings, s)) {
            old.settings = s;
            old.reschedule();
            return;
        }
        java.util.concurrent.CompletableFuture<Void> closed = old != null ? retire(old)
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        Tracked t = new Tracked(s, newDriver(s), slot());
        // The old driver of the same name uses the same device, configuration file and management socket: the new
        // one connects once it has let go of them (before, the old one's close deleted the new one's configuration
        // and OpenVPN exited with 1 at every restart, for good: found by the site lab after a policy rollback).
        t.predecessorClosed = closed;
        tunnels.put(s.name(), t);
        t.reschedule();
        LOG.info("tunnel {}: {} priority {}, endpoints {}", s.name(), s.type().name().toLowerCase(), s.priority(), s.endpoints());
    }

    /** A tunnel's configuration was deleted. */
    public synchronized void remove(String name) {
        Tracked t = tunnels.remove(name);
        if (t != null) {
            retire(t);
            if (active.equals(Optional.of(name))) {
                active = Optional.empty();
                activeRoute = "";
            }
        }
    }

    private static boolean sameConnection(TunnelSettings a, TunnelSettings b) {
        return a.type() == b.type() && a.endpoints().equals(b.endpoints()) && a.keepalive() == b.keepalive()
                && a.keepaliveTimeout() == b.keepaliveTimeout() && a.namespace().equals(b.namespace())
                && a.prefixes().equals(b.prefixes()) && a.ipsec().equals(b.ipsec()) && a.openvpn().equals(b.openvpn())
                && Objects.equals(a.probeTarget(), b.probeTarget()) && a.source().equals(b.source());
    }

    private TunnelDriver newDriver(TunnelSettings s) {
        if (drivers != null) {
            return drivers.apply(s);
        }
        Duration first = Duration.ofSeconds(2);
        Duration max = Duration.ofSeconds(120);
        return s.type() == TunnelSettings.Type.IPSEC
                ? new IpsecDriver(s, secrets, executor, first, max)
                : new OpenVpnDriver(s, host, executor, runDirectory, System.getProperty("user.name"), first, max);
    }

    private int slot() {
        int i = 0;
        while (slots.contains(i)) {
            i++;
        }
        slots.add(i);
        return i;
    }

    private java.util.concurrent.CompletableFuture<Void> retire(Tracked t) {
        t.stopProbing();
        slots.remove(t.slot);
        health.withdraw(capability(t.settings.name()));
        try {
            return java.util.concurrent.CompletableFuture.runAsync(() -> closeDriver(t), executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeDriver(t);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    private void closeDriver(Tracked t) {
        try {
            t.driver.close();
        } catch (RuntimeException e) {
            LOG.error("tunnel {}: closing: {}", t.settings.name(), e.toString(), e);
        }
        host.run(Host.ip(t.settings.namespace(), "rule", "del", "priority", String.valueOf(BASE + t.slot)), COMMAND_TIMEOUT);
        host.run(Host.ip(t.settings.namespace(), "route", "flush", "table", String.valueOf(BASE + t.slot)), COMMAND_TIMEOUT);
    }

    static String capability(String name) {
        return "tunnel/" + name;
    }

    // ---- the supervision loop -------------------------------------------------------------------------------------

    /** The region from the modem's network, or empty while it is not registered. */
    private Optional<String> modemRegion() {
        for (Modem m : modems) {
            try {
                ModemStatus s = m.status();
                if (s.registered() && s.plmn().isPresent()) {
                    Optional<String> r = regions.regionOfOperator(s.plmn().get());
                    if (r.isPresent()) {
                        return r.map(x -> x + " (from the modem's network " + s.plmn().get() + ")");
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("modem status: {}", e.toString());
            }
        }
        return Optional.empty();
    }

    private static String regionOf(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    synchronized void tick() {
        try {
            tickLocked();
        } catch (RuntimeException e) {
            LOG.error("tunnel supervisor: {}", e.toString(), e);
        }
    }

    private void tickLocked() {
        Instant now = clock.instant();
        Optional<String> fromModem = modemRegion();
        List<ActiveSelector.Candidate> candidates = new ArrayList<>();
        for (Tracked t : tunnels.values()) {
            TunnelSettings s = t.settings;
            String region = s.region().map(r -> r + " (configured)").orElse(fromModem.orElse(
                    s.endpoints().isEmpty() ? "none" : s.endpoints().get(0).region() + " (first endpoint's; the modem has not said where it is)"));
            t.regionText = region;
            regionText = region;
            if (!t.disabled) {
                List<TunnelSettings.Endpoint> c = s.candidates(regionOf(region));
                if (!c.equals(t.candidates)) {
                    if (!t.candidates.isEmpty()) {
                        LOG.info("tunnel {}: region {}: endpoints {}", s.name(), region, c);
                    }
                    t.candidates = c;
                    t.predecessorClosed.whenComplete((v, e) -> executor.execute(() -> t.driver.connect(c)));
                }
            }
            TunnelDriver.Link link = t.driver.link();
            if (link.connected() != t.connected) {
                t.connected = link.connected();
                if (link.connected()) {
                    t.upSince = now;
                    post(SitegateTopics.TUNNEL_UP, Map.of("name", s.name(), "type", type(s), "endpoint", link.endpoint(),
                            "region", regionOf(region)));
                } else {
                    t.upSince = null;
                    t.probeHealthy = false;
                    t.okRun = 0;
                    t.failRun = 0;
                    t.probeRoute = "";
                    t.everHealthy = false; // a new connection: its first answered probe counts at once
                    t.probeReason = "";
                    post(SitegateTopics.TUNNEL_DOWN, Map.of("name", s.name(), "type", type(s), "reason", link.reason()));
                }
            }
            if (link.connected() && link.generation() != t.generation) {
                // a new connection (reconnect, new IKE_SA): its device may be new, the routes through the old one gone
                t.generation = link.generation();
                t.probeRoute = "";
                if (active.equals(Optional.of(s.name()))) {
                    activeRoute = "";
                }
            }
            boolean healthy = !t.disabled && link.connected() && t.probeHealthy;
            if (healthy && !t.healthy) {
                t.healthySince = now;
            }
            t.healthy = healthy;
            if (!t.disabled) {
                candidates.add(new ActiveSelector.Candidate(s.name(), s.priority(), healthy, t.healthySince == null ? now : t.healthySince,
                        s.holdDown()));
            }
            report(t, link);
        }
        Optional<String> next = ActiveSelector.choose(candidates, active, pinnedUntil, now);
        if (!next.equals(active)) {
            String reason = active.map(a -> {
                Tracked was = tunnels.get(a);
                if (was == null) {
                    return a + " was removed";
                }
                if (was.disabled) {
                    return a + " was stopped by an operator";
                }
                return was.healthy ? "failback to " + next.orElse("?") + " after its hold-down"
                        : a + " is unhealthy: " + healthReason(was);
            }).orElse("no tunnel was active");
            activate(next, reason);
        } else if (active.isPresent() && !activeRoute.equals(routeKey(tunnels.get(active.get())))) {
            route(tunnels.get(active.get())); // a route that failed before, or a device that came back
        } else if (active.isEmpty() && !activeRoute.equals(routeKey(null))) {
            route(null);
        }
        reportSummary();
    }

    private void activate(Optional<String> next, String reason) {
        Optional<String> previous = active;
        active = next;
        lastFailoverReason = reason;
        route(next.map(tunnels::get).orElse(null));
        LOG.warn("tunnels: active {} -> {} ({})", previous.orElse("none"), next.orElse("none"), SafeText.escape(reason));
        post(SitegateTopics.TUNNEL_FAILOVER, Map.of("from", previous.orElse(""), "to", next.orElse(""), "reason", reason));
    }

    /**
     * What the routes should say now: the active tunnel and its device, and every configured prefix (a tunnel added while
     * none is active makes its prefixes unreachable at once: fail closed).
     */
    private String routeKey(Tracked t) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        for (Tracked x : tunnels.values()) {
            x.settings.namespace().ifPresent(ns -> all.add("@" + ns));
            all.addAll(x.settings.prefixes());
        }
        return (t == null ? "unreachable" : t.settings.name() + "@" + t.settings.device()) + " " + all;
    }

    /** Points every cloud prefix of the active tunnel at its device, and every other tunnel's prefix at nothing. */
    private void route(Tracked to) {
        Map<Optional<String>, Set<String>> all = new HashMap<>();
        for (Tracked t : tunnels.values()) {
            all.computeIfAbsent(t.settings.namespace(), k -> new LinkedHashSet<>()).addAll(t.settings.prefixes());
        }
        boolean ok = true;
        if (to != null) {
            TunnelSettings s = to.settings;
            for (String p : s.prefixes()) {
                List<String> cmd = new ArrayList<>(Host.ip(s.namespace(), "route", "replace", p, "dev", s.device()));
                s.source().ifPresent(src -> cmd.addAll(List.of("src", src)));
                cmd.addAll(List.of("proto", "static"));
                Host.Result r = host.run(cmd, COMMAND_TIMEOUT);
                if (!r.ok()) {
                    ok = false;
                    LOG.error("tunnel {}: cannot route {} through {}: {}", s.name(), p, s.device(), SafeText.escape(r.output()));
                }
            }
            all.getOrDefault(s.namespace(), new LinkedHashSet<>()).removeAll(s.prefixes());
        }
        for (Map.Entry<Optional<String>, Set<String>> e : all.entrySet()) {
            unreachable(e.getKey(), e.getValue());
        }
        activeRoute = ok ? routeKey(to) : "";
    }

    private void unreachable(Optional<String> namespace, java.util.Collection<String> prefixes) {
        for (String p : prefixes) {
            Host.Result r = host.run(Host.ip(namespace, "route", "replace", "unreachable", p, "proto", "static"), COMMAND_TIMEOUT);
            if (!r.ok()) {
                LOG.error("cannot make {} unreachable: {}", p, SafeText.escape(r.output()));
            }
        }
    }

    // ---- probes ---------------------------------------------------------------------------------------------------

    /** One probe through the tunnel's own device; then its traffic counters for the overhead. On a tunnel thread. */
    private void probe(Tracked t) {
        TunnelSettings s = t.settings;
        TunnelDriver.Link link = t.driver.link();
        if (t.disabled || !link.connected()) {
            return;
        }
        String table = String.valueOf(BASE + t.slot);
        if (!t.probeRoute.equals(s.device())) {
            host.run(Host.ip(s.namespace(), "rule", "del", "priority", table), COMMAND_TIMEOUT);
            Host.Result rule = host.run(Host.ip(s.namespace(), "rule", "add", "fwmark", table, "lookup", table, "priority", table), COMMAND_TIMEOUT);
            List<String> cmd = new ArrayList<>(Host.ip(s.namespace(), "route", "replace", s.probeTarget(), "dev", s.device(), "table", table));
            s.source().ifPresent(src -> cmd.addAll(List.of("src", src)));
            Host.Result route = host.run(cmd, COMMAND_TIMEOUT);
            if (!rule.ok() || !route.ok()) {
                probed(t, false, "cannot route the probe through " + s.device() + ": " + SafeText.escape(rule.ok() ? route.output() : rule.output()));
                return;
            }
            t.probeRoute = s.device();
        }
        // iputils ping takes a fractional -W: wait at most 0.9 of the interval, and 2 s
        long waitMs = Math.max(200, Math.min(2000, s.probeInterval().toMillis() * 9 / 10));
        String wait = String.format(java.util.Locale.ROOT, "%.1f", waitMs / 1000.0);
        Host.Result r = host.run(Host.in(s.namespace(), List.of("ping", "-n", "-q", "-c", "1", "-W", wait, "-m", table,
                s.probeTarget())), Duration.ofMillis(waitMs + 3000));
        probed(t, r.ok(), r.ok() ? "" : "no answer from " + s.probeTarget() + " through " + s.device());
        account(t);
    }

    private synchronized void probed(Tracked t, boolean ok, String why) {
        t.probes++;
        t.probesSinceSample++;
        if (ok) {
            t.okRun++;
            t.failRun = 0;
            // the first answer after connecting counts at once; after a failure, probe.successes in a row
            if (!t.probeHealthy && (!t.everHealthy || t.okRun >= t.settings.probeSuccesses())) {
                t.probeHealthy = true;
                t.everHealthy = true;
                t.probeReason = "";
            }
        } else {
            t.probeFailures++;
            t.failRun++;
            t.okRun = 0;
            t.probeReason = why;
            if (t.probeHealthy && t.failRun >= t.settings.probeFailures()) {
                t.probeHealthy = false;
                executor.execute(this::tick);
            }
        }
        if (ok && t.probeHealthy && !t.healthy) {
            executor.execute(this::tick);
        }
    }

    /**
     * Adds to the tunnel's overhead what it cost on the link in an interval where it carried nothing but the probe
     * (84 bytes each way, an IPv4 echo of ping's 56 data bytes): keepalives, DPD, rekeying, encapsulation.
     */
    private void account(Tracked t) {
        TunnelDriver.Traffic now = t.driver.traffic();
        Instant at = clock.instant();
        synchronized (this) {
            TunnelDriver.Traffic last = t.lastTraffic;
            long probes = t.probesSinceSample;
            t.probesSinceSample = 0;
            t.lastTraffic = now;
            Instant lastAt = t.lastSampleAt;
            t.lastSampleAt = at;
            if (last == null || lastAt == null || now == TunnelDriver.Traffic.NONE) {
                return;
            }
            long dIn = now.payloadIn() - last.payloadIn();
            long dOut = now.payloadOut() - last.payloadOut();
            long wIn = now.wireIn() - last.wireIn();
            long wOut = now.wireOut() - last.wireOut();
            if (dIn < 0 || dOut < 0 || wIn < 0 || wOut < 0) {
                return; // the daemon restarted: its counters did too
            }
            int echo = t.settings.probeTarget().contains(":") ? 104 : 84;
            if (dIn <= probes * echo && dOut <= probes * echo) {
                t.overheadBytes += wIn + wOut;
                t.idle = t.idle.plus(Duration.between(lastAt, at));
            }
        }
    }

    // ---- health, events, status -----------------------------------------------------------------------------------

    private String healthReason(Tracked t) {
        TunnelDriver.Link l = t.driver.link();
        if (t.disabled) {
            return "stopped by an operator (sitegate:tunnel-up " + t.settings.name() + " starts it)";
        }
        if (!l.connected()) {
            return l.reason();
        }
        if (!t.probeHealthy) {
            return t.probeReason.isEmpty() ? "connected, probing " + t.settings.probeTarget()
                    : "connected, but the probe fails: " + t.probeReason;
        }
        return l.reason();
    }

    private void report(Tracked t, TunnelDriver.Link link) {
        HealthState state = t.disabled || !link.connected() ? HealthState.DOWN : t.probeHealthy ? HealthState.UP : HealthState.DEGRADED;
        String role = active.equals(Optional.of(t.settings.name())) ? "active" : "standby";
        health.report(capability(t.settings.name()), state, (state == HealthState.UP ? role + ", " : "") + healthReason(t));
    }

    private void reportSummary() {
        if (tunnels.isEmpty()) {
            health.withdraw("tunnels");
            return;
        }
        Optional<Tracked> best = tunnels.values().stream().filter(t -> !t.disabled)
                .max(Comparator.comparingInt((Tracked t) -> t.settings.priority()).thenComparing(t -> t.settings.name(), Comparator.reverseOrder()));
        if (active.isEmpty()) {
            health.report("tunnels", HealthState.DOWN, "no healthy tunnel: the cloud prefixes are unreachable");
            return;
        }
        Tracked a = tunnels.get(active.get());
        String text = "active: " + a.settings.name() + " (" + type(a.settings) + ", " + regionOf(a.regionText) + ", "
                + a.driver.link().endpoint() + ")";
        if (best.isPresent() && best.get() != a && best.get().settings.priority() > a.settings.priority()) {
            health.report("tunnels", HealthState.DEGRADED, text + ", failed over: " + lastFailoverReason);
        } else {
            health.report("tunnels", HealthState.UP, text);
        }
    }

    private void post(String topic, Map<String, String> properties) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, new HashMap<>(properties)));
        }
    }

    private static String type(TunnelSettings s) {
        return s.type().name().toLowerCase();
    }

    @Override
    public synchronized List<TunnelStatus> tunnels() {
        List<TunnelStatus> out = new ArrayList<>();
        tunnels.values().stream().sorted(Comparator.comparingInt((Tracked t) -> -t.settings.priority()).thenComparing(t -> t.settings.name()))
                .forEach(t -> out.add(status(t)));
        return out;
    }

    @Override
    public synchronized Optional<TunnelStatus> tunnel(String name) {
        return Optional.ofNullable(tunnels.get(name)).map(this::status);
    }

    private TunnelStatus status(Tracked t) {
        TunnelSettings s = t.settings;
        TunnelDriver.Link l = t.driver.link();
        TunnelStatus.State state = t.disabled ? TunnelStatus.State.DISABLED : !l.connected()
                ? ("CONNECTING".equals(l.state()) ? TunnelStatus.State.CONNECTING : TunnelStatus.State.DOWN)
                : t.probeHealthy ? TunnelStatus.State.UP : TunnelStatus.State.DEGRADED;
        long perMonth = t.idle.toSeconds() < 60 ? -1 : t.overheadBytes * Duration.ofDays(30).toSeconds() / t.idle.toSeconds();
        return new TunnelStatus(s.name(), type(s), s.priority(), state, healthReason(t), active.equals(Optional.of(s.name())),
                l.endpoint(), regionOf(t.regionText), s.device(), l.bytesIn(), l.bytesOut(), t.overheadBytes, perMonth, t.probes,
                t.probeFailures, Optional.ofNullable(t.upSince), l.details());
    }

    @Override
    public synchronized Optional<String> active() {
        return active;
    }

    @Override
    public String region() {
        return regionText;
    }

    @Override
    public void up(String name) {
        Tracked t;
        synchronized (this) {
            t = require(name);
            t.disabled = false;
            t.candidates = List.of(); // the next tick connects it
        }
        tick();
    }

    @Override
    public void down(String name) {
        Tracked t;
        synchronized (this) {
            t = require(name);
            t.disabled = true;
            t.healthy = false;
            t.candidates = List.of();
        }
        tick();
        t.driver.disconnect();
    }

    @Override
    public synchronized String failover() {
        // the latest probe results first: tunnel-list shows a tunnel UP as soon as its probe answers, the selection
        // learns it at the next tick (a tunnel shown UP was refused as "not healthy" for up to a tick)
        tick();
        String from = active.orElseThrow(() -> new IllegalStateException("no tunnel is active"));
        Tracked next = tunnels.values().stream().filter(t -> t.healthy && !t.settings.name().equals(from))
                .max(Comparator.comparingInt((Tracked t) -> t.settings.priority()).thenComparing(t -> t.settings.name(), Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalStateException("no other tunnel is healthy: the traffic stays on " + from));
        pinnedUntil = clock.instant().plus(next.settings.holdDown().compareTo(Duration.ofSeconds(60)) < 0
                ? Duration.ofSeconds(60) : next.settings.holdDown());
        activate(Optional.of(next.settings.name()), "forced by an operator (tunnel-failover)");
        reportSummary();
        return next.settings.name();
    }

    @Override
    public List<String> log(String name) {
        Tracked t;
        synchronized (this) {
            t = require(name);
        }
        return t.driver.log();
    }

    private Tracked require(String name) {
        Tracked t = tunnels.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tunnel '" + SafeText.escape(name) + "' (configured: "
                    + (tunnels.isEmpty() ? "none" : String.join(", ", tunnels.keySet())) + ")");
        }
        return t;
    }

    /** One tunnel's supervision state; guarded by the manager's lock. */
    private final class Tracked {
        volatile TunnelSettings settings;
        /** The close of the tunnel this one replaces (same name); it connects after that. */
        volatile java.util.concurrent.CompletableFuture<Void> predecessorClosed = java.util.concurrent.CompletableFuture.completedFuture(null);
        final TunnelDriver driver;
        final int slot;
        volatile boolean disabled;
        List<TunnelSettings.Endpoint> candidates = List.of();
        String regionText = "";
        boolean connected;
        long generation;
        Instant upSince;
        volatile boolean probeHealthy;
        boolean everHealthy;
        int okRun;
        int failRun;
        String probeReason = "";
        volatile String probeRoute = "";
        boolean healthy;
        Instant healthySince;
        long probes;
        long probeFailures;
        long probesSinceSample;
        TunnelDriver.Traffic lastTraffic;
        Instant lastSampleAt;
        long overheadBytes;
        Duration idle = Duration.ZERO;
        private ScheduledFuture<?> probing;

        Tracked(TunnelSettings settings, TunnelDriver driver, int slot) {
            this.settings = settings;
            this.driver = driver;
            this.slot = slot;
        }

        void reschedule() {
            stopProbing();
            long ms = settings.probeInterval().toMillis();
            // at a fixed rate: a probe that waited for its answer does not push the next one back (failover time)
            probing = executor.scheduleAtFixedRate(() -> {
                try {
                    probe(this);
                } catch (RuntimeException e) {
                    LOG.error("tunnel {}: probe: {}", settings.name(), e.toString(), e);
                }
            }, Math.min(ms, 500), ms, TimeUnit.MILLISECONDS);
        }

        void stopProbing() {
            if (probing != null) {
                probing.cancel(false);
            }
        }
    }
}
