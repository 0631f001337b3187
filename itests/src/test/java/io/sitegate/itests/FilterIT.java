package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The outbound filter in the built distribution with the real kernel: the gateway is this machine's root network
 * namespace (Karaf runs there, with its DNS forwarder on the LAN side), a LAN client in namespace sgf-lan behind veth
 * sgf-l1, and a "cloud" namespace behind veth sgf-c1 with TCP listeners. In allow-list mode, a name allowed by the
 * filter works the moment the client has its DNS answer, a name not allowed or a raw address does not, the set entry
 * expires with the TTL, a restarted filter allows the names still in the DNS cache again; a rule that would cut the
 * gateway off its MQTT broker is refused by the section's validate and apply; access windows by command and by the policy's section.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FilterIT extends SitegateTestSupport {
    static final String LAN = "sgf-lan";
    static final String CLOUD = "sgf-cloud";
    static final int DNS_PORT = 5353;
    private static FakeUpstream upstream;
    private static String forwarding;
    private static final String FORWARDING = "/tmp/sitegate-filterit-ip_forward";

    @Inject
    FeaturesService features;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    HealthRegistry health;

    @Inject
    BundleContext context;

    @Configuration
    public static Option[] config() {
        // Pax Exam runs @AfterClass after every test method in the container: the namespaces, links and table go when
        // the test JVM ends instead
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                teardown();
            } catch (Exception e) {
                System.err.println("FilterIT teardown: " + e);
            }
        }));
        return distribution();
    }

    @Before
    public void filter() throws Exception {
        if (upstream != null) {
            return;
        }
        topology();
        upstream = FakeUpstream.start("127.0.0.1", freeUdpPort());
        upstream.on("api.example.test", ttl(3, "203.0.113.7"));
        upstream.on("cached.example.test", ttl(120, "203.0.113.9"));
        upstream.on("other.example.test", ttl(120, "203.0.113.8"));
        update("io.sitegate.dns", Map.of("listen", "10.77.0.1:" + DNS_PORT, "upstreams", "udp://127.0.0.1:" + upstream.address().getPort(),
                "log.querySample", "0"));
        await("dns UP", 30_000, () -> health.get("dns").map(h -> h.state() == HealthState.UP).orElse(false));
        if (!features.isInstalled(features.getFeature("sitegate-filter"))) {
            features.installFeature("sitegate-filter");
        }
        update("io.sitegate.filter", Map.of("default", "deny", "allow", "api.example.test tcp/443, cached.example.test tcp/443",
                "lan.interfaces", "sgf-l1", "wan.interfaces", "sgf-c1"));
        await("filter UP", 30_000, () -> health.get("filter").map(h -> h.state() != HealthState.DOWN
                && h.reason().contains("2 rules")).orElse(false));
    }

    static void teardown() throws Exception {
        sh("nft delete table inet sitegate 2>/dev/null; true");
        for (String ns : List.of(LAN, CLOUD)) {
            sh("ip netns pids " + ns + " 2>/dev/null | xargs -r kill; ip netns del " + ns + " 2>/dev/null; true");
        }
        sh("ip link del sgf-l1 2>/dev/null; ip link del sgf-c1 2>/dev/null; true");
        // the forwarding setting from before the first topology, whichever JVM tears down
        sh("[ -f " + FORWARDING + " ] && sysctl -qw net.ipv4.ip_forward=$(cat " + FORWARDING + ") && rm -f " + FORWARDING + "; true");
    }

    private static void topology() throws Exception {
        sh("nft delete table inet sitegate 2>/dev/null; ip netns del " + LAN + " 2>/dev/null; ip netns del " + CLOUD
                + " 2>/dev/null; ip link del sgf-l1 2>/dev/null; ip link del sgf-c1 2>/dev/null; true");
        forwarding = sh("sysctl -n net.ipv4.ip_forward").strip();
        sh("[ -f " + FORWARDING + " ] || echo " + forwarding + " > " + FORWARDING);
        sh("ip netns add " + LAN + " && ip netns add " + CLOUD);
        sh("ip link add sgf-l1 type veth peer name sgf-l0 netns " + LAN);
        sh("ip link add sgf-c1 type veth peer name sgf-c0 netns " + CLOUD);
        sh("ip addr add 10.77.0.1/24 dev sgf-l1 && ip link set sgf-l1 up");
        sh("ip addr add 10.78.0.1/24 dev sgf-c1 && ip link set sgf-c1 up");
        sh("ip route add 203.0.113.0/24 via 10.78.0.2");
        sh("sysctl -qw net.ipv4.ip_forward=1");
        sh("ip -n " + LAN + " link set lo up && ip -n " + LAN + " addr add 10.77.0.2/24 dev sgf-l0 && ip -n " + LAN + " link set sgf-l0 up"
                + " && ip -n " + LAN + " route add default via 10.77.0.1");
        sh("ip -n " + CLOUD + " link set lo up && ip -n " + CLOUD + " addr add 10.78.0.2/24 dev sgf-c0 && ip -n " + CLOUD
                + " link set sgf-c0 up && ip -n " + CLOUD + " route add 10.77.0.0/24 via 10.78.0.1");
        for (String h : List.of("203.0.113.7", "203.0.113.8", "203.0.113.9")) {
            sh("ip -n " + CLOUD + " addr add " + h + "/32 dev lo");
        }
        for (String ns : List.of(CLOUD, LAN)) {
            new ProcessBuilder("ip", "netns", "exec", ns, "socat", "TCP-LISTEN:443,fork,reuseaddr", "SYSTEM:true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        Thread.sleep(300);
    }

    @Test
    public void anAllowedNameWorksTheMomentItIsResolvedAndNothingElseGetsOut() throws Exception {
        assertFalse("not resolved yet: blocked", connects("203.0.113.7"));
        // resolve and connect in one shell, no pause: the address must be in the set before the answer arrives
        String r = lan("dig +short +time=2 +tries=1 @10.77.0.1 -p " + DNS_PORT + " api.example.test && timeout 1 bash -c 'exec 3<>/dev/tcp/203.0.113.7/443' && echo CONNECTED");
        assertTrue(r, r.contains("203.0.113.7") && r.contains("CONNECTED"));
        String other = lan("dig +short +time=2 +tries=1 @10.77.0.1 -p " + DNS_PORT + " other.example.test");
        assertTrue(other, other.contains("203.0.113.8"));
        assertFalse("a name that is not allowed", connects("203.0.113.8"));
        assertFalse("a raw address", connects("203.0.113.9"));
        // the answer lived 3 s: its set entry expires with it
        Thread.sleep(4_500);
        assertFalse("expired with the TTL", connects("203.0.113.7"));
    }

    @Test
    public void aRestartedFilterAllowsTheNamesStillInTheDnsCache() throws Exception {
        String r = lan("dig +short +time=2 +tries=1 @10.77.0.1 -p " + DNS_PORT + " cached.example.test");
        assertTrue(r, r.contains("203.0.113.9"));
        assertTrue(connects("203.0.113.9"));
        Bundle filter = bundle("io.sitegate.filter");
        filter.stop();
        filter.start();
        await("filter UP again", 30_000, () -> health.get("filter").map(h -> h.state() != HealthState.DOWN).orElse(false));
        // no new lookup: the forwarder tells the new filter what its cache holds
        long deadline = System.currentTimeMillis() + 10_000;
        boolean ok = false;
        while (!ok && System.currentTimeMillis() < deadline) {
            ok = connects("203.0.113.9");
        }
        assertTrue("the cached name works again after the restart", ok);
    }

    @Test
    public void aRuleThatWouldCutTheGatewayOffItsBrokerIsRefusedWithTheReason() throws Exception {
        ConfigurableSection section = section("filter");
        // the broker the policy agent would use (its configuration is read from ConfigAdmin, as at a gateway)
        update("io.sitegate.policy", Map.of("broker", "ssl://198.51.100.20:8883", "tls.ca", "/nonexistent", "tls.cert", "/nonexistent",
                "tls.key", "/nonexistent"));
        ConfigSection proposed = ConfigSection.of("filter", "io.sitegate.filter", Map.of("default", "allow", "deny", "198.51.100.0/24",
                "lan.interfaces", "sgf-l1", "wan.interfaces", "sgf-c1"));
        String problems = section.validate(proposed).toString();
        assertTrue(problems, problems.contains("deny 198.51.100.0/24") && problems.contains("the MQTT broker 198.51.100.20:8883"));
        try {
            section.apply(proposed, "policy group:plant-7 v5");
            throw new AssertionError("applied a filter that cuts the broker");
        } catch (io.sitegate.core.config.ConfigRefusedException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("the MQTT broker"));
        }
        ConfigSection fine = ConfigSection.of("filter", "io.sitegate.filter", Map.of("default", "allow", "deny", "10.99.0.0/16",
                "lan.interfaces", "sgf-l1", "wan.interfaces", "sgf-c1"));
        assertEquals(List.of(), section.validate(fine));
    }

    @Test
    public void anAccessWindowLetsOneSourceInForItsTimeAndSurvivesARestart() throws Exception {
        assertFalse("nothing from the WAN reaches the LAN", connectsFrom(CLOUD, "10.77.0.2"));
        SshResult viewer = asViewer("sitegate:access-open --from 10.78.0.2/32 --to 10.77.0.2:443 --for 4s --wan");
        assertTrue("a viewer may not open a window: " + viewer.output(), viewer.output().contains("Insufficient credentials")
                || viewer.output().contains("Command not found"));
        SshResult open = asAdmin("sitegate:access-open --from 10.78.0.2/32 --to 10.77.0.2:443 --for 4s --wan");
        assertEquals(open.output(), 0, open.exit());
        assertTrue(open.output(), open.output().contains("from 10.78.0.2/32 to 10.77.0.2:443 via wan") && open.output().contains("operator 'itadmin'"));
        assertTrue("the window is open", connectsFrom(CLOUD, "10.77.0.2"));
        Thread.sleep(5_000);
        assertFalse("and closed on time", connectsFrom(CLOUD, "10.77.0.2"));
        assertTrue(asViewer("sitegate:access-list").output().contains("No access window is open."));

        SshResult longer = asAdmin("sitegate:access-open --from 10.78.0.2/32 --to 10.77.0.2:443 --for 10m --wan");
        String id = longer.output().replaceAll("(?s).*Opened ([0-9a-f]{6}):.*", "$1");
        Bundle filter = bundle("io.sitegate.filter");
        filter.stop();
        filter.start();
        await("filter UP again", 30_000, () -> health.get("filter").map(h -> h.state() != HealthState.DOWN).orElse(false));
        assertTrue("the window survived the restart", connectsFrom(CLOUD, "10.77.0.2"));
        String list = asViewer("sitegate:access-list").output();
        assertTrue(list, list.contains(id) && list.contains("s left"));
        SshResult close = asAdmin("sitegate:access-close " + id);
        assertEquals(close.output(), 0, close.exit());
        assertFalse("closed", connectsFrom(CLOUD, "10.77.0.2"));
    }

    @Test
    public void aWindowFromThePolicysFilterSectionOpensAndClosesWithIt() throws Exception {
        ConfigurableSection section = section("filter");
        ConfigSection before = section.snapshot();
        java.time.Instant until = java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, String> values = new java.util.TreeMap<>(before.values("io.sitegate.filter"));
        values.put("access", "10.78.0.2/32 10.77.0.2:443 until " + until + " wan");
        // another test may have given the agent a broker: an allow list must let the gateway reach it
        values.put("allow", values.getOrDefault("allow", "") + ", 198.51.100.20 tcp/8883");
        section.apply(ConfigSection.of("filter", "io.sitegate.filter", values), "policy group:plant-7 v9");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!connectsFrom(CLOUD, "10.77.0.2") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue("the policy's window is open", connectsFrom(CLOUD, "10.77.0.2"));
        // the same section again (a restart, a re-sent policy) changes nothing; without the entry the window closes
        section.apply(ConfigSection.of("filter", "io.sitegate.filter", values), "policy group:plant-7 v9");
        assertTrue(connectsFrom(CLOUD, "10.77.0.2"));
        values.remove("access");
        section.apply(ConfigSection.of("filter", "io.sitegate.filter", values), "policy group:plant-7 v10");
        deadline = System.currentTimeMillis() + 10_000;
        while (connectsFrom(CLOUD, "10.77.0.2") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertFalse("closed with the policy's section", connectsFrom(CLOUD, "10.77.0.2"));
    }

    // ---- helpers ----

    private static FakeUpstream.Responder ttl(long seconds, String address) {
        return query -> {
            Message m = FakeUpstream.correct(query);
            Record q = query.getQuestion();
            m.addRecord(new ARecord(q.getName(), q.getDClass(), seconds, InetAddress.getByName(address)), Section.ANSWER);
            return List.of(FakeUpstream.reply(m));
        };
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private ConfigurableSection section(String name) throws Exception {
        for (ServiceReference<ConfigurableSection> r : context.getServiceReferences(ConfigurableSection.class,
                "(" + ConfigurableSection.SECTION + "=" + name + ")")) {
            return context.getService(r);
        }
        throw new AssertionError("no section " + name);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private void update(String pid, Map<String, String> values) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, null);
        Dictionary<String, Object> d = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        values.forEach(d::put);
        c.update(d);
    }

    private static boolean connects(String host) throws Exception {
        return connectsFrom(LAN, host);
    }

    private static boolean connectsFrom(String ns, String host) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/443")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        return p.exitValue() == 0;
    }

    private static String lan(String script) throws Exception {
        return sh("ip netns exec " + LAN + " bash -c \"" + script.replace("\"", "\\\"") + "\"; true");
    }

    private static String sh(String cmd) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
