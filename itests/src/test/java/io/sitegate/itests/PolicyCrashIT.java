package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * kill -9 of the gateway at random moments of a policy apply, 5 times (SiteIT kills the whole site 10 more times,
 * tools/soak/policy-crash.sh runs hundreds): the distribution started with
 * bin/sitegate-launch (outside Pax Exam), its policy agent on a real mosquitto (plain TCP, the lab setting),
 * policies for its group published retained. After every restart the cellular configuration is exactly the
 * one in force before the publish or the new one (every property), policy-status names that version, the journal is
 * terminal and its high-water mark is that version; with the retained policy kept, the new version ends in
 * force (it is delivered again at reconnect); with it cleared, a kill before CONFIRMED leaves the old one.
 * Finally the audit chain verifies. The seed is printed; {@code -Dsitegate.it.crash.seed} replays a run.
 */
public class PolicyCrashIT {
    private static final int KILLS = Integer.getInteger("sitegate.it.crash.kills", 5);
    /** The latest kill after publishing; half the kills land in the first 250 ms, where the apply runs (~70 ms). */
    private static final int MAX_DELAY_MS = Integer.getInteger("sitegate.it.crash.maxDelayMs", 1500);
    private static final String GROUP = "plant-7";
    private static final String TARGET = "group:" + GROUP;
    private static final String TOPIC = "sitegate/group/" + GROUP + "/policy";
    private static final Set<String> TERMINAL = Set.of("CONFIRMED", "ROLLED_BACK", "DISCARDED", "FALLBACK");
    private static final List<String> TRACKED = List.of("binding.mode", "dns.primary", "quota.action", "quota.cycleStartDay",
            "quota.data.bytes", "quota.sms.mo", "quota.sms.mt", "quota.thresholds");

    private static LaunchedGateway gateway;
    private static Process broker;
    private static int port;
    private static PolicySigner signer;

