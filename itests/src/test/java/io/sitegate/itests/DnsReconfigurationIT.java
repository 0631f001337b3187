package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.ListenerStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The DNS forwarder under a run of configuration changes (issue 6: "a configuration change that validates
 * replaces the running one"): afterwards it listens on its port and answers every query, as before. A class
 * of its own, with its own container, because a forwarder that fails here may keep failing for every test
 * after it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnsReconfigurationIT extends SitegateTestSupport {

    private static final String PROPS = "sitegate.it.dnsreconf";
    private static final long CHANGE_MS = 20_000;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ConfigLedger ledger;

    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "dns-reconfiguration").toAbsolutePath();
            DnsUpstream upstream = DnsUpstream.start(dir, "primary", List.of("127.0.54.1"), null, null,
                    List.of(DnsIT.itZone("primary")));
            int port = DnsIT.freeLoopbackPort();
            options = distribution(
                    editConfigurationFilePut(DnsIT.CFG, "listen", "127.0.0.1:" + port),
                    editConfigurationFilePut(DnsIT.CFG, "upstreams", upstream.spec()),
                    editConfigurationFilePut(DnsIT.CFG, "rateLimit.qps", "0"),
                    // no write-back of ConfigurationAdmin updates to the .cfg file (see DnsIT)
                    editConfigurationFilePut("etc/config.properties", "felix.fileinstall.enableConfigSave", "false"),
                    systemProperty(PROPS + ".port").value(String.valueOf(port)));
        }
        return options.clone();
    }

    @Test
    public void aHundredConfigurationChangesLeaveOneWorkingForwarder() throws Exception {
        int port = Integer.getInteger(PROPS + ".port");
        await("the forwarder", CHANGE_MS, () -> context.getServiceReference(DnsForwarder.class) != null);
        Dictionary<String, Object> boot = configAdmin.getConfiguration(DnsIT.PID, null).getProperties();
        // the service is registered once the forwarder listens; its upstream (unbound) may still be starting
        await("the first answer", CHANGE_MS, () -> Set.of("192.0.2.10").equals(Dig.query("127.0.0.1", port, "www.it.example", "A").data("A")));

        // back to back, as a script or a burst of policy pushes may do: each change waited for, no more
        for (int i = 0; i < 100; i++) {
            Hashtable<String, Object> props = new Hashtable<>();
            for (String k : java.util.Collections.list(boot.keys())) {
                props.put(k, boot.get(k));
            }
            props.put("firewall.answer", i % 2 == 0 ? "refused" : "nxdomain");
            long mark = ledger.mark();
            configAdmin.getConfiguration(DnsIT.PID, null).update(props);
            ConfigLedger.Outcome o = ledger.await(DnsIT.PID, ConfigSection.normaliseProperties(props), mark, java.time.Duration.ofMillis(CHANGE_MS));
            assertEquals("configuration " + i + " in force (" + ledger.refusal(DnsIT.PID) + ")", ConfigLedger.Outcome.IN_FORCE, o);
        }

        try {
            await("every listener bound after the changes", CHANGE_MS, () -> {
                ForwarderStatus s = forwarder().status();
                return !s.listeners().isEmpty() && s.listeners().stream().allMatch(ListenerStatus::bound);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; listeners " + forwarder().status().listeners()
                    + "\nsockets on the port:\n" + DnsIT.sockets(port));
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            forwarder().flushCache(); // each query goes upstream, through the workers of the configuration in force
            Dig.Reply r = Dig.query("127.0.0.1", port, "www.it.example", "A", i % 2 == 0 ? "+notcp" : "+tcp");
            if (!r.data("A").equals(Set.of("192.0.2.10"))) {
                wrong.add((i % 2 == 0 ? "udp " : "tcp ") + r.status() + "\n" + r.output());
            }
        }
        assertTrue("40 queries after 100 configuration changes, wrong answers: " + wrong
                + "\nsockets on the port:\n" + DnsIT.sockets(port), wrong.isEmpty());
    }

    /**
     * Issue 17, "DoT and reconfiguration": a refused reconfiguration, whatever property class it fails on, leaves
     * the previous forwarder answering with its previous firewall rules: an unreadable CA file, a bad upstream
     * URL, a bad listen address, a missing firewall file, and a listen port another process holds (refused by the
     * forwarder after it parsed, the previous one rebuilt).
     */
    @Test
    public void eachRefusedReconfigurationLeavesThePreviousForwarderWithItsFirewallRules() throws Exception {
        int port = Integer.getInteger(PROPS + ".port");
        await("the forwarder", CHANGE_MS, () -> context.getServiceReference(DnsForwarder.class) != null);
        Dictionary<String, Object> boot = configAdmin.getConfiguration(DnsIT.PID, null).getProperties();
        Hashtable<String, Object> good = new Hashtable<>();
        for (String k : java.util.Collections.list(boot.keys())) {
            good.put(k, boot.get(k));
        }
        good.put("firewall.deny", "mail.it.example");
        good.put("firewall.answer", "nxdomain");
        long mark = ledger.mark();
        configAdmin.getConfiguration(DnsIT.PID, null).update(good);
        assertEquals(ConfigLedger.Outcome.IN_FORCE, ledger.await(DnsIT.PID, ConfigSection.normaliseProperties(good), mark, java.time.Duration.ofMillis(CHANGE_MS)));
        await("the deny rule in force", CHANGE_MS, () -> Dig.query("127.0.0.1", port, "mail.it.example", "A").status().equals("NXDOMAIN"));

        Path notACertificate = Files.createTempFile("ca", ".pem");
        Files.writeString(notACertificate, "this is not a certificate\n");
        try (java.net.DatagramSocket held = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            String[][] bad = {
                {"tls.ca", notACertificate.toString()},
                {"tls.ca", "/nonexistent/ca.pem"},
                {"upstreams", "udp://not an address:53"},
                {"listen", "300.1.2.3:53"},
                {"firewall.denyFile", "/nonexistent/deny.txt"},
                {"listen", "127.0.0.1:" + held.getLocalPort()},
            };
            for (String[] b : bad) {
                Hashtable<String, Object> change = new Hashtable<>(good);
                change.put(b[0], b[1]);
                change.put("firewall.deny", "ns.it.example"); // a rule change in the same refused configuration
                long m = ledger.mark();
                configAdmin.getConfiguration(DnsIT.PID, null).update(change);
                assertEquals(b[0] + "=" + b[1] + " refused (" + ledger.refusal(DnsIT.PID) + ")", ConfigLedger.Outcome.REFUSED,
                        ledger.await(DnsIT.PID, ConfigSection.normaliseProperties(change), m, java.time.Duration.ofMillis(CHANGE_MS)));
                assertTrue(b[0] + ": " + ledger.refusal(DnsIT.PID), ledger.refusal(DnsIT.PID).stream().anyMatch(p -> p.property().equals(b[0])));
                forwarder().flushCache();
                assertEquals(b[0] + ": still answering", Set.of("192.0.2.10"),
                        Dig.query("127.0.0.1", port, "www.it.example", "A").data("A"));
                assertEquals(b[0] + ": the previous rule still blocks", "NXDOMAIN",
                        Dig.query("127.0.0.1", port, "mail.it.example", "A").status());
                assertEquals(b[0] + ": the refused rule never applied", Set.of("192.0.2.53"),
                        Dig.query("127.0.0.1", port, "ns.it.example", "A").data("A"));
            }
        } finally {
            long m = ledger.mark();
            configAdmin.getConfiguration(DnsIT.PID, null).update(good);
            ledger.await(DnsIT.PID, ConfigSection.normaliseProperties(good), m, java.time.Duration.ofMillis(CHANGE_MS));
        }
    }


    private ServiceReference<DnsForwarder> forwarderReference() {
        ServiceReference<DnsForwarder> ref = context.getServiceReference(DnsForwarder.class);
        if (ref == null) {
            throw new AssertionError("no DnsForwarder service");
        }
        return ref;
    }

    private DnsForwarder forwarder() {
        return context.getService(forwarderReference());
    }
}
