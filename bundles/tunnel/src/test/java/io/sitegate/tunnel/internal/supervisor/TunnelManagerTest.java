package io.sitegate.tunnel.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.Health;
import io.sitegate.core.HealthListener;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;
import io.sitegate.tunnel.TunnelStatus;
import io.sitegate.tunnel.internal.Host;
import io.sitegate.tunnel.internal.TunnelDriver;
import io.sitegate.tunnel.internal.TunnelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor against fake drivers and a fake {@code ip}/{@code ping}: which routes it sets, when, and what it reports. */
class TunnelManagerTest {
    @TempDir
    Path dir;
    private final FakeHost host = new FakeHost();
    private final FakeHealth health = new FakeHealth();
    private final Map<String, FakeDriver> drivers = new ConcurrentHashMap<>();
    private TunnelManager manager;

    @BeforeEach
    void start() throws IOException {
        manager = new TunnelManager(health, null, host, Clock.systemUTC(), Executors.newScheduledThreadPool(4),
                s -> drivers.computeIfAbsent(s.name(), n -> new FakeDriver(s)));
    }

    @AfterEach
    void stop() {
        manager.deactivate();
    }

    private TunnelSettings settings(String name, int priority, String endpoints, String extra) throws IOException {
        Path pem = Files.writeString(dir.resolve("x.pem"), "x");
        Map<String, Object> m = new HashMap<>();
        m.put("type", "openvpn");
        m.put("priority", String.valueOf(priority));
        m.put("endpoints", endpoints);
        m.put("prefixes", "10.99.0.0/24");
        m.put("probe.address", "10.99.0.10");
        m.put("probe.interval", "1");
        m.put("probe.failures", "2");
        m.put("probe.successes", "2");
        m.put("failback.holdDown", "2");
        m.put("namespace", "gw");
        for (String kv : extra.isEmpty() ? new String[0] : extra.split(";")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        for (String k : List.of("openvpn.ca", "openvpn.cert", "openvpn.key", "openvpn.command")) {
            m.put(k, pem.toString());
        }
        return TunnelSettings.from("io.sitegate.tunnel~" + name, m, null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * A changed endpoint replaces the tunnel's driver; the new one uses the same device, configuration file and
     * management socket, so it connects only once the old one has closed (the site lab: the old OpenVPN driver's close
     * deleted the new one's configuration, and the new OpenVPN exited with 1 at every restart).
     */
    @Test
    void aReconfiguredTunnelConnectsOnlyAfterItsPredecessorHasClosed() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        TunnelManager m = new TunnelManager(health, null, host, Clock.systemUTC(), Executors.newScheduledThreadPool(4), s -> {
            int id = made.incrementAndGet();
            return new FakeDriver(s) {
                @Override
                public void connect(List<TunnelSettings.Endpoint> candidates) {
                    events.add("connect " + id);
                    super.connect(candidates);
                }

                @Override
                public void close() {
                    events.add("closing " + id);
                    try {
                        Thread.sleep(1500); // longer than a supervision tick
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    events.add("closed " + id);
                    super.close();
                }
            };
        });
        try {
            m.put(settings("primary", 100, "eu:198.18.0.11", ""));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!events.contains("connect 1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            m.put(settings("primary", 100, "eu:198.18.0.99", ""));
            while (!events.contains("connect 2") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(events).containsSubsequence("connect 1", "closing 1", "closed 1", "connect 2");
        } finally {
            m.deactivate();
        }
    }

    /** A deep temporary folder would make the OpenVPN management socket's path too long for the kernel (107 bytes). */
    @Test
    void aDeepTemporaryFolderGivesWayToAShortOneForTheManagementSockets() throws IOException {
        Path deep = Files.createDirectories(dir.resolve("gw/sitegate-karaf-0.1.0-SNAPSHOT/data/tmp"));
        Path fallback = Files.createDirectories(dir.resolve("run"));
        Path missing = dir.resolve("no-such-folder");
        assertThat(RunDirectory.runBase(Path.of("/tmp"), fallback)).isEqualTo(Path.of("/tmp"));
        assertThat(RunDirectory.runBase(deep, missing, fallback)).isEqualTo(fallback);
        // nothing better: the temporary folder all the same (the driver then reports the path as too long)
        assertThat(RunDirectory.runBase(deep, missing)).isEqualTo(deep);
        // the longest socket path from a base of 33 characters fits: 33 + "/sitegate-tunnel-" + 19 digits + "/" + 32 + ".sock"
        assertThat(33 + 17 + 19 + 1 + 32 + 5).isLessThanOrEqualTo(107);
    }

    @Test
    void theCloudPrefixesFollowTheActiveTunnelThroughFailoverAndFailback() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        manager.put(settings("backup", 50, "eu:198.18.0.12", ""));
        await("both drivers asked to connect", () -> drivers.size() == 2 && drivers.values().stream().allMatch(d -> d.wanted != null));
        drivers.values().forEach(d -> d.connected = true);
        await("primary active", () -> manager.active().equals(Optional.of("primary")));
        assertThat(host.lastRoute()).isEqualTo("ip -n gw route replace 10.99.0.0/24 dev sg-primary proto static");
        await("health UP", () -> health.state("tunnels") == HealthState.UP);
        assertThat(health.reason("tunnels")).contains("active: primary");

        host.deviceDown.add("sg-primary"); // the primary VPN gateway dies: its probes go unanswered
        await("failover to backup", () -> manager.active().equals(Optional.of("backup")));
        assertThat(host.lastRoute()).isEqualTo("ip -n gw route replace 10.99.0.0/24 dev sg-backup proto static");
        assertThat(health.state("tunnels")).isEqualTo(HealthState.DEGRADED);
        assertThat(health.state("tunnel/primary")).isEqualTo(HealthState.DEGRADED);
        assertThat(health.reason("tunnel/primary")).contains("probe fails");

        host.deviceDown.remove("sg-primary");
        Instant back = Instant.now();
        await("failback to primary", () -> manager.active().equals(Optional.of("primary")));
        // two answers in a row (probe.successes) and then the 2 s hold-down
        assertThat(Duration.between(back, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(host.lastRoute()).endsWith("dev sg-primary proto static");
    }

    @Test
    void aReconnectUnderneathTheActiveTunnelRoutesThroughItsNewDeviceAgain() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        await("driver", () -> drivers.containsKey("primary") && drivers.get("primary").wanted != null);
        drivers.get("primary").connected = true;
        await("active", () -> manager.active().isPresent());
        long routesBefore = host.commands.stream().filter(c -> c.contains("route replace 10.99.0.0/24 dev sg-primary")).count();
        drivers.get("primary").generation++; // OpenVPN reconnected within a tick: sg-primary was recreated, its routes gone
        await("the route set again", () -> host.commands.stream().filter(c -> c.contains("route replace 10.99.0.0/24 dev sg-primary"))
                .count() > routesBefore);
        assertThat(manager.active()).contains("primary");
    }

    @Test
    void aTunnelAddedWhileNoneIsActiveMakesItsPrefixesUnreachableAtOnce() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        await("driver", () -> drivers.containsKey("primary"));
        Thread.sleep(600); // a few ticks with nothing healthy
        manager.put(settings("other", 50, "eu:198.18.0.12", "prefixes=10.98.0.0/24;probe.address=10.98.0.10"));
        await("both prefixes unreachable", () -> host.commands.contains("ip -n gw route replace unreachable 10.99.0.0/24 proto static")
                && host.commands.contains("ip -n gw route replace unreachable 10.98.0.0/24 proto static"));
    }

    @Test
    void withNoHealthyTunnelThePrefixesAreUnreachableNeverLeftToTheWan() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        await("driver", () -> drivers.containsKey("primary") && drivers.get("primary").wanted != null);
        drivers.get("primary").connected = true;
        await("active", () -> manager.active().isPresent());
        drivers.get("primary").connected = false;
        await("none active", () -> manager.active().isEmpty());
        assertThat(host.lastRoute()).isEqualTo("ip -n gw route replace unreachable 10.99.0.0/24 proto static");
        assertThat(health.state("tunnels")).isEqualTo(HealthState.DOWN);
        assertThat(health.state("tunnel/primary")).isEqualTo(HealthState.DOWN);
    }

    @Test
    void theProbeOfEachTunnelGoesThroughItsOwnDeviceByMark() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        manager.put(settings("backup", 50, "eu:198.18.0.12", ""));
        await("drivers", () -> drivers.size() == 2 && drivers.values().stream().allMatch(d -> d.wanted != null));
        drivers.values().forEach(d -> d.connected = true);
        await("both probed", () -> host.pinged.containsKey("sg-primary") && host.pinged.containsKey("sg-backup"));
        assertThat(host.commands).anyMatch(c -> c.matches("ip -n gw rule add fwmark (\\d+) lookup \\1 priority \\1"));
        assertThat(host.commands).anyMatch(c -> c.matches("ip netns exec gw ping -n -q -c 1 -W 0\\.9 -m \\d+ 10\\.99\\.0\\.10"));
    }

    @Test
    void onlyTheRegionsEndpointsAreUsedUnlessLeavingIsAllowed() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11, na:198.18.0.13", "region=na"));
        await("connect", () -> drivers.containsKey("primary") && drivers.get("primary").wanted != null);
        assertThat(drivers.get("primary").wanted).extracting(TunnelSettings.Endpoint::host).containsExactly("198.18.0.13");
        manager.put(settings("primary", 100, "eu:198.18.0.11, na:198.18.0.13", "region=asia"));
        await("reconnect", () -> drivers.get("primary").wanted != null && drivers.get("primary").wanted.isEmpty());
        manager.put(settings("primary", 100, "eu:198.18.0.11, na:198.18.0.13", "region=asia;region.leave=true"));
        await("reconnect", () -> drivers.get("primary").wanted != null && drivers.get("primary").wanted.size() == 2);
    }

    @Test
    void anOperatorCanStopATunnelAndForceAFailover() throws Exception {
        manager.put(settings("primary", 100, "eu:198.18.0.11", ""));
        manager.put(settings("backup", 50, "eu:198.18.0.12", ""));
        await("drivers", () -> drivers.size() == 2 && drivers.values().stream().allMatch(d -> d.wanted != null));
        drivers.values().forEach(d -> d.connected = true);
        await("primary active", () -> manager.active().equals(Optional.of("primary")));
        await("backup healthy", () -> manager.tunnel("backup").map(t -> t.state() == TunnelStatus.State.UP).orElse(false));
        assertThat(manager.failover()).isEqualTo("backup");
        assertThat(host.lastRoute()).endsWith("dev sg-backup proto static");
        Thread.sleep(3000); // longer than the hold-down: the pin holds
        assertThat(manager.active()).contains("backup");

        manager.down("backup");
        assertThat(manager.active()).contains("primary");
        assertThat(drivers.get("backup").disconnected).isTrue();
        assertThat(manager.tunnel("backup").orElseThrow().state()).isEqualTo(TunnelStatus.State.DISABLED);
        manager.up("backup");
        await("backup connecting again", () -> !drivers.get("backup").disconnected);
    }

    // ---- fakes -----------------------------------------------------------------------------------------------------

    static class FakeDriver implements TunnelDriver {
        final TunnelSettings settings;
        volatile boolean connected;
        volatile boolean disconnected;
        volatile List<TunnelSettings.Endpoint> wanted;
        volatile long generation = 1;

        FakeDriver(TunnelSettings settings) {
            this.settings = settings;
        }

        @Override
        public void connect(List<TunnelSettings.Endpoint> candidates) {
            wanted = candidates;
            disconnected = false;
        }

        @Override
        public void disconnect() {
            disconnected = true;
            connected = false;
        }

        @Override
        public Link link() {
            return connected && !disconnected ? new Link(true, "CONNECTED", "connected", "198.18.0.x:1194", 1, 2, List.of(), generation)
                    : Link.down("DOWN", "fake down");
        }

        @Override
        public Traffic traffic() {
            return Traffic.NONE;
        }

        @Override
        public List<String> log() {
            return List.of();
        }

        @Override
        public void close() {
            disconnect();
        }
    }

    /** Answers every {@code ip} command, and a ping when the device its mark routes to is not down. */
    static final class FakeHost implements Host {
        final List<String> commands = new CopyOnWriteArrayList<>();
        final Map<String, String> tableDevice = new ConcurrentHashMap<>();
        final Map<String, Integer> pinged = new ConcurrentHashMap<>();
        final java.util.Set<String> deviceDown = ConcurrentHashMap.newKeySet();

        @Override
        public Result run(List<String> command, Duration timeout) {
            String line = String.join(" ", command);
            commands.add(line);
            int table = command.indexOf("table");
            if (line.contains(" route replace 10.99.0.10 dev ") && table > 0) {
                tableDevice.put(command.get(table + 1), command.get(command.indexOf("dev") + 1));
            }
            if (command.contains("ping")) {
                String device = tableDevice.get(command.get(command.indexOf("-m") + 1));
                pinged.merge(String.valueOf(device), 1, Integer::sum);
                return new Result(device != null && !deviceDown.contains(device) ? 0 : 1, "");
            }
            return new Result(0, "");
        }

        @Override
        public Process start(List<String> command) {
            throw new UnsupportedOperationException();
        }

        String lastRoute() {
            for (int i = commands.size() - 1; i >= 0; i--) {
                String c = commands.get(i);
                if (c.contains("route replace 10.99.0.0/24") || c.contains("route replace unreachable")) {
                    return c;
                }
            }
            return "";
        }
    }

    static final class FakeHealth implements HealthRegistry {
        final Map<String, Health> map = new ConcurrentHashMap<>();

        @Override
        public void report(String capability, HealthState state, String reason) {
            map.put(capability, new Health(capability, state, reason, Instant.now()));
        }

        @Override
        public void withdraw(String capability) {
            map.remove(capability);
        }

        @Override
        public SortedMap<String, Health> snapshot() {
            return new TreeMap<>(map);
        }

        @Override
        public Optional<Health> get(String capability) {
            return Optional.ofNullable(map.get(capability));
        }

        @Override
        public Registration addListener(HealthListener listener) {
            return () -> { };
        }

        HealthState state(String c) {
            return Optional.ofNullable(map.get(c)).map(Health::state).orElse(null);
        }

        String reason(String c) {
            return Optional.ofNullable(map.get(c)).map(Health::reason).orElse("");
        }
    }
}
