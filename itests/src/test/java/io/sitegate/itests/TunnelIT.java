package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.tunnel.TunnelService;
import io.sitegate.tunnel.TunnelStatus;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;

/**
 * Tunnels with the real daemons, in the namespaces of {@code tools/lab/tunnels.sh}: OpenVPN clients started and
 * supervised by the gateway, failover and failback between two VPN gateways measured from the LAN client, IPsec with a
 * PSK and with certificates through the router's charon (driven over VICI only), a wrong PSK, the region following the
 * simulated modem's network, invalid tunnel configurations refused by the section. Everything is torn down after the class.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TunnelIT extends SitegateTestSupport {
    private static final String PROPS = "sitegate.it.tunnel";
    private static final String PREFIX = "sgit";
    private static final long UP_MS = 60_000;
    private static final String MODEM = "wan0";
    private static final String SIMS = PROPS + ".sim";

    @Inject
    BundleContext context;

    @Inject
    HealthRegistry health;

    private final EventRecorder events = new EventRecorder();
    private static TunnelLab labInDriver;

    @Configuration
    public static Option[] config() {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "tunnel").toAbsolutePath();
        TunnelLab lab = new TunnelLab(PREFIX, dir, TunnelLab.script());
        lab.run("down");
        lab.run("up");
        labInDriver = lab;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> lab.run("down")));
        SimulatorProcess sim = SimulatorProcess.start(dir, "tunnel-modem", "quectel-ec25", "set sim present", "set apn-allowed iot.test",
                "set ip 10.64.0.10", "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
        List<Option> options = new ArrayList<>(SimulatedModems.configure(SIMS, MODEM, sim, "iot.test"));
        options.add(systemProperty(PROPS + ".dir").value(dir.toString()));
        options.add(systemProperty(PROPS + ".script").value(TunnelLab.script().toString()));
        return distribution(options.toArray(Option[]::new));
    }

    @AfterClass
    public static void teardown() {
        if (labInDriver != null) {
            labInDriver.run("down");
        }
    }

    private TunnelLab lab() {
        return new TunnelLab(PREFIX, Paths.get(System.getProperty(PROPS + ".dir")), Paths.get(System.getProperty(PROPS + ".script")));
    }

    @Before
    public void prepare() throws Exception {
        events.start(context, SitegateTopics.PREFIX + "tunnel/*");
    }

    @After
    public void clear() throws Exception {
        try {
            section().apply(new ConfigSection("tunnels", Map.of()), "TunnelIT cleanup");
        } finally {
            events.stop();
        }
    }

    private ConfigurableSection section() throws Exception {
        long deadline = System.currentTimeMillis() + UP_MS;
        while (true) {
            for (ServiceReference<ConfigurableSection> r : context.getServiceReferences(ConfigurableSection.class,
                    "(" + ConfigurableSection.SECTION + "=tunnels)")) {
                return context.getService(r);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no tunnels section");
            }
            Thread.sleep(100);
        }
    }

    private TunnelService tunnels() {
        ServiceReference<TunnelService> r = context.getServiceReference(TunnelService.class);
        assertTrue("the tunnel service is registered", r != null);
        return context.getService(r);
    }

    private Map<String, String> openvpn(String endpoints, int priority) throws Exception {
        Map<String, String> env = lab().env();
        Map<String, String> m = new HashMap<>();
        m.put("type", "openvpn");
        m.put("priority", String.valueOf(priority));
        m.put("endpoints", endpoints);
        m.put("prefixes", env.get("CLOUD_PREFIX"));
        m.put("probe.address", env.get("CLOUD_HOST"));
        m.put("probe.interval", "1");
        m.put("probe.failures", "2");
        m.put("probe.successes", "2");
        m.put("failback.holdDown", "5");
        m.put("keepalive", "2");
        m.put("keepalive.timeout", "8");
        m.put("namespace", env.get("GW_NS"));
        m.put("openvpn.ca", env.get("CA"));
        m.put("openvpn.cert", env.get("CLIENT_CERT"));
        m.put("openvpn.key", env.get("CLIENT_KEY"));
        return m;
    }

    private Map<String, String> ipsec(String auth) throws Exception {
        Map<String, String> env = lab().env();
        Map<String, String> m = new HashMap<>();
        m.put("type", "ipsec");
        m.put("endpoints", "eu:" + env.get("IKE_ADDR"));
        m.put("prefixes", env.get("CLOUD_PREFIX"));
        m.put("probe.address", env.get("CLOUD_HOST"));
        m.put("probe.interval", "1");
        m.put("namespace", env.get("GW_NS"));
        m.put("source", env.get("GW_LAN_ADDR"));
        m.put("ipsec.vici", "unix://" + env.get("GW_VICI"));
        m.put("ipsec.remoteId", env.get("IKE_ID"));
        m.put("ipsec.localTs", env.get("LAN_PREFIX"));
        m.put("ipsec.auth", auth);
        if (auth.equals("psk")) {
            m.put("ipsec.localId", env.get("GW_PSK_ID"));
            m.put("ipsec.pskSecret", "lab-psk");
        } else {
            m.put("ipsec.localId", env.get("GW_CERT_ID"));
            m.put("ipsec.cert", env.get("IPSEC_CERT"));
            m.put("ipsec.key", env.get("IPSEC_KEY"));
            m.put("ipsec.ca", env.get("CA"));
        }
        return m;
    }

    private void apply(Map<String, Map<String, String>> byName) throws Exception {
        Map<String, Map<String, String>> pids = new HashMap<>();
        byName.forEach((name, values) -> pids.put("io.sitegate.tunnel~" + name, values));
        section().apply(new ConfigSection("tunnels", pids), "TunnelIT");
    }

    private void secret(String name, String value) throws Exception {
        Path dir = Paths.get(System.getProperty("karaf.etc"), "secrets");
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, value);
    }

    private TunnelStatus status(String name) {
        return tunnels().tunnel(name).orElseThrow(() -> new AssertionError("no tunnel " + name));
    }

    private void awaitActive(String name, long ms) throws InterruptedException {
        try {
            await(name + " active", ms, () -> tunnels().active().equals(Optional.of(name)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; tunnels now: " + tunnels().tunnels(), e);
        }
    }

    /** From the LAN client, through the gateway and the active tunnel: ping, and a TCP echo. */
    private void assertLanReachesCloud() throws Exception {
        TunnelLab lab = lab();
        TunnelLab.Result ping = lab.in("lan", 20, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", lab.env().get("CLOUD_HOST"));
        assertEquals("ping from the LAN through the tunnel: " + ping.output(), 0, ping.exit());
        TunnelLab.Result echo = lab.in("lan", 20, "sh", "-c", "echo through-the-tunnel | socat -t 3 - TCP:" + lab.env().get("CLOUD_HOST")
                + ":" + lab.env().get("CLOUD_ECHO_PORT") + ",connect-timeout=5");
        assertTrue("TCP echo from the LAN through the tunnel: " + echo.output(), echo.output().contains("through-the-tunnel"));
    }

    private String route() {
        return lab().in("gw", 10, "ip", "route", "show", "10.99.0.0/24").output().strip();
    }

    // ---- OpenVPN: failover and failback between two VPN gateways -----------------------------------------------------

    @Test
    public void openVpnFailsOverToTheBackupAndBackAfterTheHoldDownWithoutFlapping() throws Exception {
        Map<String, String> env = lab().env();
        apply(Map.of("primary", openvpn("eu:" + env.get("VPN1_ADDR"), 100), "backup", openvpn("eu:" + env.get("VPN2_ADDR"), 50)));
        awaitActive("primary", UP_MS);
        await("backup healthy too", UP_MS, () -> status("backup").state() == TunnelStatus.State.UP);
        assertTrue(route(), route().contains("dev sg-primary"));
        assertLanReachesCloud();
        assertEquals(HealthState.UP, health.get("tunnels").orElseThrow().state());
        assertTrue(health.get("tunnels").orElseThrow().reason().contains("active: primary"));

        List<Long> gaps = new ArrayList<>();
        for (int round = 1; round <= 1; round++) { // SiteIT fails over once more through the whole site
            events.clear();
            try (LanPinger pinger = LanPinger.start(lab(), env.get("CLOUD_HOST"))) {
                Thread.sleep(1000);
                lab().run("stop-vpn", "vpn1");
                awaitActive("backup", 20_000);
                assertTrue(route(), route().contains("dev sg-backup"));
                Thread.sleep(2000);
                long gap = pinger.longestGapMs();
                gaps.add(gap);
                System.out.println("TunnelIT: failover round " + round + ": " + gap + " ms without an answer at the LAN client");
                assertTrue("round " + round + ": the LAN client's traffic flows again over the backup (gap " + gap + " ms)",
                        pinger.answeredSinceMs() < 1500);
            }
            assertLanReachesCloud();
            assertEquals(HealthState.DEGRADED, health.get("tunnels").orElseThrow().state());
            await("a TUNNEL_FAILOVER event", 5000, () -> events.stream().anyMatch(e -> e.getTopic().equals(SitegateTopics.TUNNEL_FAILOVER)
                    && "primary".equals(e.getProperty("from")) && "backup".equals(e.getProperty("to"))));

            lab().run("start-vpn", "vpn1");
            long back = System.currentTimeMillis();
            awaitActive("primary", 60_000);
            long took = System.currentTimeMillis() - back;
            assertTrue("failback waits for the hold-down (5 s): " + took + " ms", took >= 5000);
            assertTrue(route(), route().contains("dev sg-primary"));
            assertLanReachesCloud();
            long failovers = events.stream().filter(e -> e.getTopic().equals(SitegateTopics.TUNNEL_FAILOVER)).count();
            assertEquals("exactly one failover and one failback in round " + round + ": " + events.stream().map(Event::toString)
                    .collect(Collectors.toList()), 2, failovers);
        }
        System.out.println("TunnelIT: failover gaps " + gaps + " ms");
        for (long g : gaps) {
            assertTrue("failover gap " + g + " ms (target < 5000)", g < 5000);
        }
        // tunnel-list as a viewer shows the active one; a viewer may not take a tunnel down
        SshResult list = asViewer("sitegate:tunnel-list");
        assertEquals(list.output(), 0, list.exit());
        assertTrue(list.output(), list.output().contains("primary") && list.output().contains("backup") && list.output().contains("Active: primary"));
        SshResult down = asViewer("sitegate:tunnel-down primary");
        assertNotEquals(down.output(), 0, down.exit());
        assertEquals("primary", tunnels().active().orElse(""));
    }

    @Test
    public void theGatewayRestartsAnOpenVpnClientThatDiesAndShowsStateAndBytes() throws Exception {
        Map<String, String> env = lab().env();
        apply(Map.of("solo", openvpn("eu:" + env.get("VPN3_ADDR"), 100)));
        awaitActive("solo", UP_MS);
        assertLanReachesCloud();
        TunnelStatus s = status("solo");
        assertEquals(env.get("VPN3_ADDR") + ":1194", s.endpoint());
        await("byte counts", 15_000, () -> status("solo").bytesIn() > 0 && status("solo").bytesOut() > 0);

        String pid = lab().in("gw", 10, "sh", "-c", "pgrep -f 'openvpn --config .*solo.conf' | head -1").output().strip();
        assertFalse("the gateway's openvpn client runs", pid.isEmpty());
        TunnelLab.exec(List.of("kill", "-9", pid), 10);
        await("no tunnel active after solo's client died", 10_000, () -> tunnels().active().isEmpty());
        awaitActive("solo", UP_MS);
        String again = lab().in("gw", 10, "sh", "-c", "pgrep -f 'openvpn --config .*solo.conf' | head -1").output().strip();
        assertNotEquals("a new openvpn process", pid, again);
        assertLanReachesCloud();

        lab().run("stop-vpn", "vpn3");
        await("the server's death shows in the state", 20_000, () -> status("solo").state() != TunnelStatus.State.UP);
        System.out.println("TunnelIT: server killed, solo is " + status("solo").state() + ": " + status("solo").reason());
        assertEquals(HealthState.DOWN, health.get("tunnels").orElseThrow().state());
        assertTrue("unreachable, not leaked to the WAN: " + route(), route().startsWith("unreachable"));
        lab().run("start-vpn", "vpn3");
        awaitActive("solo", UP_MS);
        SshResult log = asViewer("sitegate:tunnel-log solo");
        assertTrue(log.output(), log.output().contains("Initialization Sequence Completed"));
    }

    // ---- IPsec through the router's charon ---------------------------------------------------------------------------

    @Test
    public void ipsecWithAPskAndWithCertificatesCarriesTheLanAndAWrongPskSaysSo() throws Exception {
        secret("lab-psk", Files.readString(Paths.get(lab().env().get("PSK_FILE"))).strip());
        apply(Map.of("corp", ipsec("psk")));
        awaitActive("corp", UP_MS);
        assertTrue(route(), route().contains("dev ipsec0") && route().contains("src 10.77.1.1"));
        assertLanReachesCloud();
        TunnelStatus s = status("corp");
        assertTrue(s.details().toString(), s.details().stream().anyMatch(d -> d.startsWith("IKE_SA corp") && d.contains("ESTABLISHED")));
        assertTrue(s.details().toString(), s.details().stream().anyMatch(d -> d.startsWith("CHILD_SA") && d.contains("INSTALLED")));
        await("a TUNNEL_UP event", 5000, () -> events.stream().anyMatch(e -> e.getTopic().equals(SitegateTopics.TUNNEL_UP)
                && "corp".equals(e.getProperty("name"))));
        SshResult status = asViewer("sitegate:status");
        assertTrue(status.output(), status.output().contains("active: corp (ipsec, eu"));

        // charon dies and comes back (kill -9): the session reconnects, the SA is set up again, and the route follows
        // the new ipsec0 (the old one went with the old charon)
        lab().run("restart-gw-charon");
        Thread.sleep(3000);
        await("corp up through the restarted charon", UP_MS, () -> status("corp").state() == TunnelStatus.State.UP);
        awaitActive("corp", UP_MS);
        await("the route through the new ipsec0", 10_000, () -> route().contains("dev ipsec0"));
        assertLanReachesCloud();

        apply(Map.of("corp", ipsec("pubkey")));
        String certId = lab().env().get("GW_CERT_ID");
        await("the SA with the certificate identity " + certId, UP_MS, () -> status("corp").state() == TunnelStatus.State.UP
                && status("corp").details().stream().anyMatch(d -> d.startsWith("IKE_SA corp") && d.contains(certId + "@")));
        awaitActive("corp", UP_MS);
        assertLanReachesCloud();

        secret("lab-psk", "this-is-not-the-key-the-cloud-has");
        apply(Map.of("corp", ipsec("psk")));
        await("a clear authentication error", UP_MS, () -> status("corp").reason().contains("authentication failed"));
        System.out.println("TunnelIT: wrong PSK: " + status("corp").reason());
        assertFalse(status("corp").reason().contains("this-is-not-the-key"));
        assertEquals(HealthState.DOWN, health.get("tunnel/corp").orElseThrow().state());
    }

    // ---- region ------------------------------------------------------------------------------------------------------

    @Test
    public void theTunnelMovesToTheRegionOfTheNetworkTheModemIsOn() throws Exception {
        Map<String, String> env = lab().env();
        SimulatorProcess sim = SimulatedModems.sim(SIMS, MODEM);
        sim.send("set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
        apply(Map.of("geo", openvpn("eu:" + env.get("VPN1_ADDR") + ", na:" + env.get("VPN3_ADDR"), 100)));
        awaitActive("geo", UP_MS);
        await("eu endpoint", UP_MS, () -> status("geo").endpoint().startsWith(env.get("VPN1_ADDR")));
        assertEquals("eu", status("geo").region());

        sim.send("set reg 1 act=7 tac=0101 ci=0A0B0C0D oper=310260 name=\"T-Mobile US\"");
        await("na endpoint after the modem moved to 310260", UP_MS, () -> status("geo").endpoint().startsWith(env.get("VPN3_ADDR"))
                && status("geo").state() == TunnelStatus.State.UP);
        assertEquals("na", status("geo").region());
        assertLanReachesCloud();

        // a region with no endpoint and leaving not allowed: no tunnel, the prefixes unreachable (data stays in the region)
        sim.send("set reg 1 act=7 tac=0101 ci=0A0B0C0D oper=44010 name=\"NTT docomo\"");
        await("no endpoint in asia", UP_MS, () -> status("geo").state() == TunnelStatus.State.DOWN);
        assertTrue(status("geo").reason(), status("geo").reason().contains("region.leave"));
        sim.send("set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
    }

    // ---- bad configuration -------------------------------------------------------------------------------------------

    @Test
    public void invalidTunnelConfigurationsAreRefusedNamingTheProperty() throws Exception {
        Map<String, String> bad = ipsec("psk");
        bad.put("prefixes", "10.99.0.1/24");
        bad.put("ipsec.proposals", "aes256-sha999-modp2048");
        bad.put("ipsec.pskSecret", "no-such-secret");
        try {
            apply(Map.of("corp", bad));
            fail("refused");
        } catch (ConfigRefusedException e) {
            List<String> props = e.problems().stream().map(ConfigProblem::property).collect(Collectors.toList());
            assertTrue(props.toString(), props.containsAll(List.of("prefixes", "ipsec.pskSecret")));
        }
        assertTrue("nothing applied", tunnels().tunnels().isEmpty());
        Map<String, String> good = ipsec("psk");
        good.put("ipsec.proposals", "aes256-sha999-modp2048");
        secret("lab-psk", Files.readString(Paths.get(lab().env().get("PSK_FILE"))).strip());
        List<ConfigProblem> problems = section().validate(new ConfigSection("tunnels", Map.of("io.sitegate.tunnel~corp", good)));
        assertEquals(problems.toString(), List.of("ipsec.proposals"), problems.stream().map(ConfigProblem::property).collect(Collectors.toList()));

        // a charon that is not there: valid configuration, a clear state, and nothing routed to the WAN
        Map<String, String> nowhere = ipsec("psk");
        nowhere.put("ipsec.vici", "unix:///run/sitegate-no-such-charon.vici");
        apply(Map.of("corp", nowhere));
        await("a clear state", 20_000, () -> status("corp").reason().contains("charon does not answer on unix:///run/sitegate-no-such-charon.vici"));
        assertEquals(HealthState.DOWN, health.get("tunnel/corp").orElseThrow().state());
        await("unreachable", 10_000, () -> route().startsWith("unreachable"));
    }

    /** {@code ping -D -i 0.1} from the LAN client; the longest time between two answers. */
    static final class LanPinger implements AutoCloseable {
        private final Process process;
        private final List<Double> answers = new CopyOnWriteArrayList<>();

        private LanPinger(Process process) {
            this.process = process;
            Thread t = new Thread(this::read, "lan-pinger");
            t.setDaemon(true);
            t.start();
        }

        static LanPinger start(TunnelLab lab, String target) throws Exception {
            Process p = new ProcessBuilder("ip", "netns", "exec", lab.prefix() + "-lan", "ping", "-n", "-D", "-i", "0.1", "-W", "1", target)
                    .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            return new LanPinger(p);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("[") && line.contains("bytes from")) {
                        answers.add(Double.parseDouble(line.substring(1, line.indexOf(']'))));
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
        }

        long longestGapMs() {
            double longest = 0;
            for (int i = 1; i < answers.size(); i++) {
                longest = Math.max(longest, answers.get(i) - answers.get(i - 1));
            }
            return Math.round(longest * 1000);
        }

        long answeredSinceMs() {
            return answers.isEmpty() ? Long.MAX_VALUE : Math.round(System.currentTimeMillis() - answers.get(answers.size() - 1) * 1000);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
