package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.modem.Modem;
import io.sitegate.modem.Modems;
import io.sitegate.modem.SimState;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Secrets and hostile names, end to end: a SIM PIN read from an owner-only secret file unlocks the
 * simulated SIM and never reaches karaf.log (with io.sitegate.modem at TRACE), config:list or the
 * command log; a plain PIN in a configuration is refused and removed from ConfigAdmin; a DNS name
 * carrying terminal escape sequences (dig's \027) shows escaped in karaf.log, log:display and
 * dns-lookup output, never as a raw ESC byte.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretsIT extends SitegateTestSupport {
    private static final String PROPERTY = "sitegate.it.secrets.";
    private static final String SIMULATORS = "sitegate.it.secrets.modem";
    private static final String PIN = "4711";
    private static final String PLAIN_PIN = "8642";
    private static final char ESC = 0x1b;
    private static final long BOOT_MS = 90_000;

    private static Option[] options;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    Modems modems;

    @Configuration
    public static synchronized Option[] config() throws IOException {
        if (options == null) {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "secrets");
            SimulatorProcess sim = SimulatorProcess.start(dir, "wan0", "quectel-ec25", "set sim present",
                    "set sim pin " + PIN, "set apn-allowed internet.itest", "set ip 10.64.0.10",
                    "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
            int dnsPort = freePort();
            int upstreamPort = freePort();
            String cfg = "etc/io.sitegate.dns.cfg";
            List<Option> o = new ArrayList<>(SimulatedModems.configure(SIMULATORS, "wan0", sim, "internet.itest"));
            o.addAll(List.of(
                    editConfigurationFilePut(cfg, "listen", "127.0.0.1:" + dnsPort),
                    editConfigurationFilePut(cfg, "upstreams", "udp://127.0.0.1:" + upstreamPort),
                    editConfigurationFilePut(cfg, "rateLimit.qps", "0"),
                    editConfigurationFilePut(cfg, "log.querySample", "1"),
                    systemProperty(PROPERTY + "dnsPort").value(String.valueOf(dnsPort)),
                    systemProperty(PROPERTY + "upstreamPort").value(String.valueOf(upstreamPort))));
            options = distribution(o.toArray(Option[]::new));
        }
        return options.clone();
    }

    private static int freePort() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket t = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket u = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IOException("no free port");
    }

    private static String karafLog() throws IOException {
        return Files.readString(Paths.get(System.getProperty("karaf.log"), "karaf.log"), StandardCharsets.ISO_8859_1);
    }

    @Test
    public void aPinFromASecretFileUnlocksTheSimAndIsNeverLoggedOrListed() throws Exception {
        assertEquals(0, asAdmin("log:set TRACE io.sitegate.modem").exit());
        assertEquals(0, asAdmin("log:set DEBUG org.apache.karaf.shell").exit());
        Modem wan0 = SimulatedModems.modem(modems, "wan0", BOOT_MS, () -> "");
        await("the SIM asking for its PIN", BOOT_MS, () -> wan0.status().sim().orElse(null) == SimState.PIN_REQUIRED);

        Path secrets = Paths.get(System.getProperty("karaf.etc"), "secrets");
        Path file = secrets.resolve("sim-wan0");
        assertEquals("the secrets directory is created owner-only", "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        Files.writeString(file, PIN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        org.osgi.service.cm.Configuration c = configAdmin.listConfigurations("(service.factoryPid=io.sitegate.modem)")[0];
        Dictionary<String, Object> props = c.getProperties();
        props.put("pinSecret", "sim-wan0");
        c.update(props);

        await("the SIM unlocked with the PIN from the secret file", BOOT_MS,
                () -> modems.byId("wan0").map(m -> m.status().sim().orElse(null) == SimState.READY).orElse(false));

        SshResult list = asAdmin("config:list '(service.factoryPid=io.sitegate.modem)'");
        assertTrue(list.output(), list.output().contains("pinSecret = sim-wan0"));
        assertFalse(list.output(), list.output().contains(PIN));

        // the technician types a PIN: not in the command log, not echoed
        SshResult at = asAdmin("sitegate:modem-at wan0 'AT+CPIN=\"" + PIN + "\"'");
        assertFalse(at.output(), at.output().contains(PIN));

        SshResult viewerList = asViewer("config:list '(service.factoryPid=io.sitegate.modem)'");
        assertFalse(viewerList.output(), viewerList.output().contains(PIN));
        SshResult viewerStatus = asViewer("sitegate:modem-status wan0");
        assertFalse(viewerStatus.output(), viewerStatus.output().contains(PIN));

        String log = karafLog();
        assertTrue("TRACE lines of the modem reached the log", log.contains("io.sitegate.modem"));
        assertTrue("the masked PIN command is logged", log.contains("AT+CPIN=****") || log.contains("AT+CPIN=\"****\""));
        assertFalse("the PIN is not in karaf.log", log.contains(PIN));
    }

    @Test
    public void theStateStoreKeepsItsFilesOwnerOnly() throws Exception {
        Path state = Paths.get(System.getProperty("karaf.data"), "sitegate", "state");
        await("a state file (the modem's usage ledger)", BOOT_MS, () -> {
            try (var files = Files.list(state)) {
                return files.findAny().isPresent();
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        try (var files = Files.list(state)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertEquals(f.toString(), "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        }
    }

    @Test
    public void aPlainPinInTheConfigurationIsRefusedAndRemoved() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("io.sitegate.modem", "plain", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("port", "tcp://127.0.0.1:9");
        props.put("autoConnect", "false");
        props.put("pin", PLAIN_PIN);
        c.update(props);
        try {
            await("the plain PIN removed from ConfigAdmin", BOOT_MS, () -> {
                try {
                    Dictionary<String, Object> now = configAdmin.getConfiguration(c.getPid(), "?").getProperties();
                    return now != null && now.get("pin") == null;
                } catch (IOException e) {
                    return false;
                }
            });
            SshResult list = asAdmin("config:list '(service.pid=" + c.getPid() + ")'");
            assertFalse(list.output(), list.output().contains(PLAIN_PIN));
            assertFalse(list.output(), list.output().contains("pin = "));
            await("the refusal logged", 10_000, () -> {
                try {
                    return karafLog().contains("removed 'pin' from the configuration");
                } catch (IOException e) {
                    return false;
                }
            });
            assertFalse("the plain PIN is not in karaf.log", karafLog().contains(PLAIN_PIN));
        } finally {
            c.delete();
        }
    }

    @Test
    public void dnsNamesWithEscapeSequencesShowEscapedInTheLogAndTheShell() throws Exception {
        FakeUpstream upstream = FakeUpstream.start("127.0.0.1", Integer.getInteger(PROPERTY + "upstreamPort"));
        try {
            int port = Integer.getInteger(PROPERTY + "dnsPort");
            await("the forwarder answering", BOOT_MS,
                    () -> Dig.query("127.0.0.1", port, "ready.example", "A").status().equals("NOERROR"));
            Dig.Reply r = Dig.query("127.0.0.1", port, "evil\\027[2J\\027]0;pwned\\007.example", "A");
            assertEquals(r.toString(), "NOERROR", r.status());

            await("the query line", 10_000, () -> {
                try {
                    return karafLog().contains("name=evil\\x1b[2j\\x1b]0;pwned\\x07.example");
                } catch (IOException e) {
                    return false;
                }
            });
            assertFalse("no raw ESC in karaf.log", karafLog().indexOf(ESC) >= 0);

            SshResult display = asAdmin("log:display");
            assertTrue(display.output(), display.output().contains("name=evil\\x1b[2j\\x1b]0;pwned\\x07.example"));
            assertFalse("no raw ESC in log:display (Karaf's own colours stripped)", display.output().indexOf(ESC) >= 0);

            SshResult lookup = asAdmin("sitegate:dns-lookup 'evil\\027[2J\\027]0;pwned\\007.example'");
            assertEquals(lookup.output(), 0, lookup.exit());
            assertFalse("no raw ESC in dns-lookup output", lookup.output().indexOf(ESC) >= 0);
            assertFalse("no raw BEL in dns-lookup output", lookup.output().indexOf(0x07) >= 0);
        } finally {
            upstream.close();
        }
    }
}
