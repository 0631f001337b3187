package io.sitegate.tunnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.tunnel.internal.ipsec.IpsecConnection;
import io.sitegate.tunnel.internal.vici.ViciCommandException;
import io.sitegate.tunnel.internal.vici.ViciCommands;
import io.sitegate.tunnel.internal.vici.ViciSection;
import io.sitegate.tunnel.internal.vici.ViciSession;
import io.sitegate.tunnel.internal.vici.ViciSocketTransport;
import io.sitegate.tunnel.internal.vici.ViciStreamedResponse;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real charon (strongSwan 5.9, kernel-libipsec) in the lab's gw namespace, driven only through Sitegate's VICI
 * client and {@link IpsecConnection}'s messages, against the lab's responder. Commands, events and message layouts:
 * strongSwan {@code src/libcharon/plugins/vici/README.md} (3b902ea59b).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongSwanIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static final String READER_THREADS = "vici-session-";
    private static TunnelLab lab;

    @BeforeAll
    static void up() throws IOException {
        lab = TunnelLab.up("ss");
    }

    @AfterAll
    static void down() throws IOException {
        if (lab != null) {
            lab.close();
        }
    }

    private static ViciSession open() throws IOException {
        return ViciSession.open(ViciSocketTransport.connect(UnixDomainSocketAddress.of(lab.get("GW_VICI")), T));
    }

    private static IpsecConnection psk() {
        return new IpsecConnection("lab-psk", lab.get("IKE_ADDR"), lab.get("GW_PSK_ID"), lab.get("IKE_ID"),
                IpsecConnection.Auth.PSK, List.of("default"), List.of("default"), List.of(lab.get("LAN_PREFIX")),
                List.of(lab.get("CLOUD_PREFIX")), 2);
    }

    private static void load(ViciCommands vici, IpsecConnection c, List<byte[]> certs, List<byte[]> cas) throws IOException {
        ViciSection message = c.loadConn(certs, cas);
        vici.loadConn(c.name(), message.section(c.name()).orElseThrow(), T);
    }

    private static ViciStreamedResponse initiate(ViciCommands vici, IpsecConnection c) throws IOException {
        // "timeout" in ms: charon answers when the SA is up or failed (README "initiate")
        return vici.initiate(ViciSection.builder().put("child", c.childName()).put("timeout", "8000").build(),
                Duration.ofSeconds(12));
    }

    /** The list-sa message for the connection, or null. */
    private static ViciSection sa(ViciCommands vici, String name) throws IOException {
        ViciStreamedResponse r = vici.listSas(ViciSection.builder().put("ike", name).build(), T);
        return r.events().stream().map(e -> e.section(name).orElse(null)).filter(s -> s != null).findFirst().orElse(null);
    }

    /** Route the cloud over charon's TUN device, then ping and echo from the LAN client. */
    private static void trafficPasses() throws IOException {
        lab.ip("GW_NS", "link", "show", lab.get("IPSEC_DEV")); // kernel-libipsec's TUN device: ipsec0
        lab.ip("GW_NS", "route", "replace", lab.get("CLOUD_PREFIX"), "dev", lab.get("IPSEC_DEV"), "src", lab.get("GW_LAN_ADDR"));
        TunnelLab.Result ping = lab.inNs("LAN_NS", "ping", "-c", "3", "-i", "0.2", "-W", "2", lab.get("CLOUD_HOST"));
        assertThat(ping.exit()).as(ping.output()).isZero();
        echoes();
    }

    static void echoes() throws IOException {
        String data = "sitegate echo " + System.nanoTime() + "\n";
        TunnelLab.Result echo = TunnelLab.run(List.of("ip", "netns", "exec", lab.get("LAN_NS"), "socat", "-T", "3", "-",
                "TCP:" + lab.get("CLOUD_HOST") + ":" + lab.get("CLOUD_ECHO_PORT") + ",connect-timeout=3"),
                data.getBytes(StandardCharsets.UTF_8), 10);
        assertThat(echo.output()).as("echo through the tunnel (exit " + echo.exit() + ")").isEqualTo(data);
    }

    private static <T> T await(List<T> seen, Predicate<T> what, Duration within, String description) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (T t : seen) {
                if (what.test(t)) {
                    return t;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + description + " within " + within + "; seen: " + seen);
    }

    private static String msg(ViciSection log) {
        return log.string("group").orElse("") + " " + log.string("msg").orElse("");
    }

    @Test
    @Order(1)
    void wrongPskFailsWithAuthenticationFailed() throws Exception {
        List<ViciSection> logs = new CopyOnWriteArrayList<>();
        try (ViciSession session = open()) {
            ViciCommands vici = new ViciCommands(session);
            vici.listen(ViciCommands.LOG, (e, m) -> logs.add(m), T);
            IpsecConnection c = psk();
            vici.loadShared(c.loadShared("not-the-lab-psk-0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), T);
            load(vici, c, List.of(), List.of());

            assertThatThrownBy(() -> initiate(vici, c)).isInstanceOfSatisfying(ViciCommandException.class, e -> {
                System.out.println("[StrongSwanIT] wrong PSK, initiate: " + e.getMessage());
                e.streamed().forEach(l -> System.out.println("[StrongSwanIT] wrong PSK, control-log: " + l.string("level").orElse("?")
                        + " " + msg(l)));
                assertThat(e.errmsg()).contains("establishing CHILD_SA 'lab-psk-child' failed");
                // what a supervisor turns into "authentication failed": the control-log carries it too
                assertThat(e.streamed()).anyMatch(l -> msg(l).equals("IKE received AUTHENTICATION_FAILED notify error"));
            });
            // the initiator's log: ike_auth.c "received %N notify error" (DBG1, IKE)
            ViciSection failed = await(logs, l -> msg(l).contains("AUTHENTICATION_FAILED"), T, "AUTHENTICATION_FAILED log");
            System.out.println("[StrongSwanIT] wrong PSK, log: " + msg(failed));
            assertThat(msg(failed)).contains("received AUTHENTICATION_FAILED notify error");
            assertThat(sa(vici, c.name())).isNull();
        }
    }

    @Test
    @Order(2)
    void pskTunnelComesUpPassesTrafficAndGoesDown() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        List<ViciSection> logs = new CopyOnWriteArrayList<>();
        try (ViciSession session = open()) {
            ViciCommands vici = new ViciCommands(session);
            ViciSection version = vici.version(T);
            assertThat(version.string("daemon")).isPresent();
            assertThat(version.string("version").orElseThrow()).startsWith("5.");
            ViciSection stats = vici.stats(T);
            assertThat(stats.section("uptime")).isPresent();
            assertThat(stats.section("ikesas").flatMap(s -> s.string("total"))).isPresent();

            vici.listen(ViciCommands.IKE_UPDOWN, (e, m) -> events.add(e + " " + (m.string("up").orElse("down"))), T);
            vici.listen(ViciCommands.CHILD_UPDOWN, (e, m) -> events.add(e + " " + (m.string("up").orElse("down"))), T);
            vici.listen(ViciCommands.LOG, (e, m) -> logs.add(m), T);

            IpsecConnection c = psk();
            byte[] secret = Files.readAllBytes(Path.of(lab.get("PSK_FILE")));
            vici.loadShared(c.loadShared(secret), T);
            load(vici, c, List.of(), List.of());
            ViciStreamedResponse up = initiate(vici, c);
            assertThat(up.response().string("success")).contains("yes");
            assertThat(up.events()).isNotEmpty(); // control-log lines

            ViciSection sa = sa(vici, c.name());
            assertThat(sa).as("list-sas").isNotNull();
            assertThat(sa.string("state")).contains("ESTABLISHED");
            ViciSection child = sa.section("child-sas").orElseThrow().entries().values().stream()
                    .map(ViciSection.class::cast).findFirst().orElseThrow();
            assertThat(child.string("state")).contains("INSTALLED");
            assertThat(child.string("name")).contains(c.childName());
            assertThat(child.string("bytes-in")).isPresent();
            assertThat(child.string("bytes-out")).isPresent();

            trafficPasses();
            ViciSection after = sa(vici, c.name()).section("child-sas").orElseThrow().entries().values().stream()
                    .map(ViciSection.class::cast).findFirst().orElseThrow();
            assertThat(Long.parseLong(after.string("bytes-in").orElseThrow())).isPositive();
            assertThat(Long.parseLong(after.string("bytes-out").orElseThrow())).isPositive();
            await(events, "ike-updown yes"::equals, T, "ike-updown up");
            await(events, "child-updown yes"::equals, T, "child-updown up");

            // DPD: dpd_delay 2 s and an idle tunnel. network/sender.c logs "sending packet: from A to B (N bytes)" and
            // processing/jobs/process_message_job.c "received packet: from A to B (N bytes)", both DBG1 NET, which
            // the vici log event carries (vici_logger.c get_level returns LEVEL_CTRL, i.e. levels 0 and 1, for every
            // group, whatever charon.filelog/syslog say; README "log": "level 0 or 1"). No charon setting is needed.
            int seen = logs.size();
            ViciSection dpd = null;
            for (long end = System.nanoTime() + Duration.ofSeconds(8).toNanos(); dpd == null && System.nanoTime() < end; ) {
                dpd = logs.subList(seen, logs.size()).stream().filter(l -> msg(l).contains("sending packet")).findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertThat(dpd).as("a DPD 'sending packet' log event; seen: " + logs.subList(seen, logs.size())).isNotNull();
            System.out.println("[StrongSwanIT] DPD: " + msg(dpd) + " (level " + dpd.string("level").orElse("?") + ")");
            logs.stream().filter(l -> msg(l).startsWith("NET") || msg(l).contains("DPD") || msg(l).contains("INFORMATIONAL"))
                    .limit(40).forEach(l -> System.out.println("[StrongSwanIT] log " + l.string("level").orElse("?") + " " + msg(l)));

            ViciStreamedResponse down = vici.terminate(ViciSection.builder().put("ike", c.name()).put("timeout", "5000").build(),
                    Duration.ofSeconds(8));
            assertThat(down.response().string("success")).contains("yes");
            assertThat(sa(vici, c.name())).isNull();
            await(events, "ike-updown down"::equals, T, "ike-updown down");
            System.out.println("[StrongSwanIT] events: " + events);
            vici.unloadConn(c.name(), T);
        }
    }

    @Test
    @Order(3)
    void certificateTunnelComesUpAndPassesTraffic() throws Exception {
        try (ViciSession session = open()) {
            ViciCommands vici = new ViciCommands(session);
            byte[] ca = Files.readAllBytes(Path.of(lab.get("CA")));
            byte[] cert = Files.readAllBytes(Path.of(lab.get("IPSEC_CERT")));
            vici.loadCert("X509", "CA", ca, T);
            vici.loadCert("X509", "NONE", cert, T);
            ViciSection key = vici.loadKey("ecdsa", Files.readAllBytes(Path.of(lab.get("IPSEC_KEY"))), T);
            assertThat(key.string("id")).isPresent();
            IpsecConnection c = new IpsecConnection("lab-cert", lab.get("IKE_ADDR"), lab.get("GW_CERT_ID"), lab.get("IKE_ID"),
                    IpsecConnection.Auth.PUBKEY, List.of("default"), List.of("default"), List.of(lab.get("LAN_PREFIX")),
                    List.of(lab.get("CLOUD_PREFIX")), 30);
            load(vici, c, List.of(cert), List.of(ca));
            assertThat(initiate(vici, c).response().string("success")).contains("yes");
            assertThat(sa(vici, c.name()).string("state")).contains("ESTABLISHED");
            trafficPasses();
            vici.terminate(ViciSection.builder().put("ike", c.name()).put("timeout", "5000").build(), Duration.ofSeconds(8));
            assertThat(sa(vici, c.name())).isNull();
            vici.unloadConn(c.name(), T);
        }
    }

    @Test
    @Order(4)
    void theGatewayAcceptsNoIkeInitiatedFromTheWan() throws Exception {
        // the gateway has a connection that would match the responder's IKE_SA_INIT, were it not for
        // charon.initiator_only = yes (tunnels.sh): receiver.c drops every IKE_SA_INIT whose sender is the initiator,
        // silently (no log line), before any configuration is looked at
        try (ViciSession gw = open();
             ViciSession cloud = ViciSession.open(ViciSocketTransport.connect(UnixDomainSocketAddress.of(lab.get("IKE_VICI")), T))) {
            ViciCommands gwVici = new ViciCommands(gw);
            IpsecConnection c = psk();
            gwVici.loadShared(c.loadShared(Files.readAllBytes(Path.of(lab.get("PSK_FILE")))), T);
            load(gwVici, c, List.of(), List.of());

            ViciCommands cloudVici = new ViciCommands(cloud);
            ViciSection toGw = ViciSection.builder()
                    .put("version", "2")
                    .putList("remote_addrs", List.of(lab.get("GW_WAN_ADDR")))
                    .put("local", ViciSection.builder().put("auth", "psk").put("id", lab.get("IKE_ID")).build())
                    .put("remote", ViciSection.builder().put("auth", "psk").put("id", lab.get("GW_PSK_ID")).build())
                    .put("children", ViciSection.builder().put("to-gw-child", ViciSection.builder()
                            .putList("local_ts", List.of(lab.get("CLOUD_PREFIX")))
                            .putList("remote_ts", List.of(lab.get("LAN_PREFIX"))).build()).build())
                    .build();
            cloudVici.loadConn("to-gw", toGw, T);
            try {
                assertThatThrownBy(() -> cloudVici.initiate(ViciSection.builder().put("child", "to-gw-child")
                        .put("timeout", "2500").build(), Duration.ofSeconds(8)))
                        .isInstanceOf(ViciCommandException.class)
                        .satisfies(e -> System.out.println("[StrongSwanIT] IKE from the WAN, responder's initiate: " + e.getMessage()));
                assertThat(sa(gwVici, c.name())).isNull();
                assertThat(gwVici.listSas(ViciSection.EMPTY, T).events()).isEmpty();
            } finally {
                cloudVici.terminate(ViciSection.builder().put("ike", "to-gw").put("force", "yes").put("timeout", "-1").build(), T);
                cloudVici.unloadConn("to-gw", T);
                gwVici.unloadConn(c.name(), T);
            }
        }
    }

    @Test
    @Order(5)
    void daemonDyingMidCommandFailsTheCallLeaksNoThreadAndARestartedCharonAnswers() throws Exception {
        List<String> before = TunnelLab.threads(READER_THREADS);
        ViciSession session = open();
        ViciCommands vici = new ViciCommands(session);
        vici.listen(ViciCommands.IKE_UPDOWN, (e, m) -> { }, T);
        // a peer that never answers: the initiate stays pending (charon retransmits) until charon dies
        IpsecConnection nobody = new IpsecConnection("lab-nobody", "198.18.0.99", lab.get("GW_PSK_ID"), lab.get("IKE_ID"),
                IpsecConnection.Auth.PSK, List.of("default"), List.of("default"), List.of(lab.get("LAN_PREFIX")),
                List.of("10.98.0.0/24"), 0);
        vici.loadShared(nobody.loadShared("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII)), T);
        load(vici, nobody, List.of(), List.of());
        assertThat(TunnelLab.threads(READER_THREADS)).hasSize(before.size() + 1);
        CompletableFuture<ViciStreamedResponse> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return vici.initiate(ViciSection.builder().put("child", nobody.childName()).put("timeout", "0").build(),
                        Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(500);
        assertThat(pending).isNotDone();

        long pid = Long.parseLong(Files.readString(Path.of(lab.get("GW_CHARON_PIDFILE"))).strip());
        ProcessHandle charon = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("gw charon not running"));
        charon.destroyForcibly();
        charon.onExit().get(5, TimeUnit.SECONDS);

        Throwable failure;
        try {
            pending.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the pending initiate did not fail");
        } catch (ExecutionException e) {
            failure = e.getCause().getCause();
        }
        System.out.println("[StrongSwanIT] charon killed mid-command: " + failure);
        assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(ViciCommandException.class)
                .hasMessageContaining("session closed").hasMessageContaining("closed by the daemon");
        assertThat(session.isOpen()).isFalse();
        assertThatThrownBy(() -> vici.version(T)).isInstanceOf(IOException.class).hasMessageContaining("session closed");
        session.close();
        assertThat(TunnelLab.threads(READER_THREADS)).isEqualTo(before);

        lab.lab("restart-gw-charon");
        try (ViciSession again = open()) {
            assertThat(new ViciCommands(again).version(T).string("version")).isPresent();
            assertThat(TunnelLab.threads(READER_THREADS)).hasSize(before.size() + 1);
        }
        assertThat(TunnelLab.threads(READER_THREADS)).isEqualTo(before);
    }
}