    @BeforeClass
    public static void setUp() throws Exception {
        gateway = LaunchedGateway.unpack("policy-crash");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = Files.writeString(gateway.dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        // a watchdog shell between us and mosquitto: when this JVM ends, however it ends, its stdin closes and it stops mosquitto
        broker = new ProcessBuilder("sh", "-c", "mosquitto -c \"$1\" </dev/null & m=$!; cat >/dev/null; kill $m; wait $m", "sh",
                conf.toString()).redirectErrorStream(true).redirectOutput(gateway.dir.resolve("mosquitto.log").toFile()).start();
        KeyPair keys = PolicyKeys.generate();
        Files.createDirectories(gateway.home.resolve("etc/policy-keys"));
        Files.writeString(gateway.home.resolve("etc/policy-keys/it.pem"), PolicyKeys.toPem(keys.getPublic()));
        signer = PolicySigner.fromPem(PolicyKeys.toPem(keys.getPrivate()), "it");
        Files.writeString(gateway.home.resolve("etc/io.sitegate.policy.cfg"), String.join("\n", "broker = tcp://127.0.0.1:" + port,
                "allowPlainTcp = true", "groups = " + GROUP, "confirmWindow = 8", ""));
    }

    @AfterClass
    public static void tearDown() throws Exception {
        if (gateway != null) {
            gateway.stopQuietly();
        }
        if (broker != null) {
            broker.getOutputStream().close(); // the watchdog stops mosquitto
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void killNineAtRandomMomentsOfAnApplyLeavesTheOldPolicyOrTheNewOneNeverAMix() throws Exception {
        long seed = Long.getLong("sitegate.it.crash.seed", System.nanoTime());
        System.out.println("PolicyCrashIT: seed " + seed + " (-Dsitegate.it.crash.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        long t0 = System.currentTimeMillis();
        boot();
        Map<String, Integer> landedAt = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        long before = 0; // the version in force before v is published: v-1, unless v-1 was lost too
        for (int v = 1; v <= KILLS; v++) {
            publish(signer.sign(policy(v)).getBytes(StandardCharsets.US_ASCII));
            int delay = random.nextInt((random.nextBoolean() ? Math.min(250, MAX_DELAY_MS) : MAX_DELAY_MS) + 1);
            Thread.sleep(delay);
            gateway.killNine();
            JournalState atKill = journal();
            String landed = atKill.version == v ? atKill.phase : "before-journal";
            landedAt.merge(landed, 1, Integer::sum);
            boolean keep = random.nextBoolean();
            if (!keep) {
                publish(new byte[0]); // no retained policy: what is in force after the restart is recovery's work alone
            }
            long b0 = System.currentTimeMillis();
            boot();
            long bootMs = System.currentTimeMillis() - b0;
            int version = v;
            String status = gateway.awaitShell("v" + v + ": nothing pending, the journal terminal" + (keep ? ", v" + v + " in force" : ""),
                    "sitegate:policy-status", out -> {
                        JournalState j = journalQuietly();
                        return out.contains("Pending:    none") && TERMINAL.contains(j.phase) && (!keep || j.inForce == version);
                    });
            JournalState after = journal();
            Map<String, String> inForce = cellular();
            String what = "kill " + v + " (v" + v + " killed after " + delay + " ms, landed " + landed + ", retained "
                    + (keep ? "kept" : "cleared") + "): ";
            long want;
            if (inForce.equals(expected(v))) {
                want = v;
            } else if (inForce.equals(expected(before))) {
                want = before;
            } else {
                throw new AssertionError(what + "the configuration is neither v" + v + "'s nor v" + before + "'s (in force before): "
                        + inForce + "\nv" + v + ": " + expected(v) + "\nv" + before + ": " + expected(before));
            }
            assertTrue(what + status, status.contains("In force:   version " + want + " "));
            assertEquals(what + "journal in force", want, after.inForce);
            assertEquals(what + "high-water mark", want, after.highWaterMark);
            assertTrue(what + "journal phase " + after.phase, TERMINAL.contains(after.phase));
            if (landed.equals("CONFIRMED")) {
                assertEquals(what + "confirmed on disk before the kill", v, want);
            }
            if (keep) {
                assertEquals(what + "the retained policy comes again and ends in force", v, want);
            }
            String outcome = want == v ? "new" : "old";
            before = want;
            outcomes.merge(outcome, 1, Integer::sum);
            lines.add(what + outcome + ", boot " + bootMs + " ms");
            System.out.println("PolicyCrashIT: " + lines.get(lines.size() - 1));
        }
        String audit = gateway.ssh("sitegate:audit-verify");
        assertTrue(audit, audit.contains("intact"));
        System.out.println("PolicyCrashIT: seed " + seed + ", " + KILLS + " kills in " + (System.currentTimeMillis() - t0) / 1000
                + " s; outcome " + outcomes + "; kill landed at " + landedAt + "; audit " + audit.strip());
    }

    /** Version v's cellular section: every value a function of v, so the values name the version. */
    private static String policy(long v) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String thresholds = v % 2 == 0 ? "[\"80\",\"100\"]" : "[\"50\",\"90\"]";
        return "{\"version\":" + v + ",\"issuedAt\":\"" + now.minusSeconds(5) + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"" + TARGET + "\",\"sections\":{\"cellular\":{\"binding.mode\":\"off\",\"quota.data.bytes\":"
                + (v * 1_000_000 + 7) + ",\"quota.sms.mo\":" + v + ",\"quota.sms.mt\":" + (v + 1000) + ",\"quota.action\":\""
                + (v % 2 == 0 ? "notify" : "throttle") + "\",\"quota.thresholds\":" + thresholds + ",\"quota.cycleStartDay\":"
                + (v % 28 + 1) + ",\"dns.primary\":\"10." + (v / 250 % 250) + "." + (v % 250) + ".1\"}}}";
    }

    /** What config:property-list shows for version v of {@link #policy}; 0: the shipped etc/io.sitegate.cellular.cfg. */
    private static Map<String, String> expected(long v) {
        Map<String, String> m = new TreeMap<>();
        m.put("binding.mode", "off");
        if (v == 0) {
            m.putAll(Map.of("dns.primary", "", "quota.action", "notify", "quota.cycleStartDay", "1", "quota.data.bytes", "0",
                    "quota.sms.mo", "0", "quota.sms.mt", "0", "quota.thresholds", "80,100"));
            return m;
        }
        m.put("dns.primary", "10." + (v / 250 % 250) + "." + (v % 250) + ".1");
        m.put("quota.action", v % 2 == 0 ? "notify" : "throttle");
        m.put("quota.cycleStartDay", String.valueOf(v % 28 + 1));
        m.put("quota.data.bytes", String.valueOf(v * 1_000_000 + 7));
        m.put("quota.sms.mo", String.valueOf(v));
        m.put("quota.sms.mt", String.valueOf(v + 1000));
        m.put("quota.thresholds", v % 2 == 0 ? "80,100" : "50,90");
        return m;
    }

    /** The tracked cellular properties as ConfigAdmin shows them. */
    private static Map<String, String> cellular() throws Exception {
        String out = gateway.ssh("config:property-list --pid io.sitegate.cellular");
        Map<String, String> m = new TreeMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf(" = ");
            String key = eq < 0 ? line.strip().replaceAll(" =$", "") : line.substring(0, eq).strip();
            if (TRACKED.contains(key)) {
                m.put(key, eq < 0 ? "" : line.substring(eq + 3).strip());
            }
        }
        return m;
    }

    /** The journal in the state store: a 32-byte header, then the JSON document. */
    private record JournalState(String phase, long version, long inForce, long highWaterMark) {
    }

    private static JournalState journal() throws Exception {
        Path file = gateway.home.resolve("data/sitegate/state/policy.journal.state");
        if (!Files.exists(file)) {
            return new JournalState("CONFIRMED", 0, 0, 0); // never written: the agent's empty journal
        }
        byte[] bytes = Files.readAllBytes(file);
        String json = new String(bytes, 32, bytes.length - 32, StandardCharsets.UTF_8);
        Matcher mark = Pattern.compile("\"" + Pattern.quote(TARGET) + "\":(\\d+)").matcher(json.substring(json.indexOf("\"highWaterMarks\"")));
        return new JournalState(field(json, "phase", "\"([A-Z_]+)\""), Long.parseLong(field(json, "version", "(\\d+)")),
                Long.parseLong(field(json, "inForceVersion", "(\\d+)")), mark.find() ? Long.parseLong(mark.group(1)) : 0);
    }

    private static JournalState journalQuietly() {
        try {
            return journal();
        } catch (Exception e) {
            return new JournalState("unreadable: " + e, -1, -1, -1);
        }
    }

    private static String field(String json, String name, String value) {
        Matcher m = Pattern.compile("\"" + name + "\":" + value).matcher(json);
        if (!m.find()) {
            fail("no " + name + " in the journal " + json);
        }
        return m.group(1);
    }

    private static void boot() throws Exception {
        String out = gateway.start();
        gateway.awaitShell("the agent after " + out, "sitegate:policy-status", o -> o.contains("In force:"));
    }

    /** Publishes retained, QoS 1, on the group topic; an empty payload clears the retained policy. */
    private static void publish(byte[] payload) throws Exception {
        Path f = Files.write(gateway.dir.resolve("policy.jws"), payload);
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-p", String.valueOf(port), "-V", "mqttv5", "-q", "1", "-r", "-t", TOPIC));
        if (payload.length == 0) {
            cmd.add("-n");
        } else {
            cmd.addAll(List.of("-f", f.toString()));
        }
        String out = LaunchedGateway.run(cmd, 20);
        assertEquals("mosquitto_pub: " + out, "", out.strip());
    }
}
