package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The policy agent in the built distribution against a real mosquitto on 127.0.0.1 with mutual TLS (a CA made for the
 * run; the gateway's certificate limited to its own topics by the broker's ACL): a policy signed with sitegate-ctl's signer and published retained is received,
 * applied through the cellular section (ConfigAdmin shows the values) and acked; replayed, tampered and garbage payloads
 * are rejected with the reason; a policy whose tunnel never comes up is rolled back when its confirm window ends; the
 * gateway's own policy overrides its group's section by section; an operator rolls the own policy back and the group's
 * section returns; the retained status carries groups, version and sections; audit entries (operator logins too) reach
 * the events topic; the audit trail verifies.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyIT extends SitegateTestSupport {
    private static final String PROPS = "sitegate.it.policy";
    /** Versions rise across the tests, whatever order they run in (the high-water marks are the gateway's). */
    private static final java.util.concurrent.atomic.AtomicLong VERSIONS = new java.util.concurrent.atomic.AtomicLong(100);
    private static PolicyBroker broker;

    @Inject
    FeaturesService features;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    HealthRegistry health;

    @Configuration
    public static Option[] config() throws Exception {
        broker = PolicyBroker.start("policy", true);
        return distribution(broker.agentOptions(PROPS, true,
                editConfigurationFilePut("etc/io.sitegate.policy.cfg", "groups", "plant-7"),
                systemProperty("sitegate.ctl.jar").value(new File(System.getProperty("sitegate.ctl.jar", "missing")).getAbsolutePath())));
    }

    @AfterClass
    public static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Before
    public void agent() throws Exception {
        if (!features.isInstalled(features.getFeature("sitegate-policy"))) {
            features.installFeature("sitegate-policy");
        }
        await("mqtt UP", 60_000, () -> health.get("mqtt").map(h -> h.state() == HealthState.UP).orElse(false));
    }

    /** A mosquitto client command as the operator: mutual TLS with the test CA. */
    private static List<String> client(String program, String... args) {
        Path pki = Path.of(System.getProperty(PROPS + ".dir"));
        List<String> cmd = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p", port(), "-V", "mqttv5",
                "--cafile", pki.resolve("ca.crt").toString(), "--cert", pki.resolve("operator.crt").toString(),
                "--key", pki.resolve("operator.key").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** sitegate-ctl, the operator's CLI, as built; its output and exit code. */
    private static SshResult ctl(String... args) throws Exception {
        Path pki = Path.of(System.getProperty(PROPS + ".dir"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("sitegate.ctl.jar")));
        cmd.addAll(List.of(args));
        if (List.of("publish", "diff", "watch", "rollout").contains(args[0])) {
            cmd.addAll(List.of("--broker", "ssl://127.0.0.1:" + port(), "--ca", pki.resolve("ca.crt").toString(),
                    "--cert", pki.resolve("operator.crt").toString(), "--key", pki.resolve("operator.key").toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("sitegate-ctl ends", p.waitFor(90, TimeUnit.SECONDS));
        return new SshResult(p.exitValue(), out);
    }

    @Test
    public void theOperatorsCliDiffsSignsAndPublishesAndTheGatewayApplies() throws Exception {
        Path dir = Path.of(System.getProperty(PROPS + ".dir"));
        long v = VERSIONS.incrementAndGet();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path json = Files.writeString(dir.resolve("cli-" + v + ".json"), "{\"version\":" + v + ",\"issuedAt\":\"" + now.minusSeconds(5)
                + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS) + "\",\"target\":\"sitegate\",\"sections\":"
                + cellular(6_600_000) + "}");
        SshResult diff = ctl("diff", "--gateway", "sitegate", json.toString(), "--timeout", "20");
        assertEquals(diff.output(), 0, diff.exit());
        assertTrue(diff.output(), diff.output().contains("quota.data.bytes") && diff.output().contains("6600000"));
        assertTrue("a dry run applies nothing", !quota().equals("6600000"));
        Path jws = dir.resolve("cli-" + v + ".jws");
        SshResult sign = ctl("sign", "--key", System.getProperty(PROPS + ".key"), "--kid", "it", json.toString(), "--out", jws.toString());
        assertEquals(sign.output(), 0, sign.exit());
        SshResult publish = ctl("publish", "--gateway", "sitegate", jws.toString(), "--wait", "60");
        assertEquals(publish.output(), 0, publish.exit());
        assertTrue(publish.output(), publish.output().contains("applied"));
        assertEquals("ConfigAdmin shows the new value", "6600000", quota());
    }

    private static String port() {
        return System.getProperty(PROPS + ".port");
    }

    private static String policy(long version, String target, String sections) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String json = "{\"version\":" + version + ",\"issuedAt\":\"" + now.minusSeconds(5) + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"" + target + "\",\"sections\":" + sections + "}";
        return PolicySigner.fromPem(Files.readString(Path.of(System.getProperty(PROPS + ".key"))), "it").sign(json);
    }

    /** Publishes {@code payloads} (retained on the group topic, or not) and returns the next {@code acks} acks. */
    private static List<String> publish(String topic, boolean retained, int acks, byte[]... payloads) throws Exception {
        Path out = Files.createTempFile("acks", ".txt");
        Process sub = new ProcessBuilder(client("mosquitto_sub", "-t", "sitegate/+/ack", "-C", String.valueOf(acks), "-W", "40"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Thread.sleep(500);
        for (byte[] p : payloads) {
            Path f = Files.write(Files.createTempFile("policy", ".jws"), p);
            List<String> cmd = new ArrayList<>(client("mosquitto_pub", "-t", topic, "-q", "1", "-f", f.toString()));
            if (retained) {
                cmd.add("-r");
            }
            Process pub = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            assertTrue("mosquitto_pub ends", pub.waitFor(20, TimeUnit.SECONDS));
            assertEquals(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0, pub.exitValue());
        }
        sub.waitFor(45, TimeUnit.SECONDS);
        sub.destroyForcibly();
        return Files.readAllLines(out);
    }

    @Test
    public void aSignedPolicyIsAppliedThroughTheSectionsAndAcked() throws Exception {
        // the gateway's own policy: a group's cellular section would not apply over an own one left by another test
        long v = VERSIONS.incrementAndGet();
        String jws = policy(v, "sitegate", "{\"cellular\":{\"binding.mode\":\"off\",\"quota.data.bytes\":5000000,"
                + "\"quota.action\":\"notify\",\"quota.thresholds\":[\"80\",\"100\"]}}");
        List<String> acks = publish("sitegate/sitegate/policy", true, 2, jws.getBytes(StandardCharsets.US_ASCII));
        assertEquals(acks.toString(), 2, acks.size());
        assertTrue(acks.get(0), acks.get(0).contains("\"version\":" + v) && acks.get(0).contains("\"result\":\"received\""));
        assertTrue(acks.get(1), acks.get(1).contains("\"version\":" + v) && acks.get(1).contains("\"result\":\"applied\""));
        Dictionary<String, Object> p = configAdmin.getConfiguration("io.sitegate.cellular", null).getProperties();
        assertEquals("5000000", String.valueOf(p.get("quota.data.bytes")));
        SshResult status = asViewer("sitegate:policy-status");
        assertTrue(status.output(), status.output().contains("version " + v));

        // the same version again, a tampered copy, a payload over the limit, not a JWS at all: each rejected with its reason
        byte[] tampered = jws.replaceFirst("\\.(.)", ".X").getBytes(StandardCharsets.US_ASCII);
        byte[] huge = new byte[300_000];
        new java.util.Random(7).nextBytes(huge);
        List<String> refused = publish("sitegate/sitegate/policy", false, 4, jws.getBytes(StandardCharsets.US_ASCII), tampered, huge,
                "{\"version\":99999}".getBytes(StandardCharsets.UTF_8));
        assertEquals(refused.toString(), 4, refused.size());
        assertTrue(refused.get(0), refused.get(0).contains("REPLAYED"));
        assertTrue(refused.get(1), refused.get(1).contains("\"result\":\"rejected\""));
        assertTrue(refused.get(2), refused.get(2).contains("TOO_LARGE"));
        assertTrue(refused.get(3), refused.get(3).contains("NOT_JWS"));
        assertEquals("5000000", String.valueOf(configAdmin.getConfiguration("io.sitegate.cellular", null).getProperties().get("quota.data.bytes")));

        SshResult audit = asViewer("sitegate:audit-verify");
        assertEquals(audit.output(), 0, audit.exit());
        for (String look : List.of("sitegate:mqtt-status", "sitegate:audit-list")) {
            SshResult r = asViewer(look);
            assertEquals(look + ": " + r.output(), 0, r.exit());
        }
        // a dry run reads a file: admin only (a viewer could otherwise make the gateway quote any file it can read)
        SshResult check = asViewer("sitegate:policy-check /etc/hostname");
        assertTrue(check.output(), check.exit() != 0 && !check.output().contains("version"));
    }

    @Test
    public void aPolicyWhoseTunnelNeverComesUpIsRolledBackAtTheEndOfItsConfirmWindow() throws Exception {
        String jws = policy(VERSIONS.incrementAndGet(), "sitegate", "{\"tunnels\":{\"corp\":{\"type\":\"openvpn\",\"endpoints\":[\"eu:198.18.0.99\"],"
                + "\"prefixes\":[\"10.99.0.0/24\"],\"probe.address\":\"10.99.0.10\",\"openvpn.ca\":\"/etc/hostname\","
                + "\"openvpn.cert\":\"/etc/hostname\",\"openvpn.key\":\"/etc/hostname\",\"openvpn.command\":\"/bin/false\"}}}");
        long t0 = System.currentTimeMillis();
        List<String> acks = publish("sitegate/sitegate/policy", true, 2, jws.getBytes(StandardCharsets.US_ASCII));
        assertEquals(acks.toString(), 2, acks.size());
        assertTrue(acks.get(1), acks.get(1).contains("\"result\":\"rolled_back\"") && acks.get(1).contains("tunnels"));
        assertTrue("after the 8 s confirm window", System.currentTimeMillis() - t0 >= 8000);
        assertTrue("the tunnel configuration is gone again",
                configAdmin.listConfigurations("(service.factoryPid=io.sitegate.tunnel)") == null);
    }

    private static Process subscribe(String topic, Path out, int seconds) throws Exception {
        Process p = new ProcessBuilder(client("mosquitto_sub", "-t", topic, "-W", String.valueOf(seconds)))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Thread.sleep(500);
        return p;
    }

    private String quota() throws Exception {
        return String.valueOf(configAdmin.getConfiguration("io.sitegate.cellular", null).getProperties().get("quota.data.bytes"));
    }

    private static String cellular(long bytes) {
        return "{\"cellular\":{\"binding.mode\":\"off\",\"quota.data.bytes\":" + bytes + ",\"quota.action\":\"notify\"}}";
    }

    private static void assertApplied(List<String> acks, long version) {
        assertEquals(acks.toString(), 2, acks.size());
        assertTrue(acks.get(1), acks.get(1).contains("\"version\":" + version) && acks.get(1).contains("\"result\":\"applied\"")
                && acks.get(1).contains("\"receivedAt\":"));
    }

    @Test
    public void theGatewaysOwnPolicyOverridesItsGroupsAndAnOperatorCanRollItBack() throws Exception {
        Path events = Files.createTempFile("events", ".txt");
        Process eventSub = subscribe("sitegate/sitegate/events", events, 120);
        // first an own policy without sections: whatever another test left, no own section hides the group's
        long o0 = VERSIONS.incrementAndGet();
        assertApplied(publish("sitegate/sitegate/policy", false, 2, policy(o0, "sitegate", "{}").getBytes()), o0);
        long g1 = VERSIONS.incrementAndGet();
        long o1 = VERSIONS.incrementAndGet();

        assertApplied(publish("sitegate/group/plant-7/policy", true, 2, policy(g1, "group:plant-7", cellular(9_000_000)).getBytes()), g1);
        assertEquals("9000000", quota());
        assertApplied(publish("sitegate/sitegate/policy", false, 2, policy(o1, "sitegate", cellular(7_000_000)).getBytes()), o1);
        assertEquals("7000000", quota());

        // the retained status shows the groups, the version in force and the sections, for sitegate-ctl diff
        Path status = Files.createTempFile("status", ".txt");
        Process statusSub = new ProcessBuilder(client("mosquitto_sub", "-t", "sitegate/sitegate/status", "-C", "1", "-W", "10")).redirectErrorStream(true).redirectOutput(status.toFile()).start();
        assertTrue(statusSub.waitFor(15, TimeUnit.SECONDS));
        String st = Files.readString(status);
        assertTrue(st, st.contains("\"state\":\"online\"") && st.contains("\"groups\":[\"plant-7\"]")
                && st.contains("\"policyVersion\":" + o1) && st.contains("\"quota.data.bytes\":\"7000000\""));

        // an operator rolls the gateway's own policy back: the group's section is in force again, acked rolled_back
        Path acks = Files.createTempFile("acks", ".txt");
        Process ackSub = subscribe("sitegate/sitegate/ack", acks, 20);
        SshResult viewer = asViewer("sitegate:policy-rollback");
        assertTrue("a viewer may not roll back: " + viewer.output(), viewer.output().contains("Insufficient credentials")
                || viewer.output().contains("Command not found"));
        assertEquals("7000000", quota());
        SshResult first = asAdmin("sitegate:policy-rollback");
        assertEquals(first.output(), 0, first.exit());
        assertTrue(first.output(), first.output().contains("Policy version " + o1 + ": rolled_back"));
        assertEquals("the group's value is back", "9000000", quota());
        SshResult again = asAdmin("sitegate:policy-rollback");
        assertTrue("a rolled-back policy is not rolled back twice: " + again.output(), again.output().contains("nothing to roll back"));
        ackSub.waitFor(25, TimeUnit.SECONDS);
        String ackText = Files.readString(acks);
        assertTrue(ackText, ackText.contains("\"version\":" + o1) && ackText.contains("\"result\":\"rolled_back\"")
                && ackText.contains("rolled back by operator 'itadmin'"));
        // the cloud cannot replay it, and the group's next policy applies whole again
        List<String> replay = publish("sitegate/sitegate/policy", false, 1, policy(o1, "sitegate", cellular(7_000_000)).getBytes());
        assertTrue(replay.toString(), replay.get(0).contains("\"result\":\"rejected\""));
        long g2 = VERSIONS.incrementAndGet();
        assertApplied(publish("sitegate/group/plant-7/policy", true, 2, policy(g2, "group:plant-7", cellular(9_100_000)).getBytes()), g2);
        assertEquals("9100000", quota());
        // a new own policy, then a group policy: the gateway's own section stays
        long o2 = VERSIONS.incrementAndGet();
        long g3 = VERSIONS.incrementAndGet();
        assertApplied(publish("sitegate/sitegate/policy", false, 2, policy(o2, "sitegate", cellular(7_100_000)).getBytes()), o2);
        assertApplied(publish("sitegate/group/plant-7/policy", true, 2, policy(g3, "group:plant-7", cellular(9_200_000)).getBytes()), g3);
        assertEquals("the gateway's own section stays", "7100000", quota());

        SshResult sources = asViewer("sitegate:policy-status");
        assertTrue(sources.output(), sources.output().contains("Sources:") && sources.output().contains("group:plant-7 v" + g3)
                && sources.output().contains("sitegate v" + o2 + " (cellular)"));
        SshResult history = asViewer("sitegate:policy-history");
        assertEquals(history.output(), 0, history.exit());
        assertTrue(history.output(), history.output().contains("policy.applied") && history.output().contains("policy.rolled_back"));

        // the audit entries went to the cloud as events, operator logins among them
        await("audit events on sitegate/sitegate/events", 20_000, () -> {
            try {
                String e = Files.readString(events);
                return e.contains("\"type\":\"policy.applied\"") && e.contains("\"type\":\"policy.rolled_back\"")
                        && e.contains("\"type\":\"operator.login\"");
            } catch (java.io.IOException x) {
                return false;
            }
        });
        eventSub.destroy();
        assertTrue("no secret, no subject in the events", !Files.readString(events).contains("Subject"));
    }
}
