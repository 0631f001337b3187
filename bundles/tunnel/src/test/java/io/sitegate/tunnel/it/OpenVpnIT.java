package io.sitegate.tunnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.tunnel.internal.DaemonSupervisor;
import io.sitegate.tunnel.internal.openvpn.ManagementClient;
import io.sitegate.tunnel.internal.openvpn.ManagementCommands;
import io.sitegate.tunnel.internal.openvpn.ManagementMessage;
import io.sitegate.tunnel.internal.openvpn.OpenVpnClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real OpenVPN 2.6 client in the lab's gw namespace, written by {@link OpenVpnClientConfig}, kept running by
 * {@link DaemonSupervisor} and driven through {@link ManagementClient}, against the lab's servers. Management
 * protocol: OpenVPN {@code doc/management-notes.txt} (state, bytecount, hold, remote).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenVpnIT {

    private static final Duration T = Duration.ofSeconds(5);
    private static final String READER_THREADS = "sitegate-openvpn-mgmt-";
    private static TunnelLab lab;
    private static ScheduledExecutorService scheduler;

    private Client client;

    @BeforeAll
    static void up() throws IOException {
        lab = TunnelLab.up("ov");
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openvpn-it-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void down() throws IOException {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopClient() {
        if (client != null) {
            client.close();
        }
    }

    /** One supervised openvpn client and its management connection, answering HOLD and REMOTE as Sitegate will. */
    static final class Client implements AutoCloseable {
        final OpenVpnClientConfig config;
        final DaemonSupervisor supervisor;
        final List<ManagementMessage> messages = new CopyOnWriteArrayList<>();
        final ExecutorService answers = Executors.newSingleThreadExecutor();
        volatile ManagementClient management;

        Client(String name, String remoteKey, int keepalive, int keepaliveTimeout) throws IOException {
            Path dir = lab.dir;
            config = new OpenVpnClientConfig(name, List.of(new OpenVpnClientConfig.Remote(lab.get(remoteKey), 1194, "udp")),
                    Path.of(lab.get("CA")), Path.of(lab.get("CLIENT_CERT")), Path.of(lab.get("CLIENT_KEY")), null,
                    keepalive, keepaliveTimeout, dir.resolve(name + ".mgmt"), "root");
            Path file = dir.resolve(name + ".ovpn");
            Files.writeString(file, config.render(), StandardCharsets.UTF_8);
            supervisor = new DaemonSupervisor("openvpn-" + name,
                    List.of("ip", "netns", "exec", lab.get("GW_NS"), "openvpn", "--config", file.toString()),
                    command -> new ProcessBuilder(command).redirectErrorStream(true).start(),
                    (task, delay) -> scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                    System::nanoTime, Duration.ofSeconds(2), Duration.ofSeconds(16), Duration.ofSeconds(30));
        }

        /** Starts openvpn, connects to its management socket, turns on state and bytecount, releases the hold. */
        void start() throws Exception {
            Files.deleteIfExists(config.managementSocket());
            supervisor.start();
            attach();
        }

        void attach() throws Exception {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    management = ManagementClient.connect(config.managementSocket(), this::onMessage);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > end) {
                        throw new AssertionError("no management socket: " + e.getMessage() + "\n" + supervisor.recentOutput());
                    }
                    Thread.sleep(50);
                }
            }
            assertThat(management.command(ManagementCommands.stateOn(), T).success()).isTrue();
            assertThat(management.command(ManagementCommands.bytecount(1), T).success()).isTrue();
            assertThat(management.command(ManagementCommands.holdRelease(), T).success()).isTrue();
        }

        /** On the reader thread: must not block, so answers go through another thread. */
        private void onMessage(ManagementMessage m) {
            messages.add(m);
            ManagementClient c = management;
            if (m instanceof ManagementMessage.Remote && c != null) {
                answers.execute(() -> quietly(c, ManagementCommands.remoteAccept()));
            } else if (m instanceof ManagementMessage.Hold && c != null) {
                answers.execute(() -> quietly(c, ManagementCommands.holdRelease()));
            }
        }

        private static void quietly(ManagementClient c, String command) {
            try {
                c.command(command, T);
            } catch (IOException e) {
                // the connection went away: the test sees it elsewhere
            }
        }

        List<String> states() {
            return messages.stream().filter(m -> m instanceof ManagementMessage.State).map(m -> (ManagementMessage.State) m)
                    .map(s -> s.state() + (s.description().isEmpty() ? "" : "(" + s.description() + ")")).toList();
        }

        <M extends ManagementMessage> M await(Class<M> type, Predicate<M> what, Duration within, String description)
                throws InterruptedException {
            return await(0, type, what, within, description);
        }

        <M extends ManagementMessage> M await(int from, Class<M> type, Predicate<M> what, Duration within, String description)
                throws InterruptedException {
            long end = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < end) {
                for (ManagementMessage m : messages.subList(from, messages.size())) {
                    if (type.isInstance(m) && what.test(type.cast(m))) {
                        return type.cast(m);
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no " + description + " within " + within + "; states " + states() + "\n"
                    + String.join("\n", supervisor.recentOutput()));
        }

        ManagementMessage.State connected(int from) throws InterruptedException {
            return await(from, ManagementMessage.State.class,
                    s -> s.connected() && "SUCCESS".equals(s.description()), Duration.ofSeconds(15), "CONNECTED,SUCCESS");
        }

        /** The pid of the openvpn client process in gw (ip netns exec execs, so it is the supervisor's process). */
        long pid() throws IOException {
            String conf = lab.dir.resolve(config.name() + ".ovpn").toString();
            for (String p : TunnelLab.run(List.of("ip", "netns", "pids", lab.get("GW_NS")), 5).output().split("\\s+")) {
                if (p.isBlank()) {
                    continue;
                }
                Path cmdline = Path.of("/proc", p, "cmdline");
                try {
                    String c = Files.readString(cmdline).replace('\0', ' ');
                    if (c.startsWith("openvpn ") && c.contains(conf)) {
                        return Long.parseLong(p);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
            throw new AssertionError("no openvpn client for " + conf + " in " + lab.get("GW_NS"));
        }

        @Override
        public void close() {
            ManagementClient c = management;
            if (c != null) {
                c.close();
            }
            supervisor.stop(Duration.ofSeconds(3));
            answers.shutdownNow();
        }
    }

    @Test
    @Order(1)
    void connectsThroughTheManagementInterfaceAndCarriesLanTraffic() throws Exception {
        client = new Client("lab1", "VPN1_ADDR", 10, 60);
        String text = client.config.render();
        assertThat(text.lines()).contains("dev sg-lab1", "dev-type tun", "route-noexec", "keepalive 10 60",
                "management-query-remote", "management-hold");
        client.start();
        ManagementMessage.State up = client.connected(0);
        assertThat(client.messages).anyMatch(m -> m instanceof ManagementMessage.Remote r && r.host().equals(lab.get("VPN1_ADDR")));
        assertThat(up.remoteAddress()).isEqualTo(lab.get("VPN1_ADDR"));
        assertThat(up.tunIpv4()).startsWith("10.8.1.");
        System.out.println("[OpenVpnIT] up: " + client.states());

        String dev = client.config.device();
        assertThat(lab.ip("GW_NS", "-o", "addr", "show", "dev", dev).output()).contains("inet " + up.tunIpv4() + "/24");
        lab.ip("GW_NS", "route", "replace", lab.get("CLOUD_PREFIX"), "dev", dev);

        ManagementMessage.ByteCount first = client.await(ManagementMessage.ByteCount.class, b -> true, T, ">BYTECOUNT");
        TunnelLab.Result ping = lab.inNs("LAN_NS", "ping", "-c", "3", "-i", "0.2", "-W", "2", lab.get("CLOUD_HOST"));
        assertThat(ping.exit()).as(ping.output()).isZero();
        echoes();
        ManagementMessage.ByteCount later = client.await(ManagementMessage.ByteCount.class,
                b -> b.bytesIn() > first.bytesIn() + 300 && b.bytesOut() > first.bytesOut() + 300, T, "growing >BYTECOUNT");
        System.out.println("[OpenVpnIT] bytecount " + first + " -> " + later);
    }

    private static void echoes() throws IOException {
        String data = "sitegate echo " + System.nanoTime() + "\n";
        TunnelLab.Result echo = TunnelLab.run(List.of("ip", "netns", "exec", lab.get("LAN_NS"), "socat", "-T", "3", "-",
                "TCP:" + lab.get("CLOUD_HOST") + ":" + lab.get("CLOUD_ECHO_PORT") + ",connect-timeout=3"),
                data.getBytes(StandardCharsets.UTF_8), 10);
        assertThat(echo.output()).as("echo through the tunnel (exit " + echo.exit() + ")").isEqualTo(data);
    }

    @Test
    @Order(2)
    void serverKilledTheClientLeavesConnectedWithinTheKeepaliveTimeout() throws Exception {
        client = new Client("lab2", "VPN2_ADDR", 1, 5);
        client.start();
        client.connected(0);
        int from = client.messages.size();
        long killed = System.nanoTime();
        lab.lab("stop-vpn", "vpn2");
        try {
            ManagementMessage.State left = client.await(from, ManagementMessage.State.class, s -> !s.connected(),
                    Duration.ofSeconds(9), "a state other than CONNECTED");
            long ms = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("[OpenVpnIT] server killed: left CONNECTED after " + ms + " ms with " + left);
            assertThat(left.state()).isEqualTo("RECONNECTING");
            assertThat(ms).isLessThan(8_000);
            Thread.sleep(1500);
            System.out.println("[OpenVpnIT] server killed, states: " + client.states());
            assertThat(client.supervisor.running()).isTrue(); // openvpn restarts itself; the process stays
        } finally {
            lab.lab("start-vpn", "vpn2");
        }
        // and comes back on its own once the server is back
        client.connected(client.messages.size());
        System.out.println("[OpenVpnIT] server back, states: " + client.states());
    }

    @Test
    @Order(3)
    void clientKilledMidCommandFailsTheCommandLeaksNoThreadAndIsRestartedAfterItsBackOff() throws Exception {
        List<String> before = TunnelLab.threads(READER_THREADS);
        client = new Client("lab3", "VPN3_ADDR", 10, 60);
        client.start();
        client.connected(0);
        assertThat(TunnelLab.threads(READER_THREADS)).hasSize(before.size() + 1);
        assertThat(client.supervisor.starts()).isEqualTo(1);

        // a command in flight when the process dies: stop openvpn so it cannot answer, send, then kill it
        long pid = client.pid();
        ProcessHandle openvpn = ProcessHandle.of(pid).orElseThrow();
        TunnelLab.run(List.of("kill", "-STOP", Long.toString(pid)), 5);
        ManagementClient management = client.management;
        CompletableFuture<ManagementClient.Reply> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return management.commandLines("status", Duration.ofSeconds(20));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(pending).isNotDone();
        openvpn.destroyForcibly();
        openvpn.onExit().get(5, TimeUnit.SECONDS);
        long killed = System.nanoTime();

        Throwable failure;
        try {
            pending.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the pending command did not fail");
        } catch (ExecutionException e) {
            failure = e.getCause().getCause();
        }
        System.out.println("[OpenVpnIT] client killed mid-command: " + failure);
        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("OpenVPN management connection closed");
        assertThat(management.isOpen()).isFalse();
        management.close();
        assertThat(TunnelLab.threads(READER_THREADS)).isEqualTo(before);

        // the supervisor's back-off (2 s first) and no tight loop: one restart in the 5 s after the kill
        while (System.nanoTime() - killed < Duration.ofMillis(1500).toNanos()) {
            assertThat(client.supervisor.starts()).as("restarted before its back-off").isEqualTo(1);
            Thread.sleep(50);
        }
        while (System.nanoTime() - killed < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(100);
        }
        assertThat(client.supervisor.starts()).isEqualTo(2);
        assertThat(client.supervisor.running()).isTrue();
        assertThat(client.supervisor.lastExit()).isEqualTo("exited with 137");
        System.out.println("[OpenVpnIT] supervisor after kill: starts " + client.supervisor.starts() + ", last exit '"
                + client.supervisor.lastExit() + "', next delay " + client.supervisor.nextDelay());

        // the new process comes up through a new management connection
        int from = client.messages.size();
        client.attach();
        client.connected(from);
        assertThat(TunnelLab.threads(READER_THREADS)).hasSize(before.size() + 1);
        client.close();
        assertThat(TunnelLab.threads(READER_THREADS)).isEqualTo(before);
    }
}
