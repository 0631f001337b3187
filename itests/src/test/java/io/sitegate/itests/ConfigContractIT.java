package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;
import io.sitegate.modem.SessionState;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
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

/**
 * The capability configuration contract (issue 16) on the running gateway, for DNS, cellular and modem:
 * validate / diff / apply / snapshot / restore round trips; an invalid change through the etc file,
 * {@code config:edit} and the API each refused while the old configuration keeps serving (DNS answers,
 * the modem's session stays up); a change the component itself refuses rolled back; drift shown and put
 * back; {@code sitegate:config-check}; and new data sessions refused while the cellular policy is configured
 * but its bundle is stopped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigContractIT extends SitegateTestSupport {
    private static final String PROPS = "sitegate.it.contract";
    private static final String DNS = "io.sitegate.dns";
    private static final String CELLULAR = "io.sitegate.cellular";
    private static final String WAN0 = "io.sitegate.modem~wan0";
    private static final String APN = "iot.contract";
    private static final long CHANGE_MS = 25_000;
    private static final long BOOT_MS = 60_000;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ConfigLedger ledger;

    @Inject
    Modems modems;

    private final EventRecorder events = new EventRecorder();
    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "config-contract").toAbsolutePath();
            DnsUpstream upstream = DnsUpstream.start(dir, "contract", List.of("127.0.57.1"), null, null,
                    List.of(DnsIT.itZone("contract")));
            int port = DnsIT.freeLoopbackPort();
            SimulatorProcess sim = SimulatorProcess.start(dir, "wan0", "quectel-ec25", "set sim present", "set apn-allowed " + APN,
                    "set ip 10.64.0.10", "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
            List<Option> o = new ArrayList<>(SimulatedModems.configure(PROPS, "wan0", sim, APN));
            o.add(editConfigurationFilePut(DnsIT.CFG, "listen", "127.0.0.1:" + port));
            o.add(editConfigurationFilePut(DnsIT.CFG, "upstreams", upstream.spec()));
            o.add(editConfigurationFilePut(DnsIT.CFG, "rateLimit.qps", "0"));
            o.add(systemProperty(PROPS + ".port").value(String.valueOf(port)));
            options = distribution(o.toArray(Option[]::new));
        }
        return options.clone();
    }

    @Before
    public void listen() {
        events.start(context, SitegateTopics.PREFIX + "config/*");
    }

    @After
    public void stopListening() {
        events.stop();
    }

    // --- DNS ---

    @Test
    public void dnsRoundTripRefusalsRollbackDriftAndConfigCheck() throws Exception {
        ConfigurableSection dns = section("dns");
        awaitAnswers();
        assertEquals("NOERROR", query("mail.it.example").status());
        ConfigSection before = dns.snapshot();
        assertEquals(before.toString(), "127.0.0.1:" + port(), before.values(DNS).get("listen"));

        // validate: every problem at once, each naming the property and the value; nothing applied
        ConfigSection bad = with(before, DNS, "cache.maxTtl", "forever", "rateLimit.qpz", "1", "route", "private");
        List<ConfigProblem> problems = dns.validate(bad);
        assertEquals(problems.toString(), List.of("cache.maxTtl", "rateLimit.qpz", "route"),
                problems.stream().map(ConfigProblem::property).sorted().toList());
        assertTrue(problems.toString(), problems.stream().anyMatch(p -> p.message().equals(
                "io.sitegate.dns: property 'cache.maxTtl' has invalid value 'forever': expected a whole number")));
        assertEquals(List.of("tls.ca"), dns.validate(with(before, DNS, "tls.ca", "/nonexistent/ca.pem")).stream()
                .map(ConfigProblem::property).toList());

        // diff in words, then apply: in force, in ConfigAdmin, in the etc file, and serving
        ConfigSection good = with(before, DNS, "cache.minTtl", "5", "firewall.deny", "mail.it.example");
        List<String> diff = dns.diff(good).stream().map(Object::toString).toList();
        assertTrue(diff.toString(), diff.contains("io.sitegate.dns: cache.minTtl changed from '0' to '5'")
                && diff.contains("io.sitegate.dns: firewall.deny added mail.it.example"));
        ConfigSection applied = dns.apply(good, "ConfigContractIT v1");
        assertEquals(good.values(DNS), applied.values(DNS));
        assertEquals(good.values(DNS), configured(DNS));
        await("the etc file written back", CHANGE_MS, () -> etc("io.sitegate.dns.cfg").contains("mail.it.example"));
        assertEquals("NXDOMAIN", query("mail.it.example").status());
        assertEquals("NOERROR", query("www.it.example").status());

        // refused by validation: nothing changes
        try {
            dns.apply(bad, "ConfigContractIT bad");
            fail("applied " + bad);
        } catch (ConfigRefusedException e) {
            assertEquals(3, e.problems().size());
        }
        assertEquals(good.values(DNS), dns.snapshot().values(DNS));
        assertEquals(good.values(DNS), configured(DNS));

        // valid, but the forwarder cannot listen there: refused by the component, every PID put back, still serving
        try (DatagramSocket held = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            ConfigSection busy = with(good, DNS, "listen", "127.0.0.1:" + held.getLocalPort());
            assertEquals(List.of(), dns.validate(busy));
            try {
                dns.apply(busy, "ConfigContractIT busy");
                fail("applied a listener on a taken port");
            } catch (ConfigRefusedException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("listen") && e.getMessage().contains("cannot listen"));
            }
        }
        assertEquals(good.values(DNS), dns.snapshot().values(DNS));
        await("ConfigAdmin put back", CHANGE_MS, () -> good.values(DNS).equals(configured(DNS)));
        assertEquals("NOERROR", query("www.it.example").status());

        // an invalid change through the file: refused, shown, the forwarder keeps serving
        String file = etc("io.sitegate.dns.cfg");
        try {
            Files.writeString(etcPath("io.sitegate.dns.cfg"), file + "\ncache.maxTtl = forever\n", StandardCharsets.UTF_8);
            await("the file's change refused", CHANGE_MS, () -> !ledger.refusal(DNS).isEmpty());
            assertEquals("NOERROR", query("www.it.example").status());
            assertEquals(good.values(DNS), dns.snapshot().values(DNS));
            SshResult status = asAdmin("sitegate:status");
            assertTrue(status.output(), status.output().contains(
                    "refused (the previous stays in force): io.sitegate.dns: property 'cache.maxTtl' has invalid value 'forever'"));
        } finally {
            Files.writeString(etcPath("io.sitegate.dns.cfg"), file, StandardCharsets.UTF_8);
        }
        await("the file accepted again", CHANGE_MS, () -> ledger.refusal(DNS).isEmpty());

        // through config:edit, a CA file that does not exist: the TLS trust fails before the running forwarder is touched
        SshResult edit = asAdmin("config:edit io.sitegate.dns; config:property-set tls.ca /nonexistent/ca.pem; config:update");
        assertEquals(edit.output(), 0, edit.exit());
        await("config:edit refused", CHANGE_MS, () -> ledger.refusal(DNS).stream().anyMatch(p -> p.property().equals("tls.ca")));
        assertEquals("NOERROR", query("www.it.example").status());
        assertEquals(good.values(DNS), dns.snapshot().values(DNS));

        // a local change of a value the apply set is drift: shown, posted, and put back by the next apply
        events.clear();
        asAdmin("config:edit io.sitegate.dns; config:property-delete tls.ca; config:property-set cache.minTtl 7; config:update");
        await("drift seen", CHANGE_MS, () -> ledger.drift().stream().anyMatch(d -> d.property().equals("cache.minTtl")));
        SshResult status = asAdmin("sitegate:status");
        assertTrue(status.output(), status.output().contains(
                "drift: io.sitegate.dns cache.minTtl: ConfigContractIT v1 set '5', now '7' (changed locally)"));
        // the rolled-back and refused changes before did not change who owns the values
        assertTrue(status.output(), !status.output().contains("previous configuration"));
        await("CONFIG_DRIFT posted", CHANGE_MS, () -> events.stream().anyMatch(e -> e.getTopic().equals(SitegateTopics.CONFIG_DRIFT)
                && "cache.minTtl".equals(e.getProperty("property")) && "7".equals(e.getProperty("local"))));
        dns.apply(good, "ConfigContractIT v2");
        assertEquals("5", configured(DNS).get("cache.minTtl"));
        await("no drift", CHANGE_MS, () -> ledger.drift().isEmpty());

        // config-check: the diff and every problem of a file, nothing applied
        Path proposed = Files.createTempFile("dns", ".cfg");
        Files.writeString(proposed, render(with(good, DNS, "cache.minTtl", "9").values(DNS)));
        SshResult check = asAdmin("sitegate:config-check dns " + proposed);
        assertTrue(check.output(), check.exit() == 0 && check.output().contains("~ io.sitegate.dns: cache.minTtl changed from '5' to '9'")
                && check.output().contains("Valid"));
        Files.writeString(proposed, render(with(good, DNS, "cache.minTtl", "-1", "upstrems", "x").values(DNS)));
        check = asAdmin("sitegate:config-check dns " + proposed);
        assertNotEquals(check.output(), 0, check.exit());
        assertTrue(check.output(), check.output().contains("! io.sitegate.dns: property 'cache.minTtl' has invalid value '-1'")
                && check.output().contains("! io.sitegate.dns: property 'upstrems' has invalid value 'x': unknown property"));
        assertEquals(good.values(DNS), dns.snapshot().values(DNS));

        // restore puts the snapshot back exactly
        dns.restore(before);
        assertEquals(before.values(DNS), dns.snapshot().values(DNS));
        assertEquals(before.values(DNS), configured(DNS));
        assertEquals("NOERROR", query("mail.it.example").status());
    }

    // --- cellular ---

    @Test
    public void cellularRoundTripAndInvalidChangesKeepTheSessionUp() throws Exception {
        ConfigurableSection cellular = section("cellular");
        Modem wan0 = awaitSessionUp();
        ConfigSection before = cellular.snapshot();
        List<ConfigProblem> problems = cellular.validate(with(before, CELLULAR, "networks.allowed", "2620A", "quota.sms.mo", "-3",
                "rat.alowed", "lte"));
        assertEquals(problems.toString(), List.of("networks.allowed", "quota.sms.mo", "rat.alowed"),
                problems.stream().map(ConfigProblem::property).sorted().toList());

        ConfigSection good = with(before, CELLULAR, "networks.allowed", "26201,26202", "quota.data.bytes", "5GB");
        assertTrue(cellular.diff(good).toString(), cellular.diff(good).stream().anyMatch(c -> c.text().equals(
                "io.sitegate.cellular: networks.allowed added 26201, 26202")));
        cellular.apply(good, "ConfigContractIT v1");
        assertEquals(good.values(CELLULAR), cellular.snapshot().values(CELLULAR));
        assertEquals(List.of("26201", "26202"), policies().current().network().allowedPlmns());
        // File Install writes the applied values back into the file after the apply returns
        await("the etc file written back", CHANGE_MS, () -> etc("io.sitegate.cellular.cfg").contains("26201,26202"));

        String file = etc("io.sitegate.cellular.cfg");
        try {
            Files.writeString(etcPath("io.sitegate.cellular.cfg"), file + "\nnetworks.allowed = 2620A\n", StandardCharsets.UTF_8);
            await("the file's change refused", CHANGE_MS, () -> policies().refusal().isPresent());
            assertEquals(List.of("26201", "26202"), policies().current().network().allowedPlmns());
            assertEquals(SessionState.UP, wan0.status().session());
        } finally {
            Files.writeString(etcPath("io.sitegate.cellular.cfg"), file, StandardCharsets.UTF_8);
        }
        await("the file accepted again", CHANGE_MS, () -> policies().refusal().isEmpty());
        asAdmin("config:edit io.sitegate.cellular; config:property-set quota.action sometimes; config:update");
        await("config:edit refused", CHANGE_MS, () -> ledger.refusal(CELLULAR).stream().anyMatch(p -> p.property().equals("quota.action")));
        assertEquals(good.values(CELLULAR), cellular.snapshot().values(CELLULAR));
        assertEquals(SessionState.UP, wan0.status().session());

        cellular.restore(before);
        assertEquals(before.values(CELLULAR), cellular.snapshot().values(CELLULAR));
        assertEquals(before.values(CELLULAR), configured(CELLULAR));
        assertEquals(SessionState.UP, wan0.status().session());
    }

    // --- modem ---

    @Test
    public void modemRoundTripAndInvalidChangesKeepTheSessionUp() throws Exception {
        ConfigurableSection modem = section("modem");
        Modem wan0 = awaitSessionUp();
        ConfigSection before = modem.snapshot();
        assertEquals(before.toString(), APN, before.values(WAN0).get("apn"));

        List<ConfigProblem> problems = modem.validate(with(before, WAN0, "apnUser", "a\"b", "cid", "99", "apm", "x"));
        assertEquals(problems.toString(), List.of("apm", "apnUser", "cid"), problems.stream().map(ConfigProblem::property).sorted().toList());
        assertTrue(modem.validate(new ConfigSection("modem", Map.of("io.sitegate.modem~Bad Name", Map.of("port", "/dev/x"))))
                .get(0).reason().contains("not a configuration of section 'modem'"));

        ConfigSection good = with(before, WAN0, "pollSeconds", "2");
        modem.apply(good, "ConfigContractIT v1");
        assertEquals(good.values(WAN0), modem.snapshot().values(WAN0));
        awaitSessionUp();

        asAdmin("config:edit io.sitegate.modem~wan0; config:property-set cid 99; config:update");
        await("config:edit refused", CHANGE_MS, () -> ledger.refusal(WAN0).stream().anyMatch(p -> p.property().equals("cid")));
        assertEquals(good.values(WAN0), modem.snapshot().values(WAN0));
        assertEquals(SessionState.UP, wan0.status().session());
        try {
            modem.apply(with(good, WAN0, "cid", "99"), "ConfigContractIT bad");
            fail("applied cid 99");
        } catch (ConfigRefusedException e) {
            assertEquals("cid", e.problems().get(0).property());
        }
        assertEquals(SessionState.UP, wan0.status().session());

        modem.restore(before);
        assertEquals(before.values(WAN0), modem.snapshot().values(WAN0));
        assertEquals(before.values(WAN0), configured(WAN0));
        awaitSessionUp();

        // and through the etc file
        await("the restored values in the file", CHANGE_MS, () -> !etc("io.sitegate.modem-wan0.cfg").matches("(?s).*cid\\s*=\\s*99\\b.*"));
        String file = etc("io.sitegate.modem-wan0.cfg");
        try {
            Files.writeString(etcPath("io.sitegate.modem-wan0.cfg"), file + "\npdpType = IPX\n", StandardCharsets.UTF_8);
            await("the file's change refused", CHANGE_MS, () -> ledger.refusal(WAN0).stream().anyMatch(p -> p.property().equals("pdpType")));
            assertEquals(before.values(WAN0), modem.snapshot().values(WAN0));
            assertEquals(SessionState.UP, wan0.status().session());
        } finally {
            Files.writeString(etcPath("io.sitegate.modem-wan0.cfg"), file, StandardCharsets.UTF_8);
        }
        await("the file accepted again", CHANGE_MS, () -> ledger.refusal(WAN0).isEmpty());
        assertEquals(SessionState.UP, wan0.status().session());
    }

    /** While the cellular policy is configured but its bundle is stopped, no new data session starts. */
    @Test
    public void newSessionsFailClosedWhileTheCellularPolicyIsNotEnforced() throws Exception {
        Modem wan0 = awaitSessionUp();
        Bundle cellular = bundle("io.sitegate.cellular");
        cellular.stop();
        try {
            assertEquals("a running session is left alone", SessionState.UP, wan0.status().session());
            wan0.disconnect();
            SimulatedModems.awaitSession(wan0, "wan0", SessionState.DISABLED, CHANGE_MS, () -> "");
            wan0.connect();
            await("the new session refused", CHANGE_MS, () -> wan0.status().session() == SessionState.BLOCKED
                    && wan0.status().reason().contains("cellular policy"));
            SshResult shown = asAdmin("sitegate:modem-status wan0");
            assertTrue(shown.output(), shown.output().contains("not enforced"));
        } finally {
            cellular.start();
        }
        awaitSessionUp();
    }

    // --- helpers ---

    private Modem awaitSessionUp() throws InterruptedException {
        Modem m = SimulatedModems.modem(modems, "wan0", BOOT_MS, () -> "");
        ModemStatus s = SimulatedModems.awaitSession(m, "wan0", SessionState.UP, BOOT_MS, () -> "");
        assertEquals(SessionState.UP, s.session());
        return m;
    }

    private ConfigurableSection section(String name) throws Exception {
        long deadline = System.currentTimeMillis() + BOOT_MS;
        while (true) {
            for (ServiceReference<ConfigurableSection> r : context.getServiceReferences(ConfigurableSection.class,
                    "(" + ConfigurableSection.SECTION + "=" + name + ")")) {
                return context.getService(r);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no section " + name);
            }
            Thread.sleep(100);
        }
    }

    private CellularPolicyService policies() {
        return context.getService(context.getServiceReference(CellularPolicyService.class));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** The section with these values changed in one PID (an empty value removes the key). */
    private static ConfigSection with(ConfigSection s, String pid, String... keysAndValues) {
        Map<String, Map<String, String>> all = new TreeMap<>(s.configurations());
        Map<String, String> values = new TreeMap<>(s.values(pid));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        all.put(pid, values);
        return new ConfigSection(s.name(), all);
    }

    /** What ConfigAdmin holds for a PID, normalised. */
    private Map<String, String> configured(String pid) {
        org.osgi.service.cm.Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        if (found == null) {
            return Map.of();
        }
        return ConfigSection.normaliseProperties(found[0].getProperties());
    }

    private static String render(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n")) + "\n";
    }

    private static Path etcPath(String name) {
        return Paths.get(System.getProperty("karaf.etc"), name);
    }

    private static String etc(String name) {
        try {
            return Files.readString(etcPath(name));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int port() {
        return Integer.getInteger(PROPS + ".port");
    }

    private static Dig.Reply query(String name) {
        return Dig.query("127.0.0.1", port(), name, "A");
    }

    private void awaitAnswers() throws InterruptedException {
        await("the forwarder answers", BOOT_MS, () -> query("www.it.example").status().equals("NOERROR"));
    }
}
