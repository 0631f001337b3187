package io.sitegate.itests;

import static io.sitegate.itests.SiteLab.await;
import static io.sitegate.itests.SiteLab.sleep;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.sitegate.itests.SiteLab.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The whole site, end to end (issue 21): {@code tools/lab/site.sh} builds a LAN client, the gateway (the built
 * distribution started by {@code bin/sitegate-launch} in its namespace, the simulated modem on a pty), the cellular
 * transit and the cloud (OpenVPN primary and backup, strongSwan responder, mosquitto with mutual TLS, a private DNS
 * reachable only through the tunnel, application servers). The scenarios run in order on one site, as an operator
 * lives through them; each asserts what the LAN client or the cloud sees. Figures go to
 * {@code target/site-figures.txt}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SiteIT {
    private static final String GW = "gw1";
    private static final String STATUS = "sitegate/" + GW + "/status";
    private static final String ACK = "sitegate/" + GW + "/ack";
    private static final String EVENTS = "sitegate/" + GW + "/events";
    private static final String IMEI = "867962040000013";
    private static final String OTHER_IMEI = "867962040000021";
    private static final String ICCID = "89490200001234567890";
    private static final String ALERT_NUMBER = "+4915100000099";
    private static final String APP = "app.corp.example";
    private static final String DB = "db.corp.example";

    static SiteLab lab;
    static int version;
    private static final List<String> figures = new ArrayList<>();

    @BeforeClass
    public static void up() throws Exception {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "site").toAbsolutePath();
        Files.createDirectories(dir);
        lab = new SiteLab("site", dir);
        lab.up();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> lab.down()));
        lab.startRecorder();
    }

    @AfterClass
    public static void down() throws Exception {
        try {
            Path out = Paths.get("target/site-figures.txt");
            Files.write(out, figures, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            figures.forEach(f -> System.out.println("SiteIT: " + f));
        } finally {
            if (lab != null) {
                lab.down();
            }
        }
    }

    private static void figure(String text) {
        figures.add(text);
        System.out.println("SiteIT: " + text);
    }

    // ------------------------------------------------------------------ 1. cold boot

    @Test
    public void s01ColdBootRegistersBindsBringsTheTunnelUpAndComesOnline() throws Exception {
        long t0 = System.currentTimeMillis();
        double startedAt = t0 / 1000.0;
        SiteLab.Result started = lab.gateway("start");
        assertTrue(started.out(), started.ok());
        Message online = lab.awaitMessage("the gateway's online status with its identity", STATUS, 120_000,
                m -> m.at() >= startedAt && m.payload().contains("\"state\":\"online\"") && m.payload().contains(IMEI));
        figure(String.format(Locale.ROOT, "boot to online (launch -> retained online status at the cloud): %.1f s", online.at() - startedAt));
        assertTrue(online.payload(), online.payload().contains("\"iccid\":\"" + ICCID + "\""));
        assertTrue(online.payload(), online.payload().contains("\"groups\":[\"site\"]"));
        // registered, the binding learned, the tunnel up: what the status says, and what the shell says
        lab.awaitShell("the IMEI binding learned", "sitegate:binding-status", 30_000,
                out -> out.contains("BOUND   | " + IMEI + " | " + ICCID));
        String tunnels = lab.awaitShell("the primary tunnel active", "sitegate:tunnel-list", 60_000, out -> activeTunnel(out).equals("primary"));
        assertTrue(tunnels, tunnels.contains("backup"));
        // the cloud's application answers the LAN through the tunnel
        await("the LAN client reaches the application through the tunnel", 30_000, () -> lab.echoAddress("10.99.0.10", 7));
    }

    // ------------------------------------------------------------------ 2. a signed group policy

    @Test
    public void s02AGroupPolicySetsPrivateDnsADenyListAnAllowListAQuotaAndTheRadios() throws Exception {
        lab.sim("clear journal");
        int v = groupPolicy();
        Message ack = awaitAck(v, "applied", 60_000);
        assertTrue(ack.payload(), ack.payload().contains("\"target\":\"group:site\""));
        // private DNS through the tunnel: the cloud's resolver answers a name only it knows
        assertEquals("10.99.0.10", lab.resolve(APP));
        assertTrue("the private resolver saw the query through the tunnel",
                Files.readString(lab.dir.resolve("logs/private-dns-queries.log")).contains("query[A] " + APP));
        // the deny list: the public resolver knows the name, the gateway refuses it
        assertEquals("NXDOMAIN", lab.resolve("ads.example.net"));
        assertEquals("198.18.0.80", lab.resolve("www.example.com"));
        // the allow list by name: the service, and nothing else (another cloud host, a public address)
        assertTrue("the allowed service", lab.echo(APP, 7));
        assertFalse("a cloud host not allowed", lab.echo(DB, 7));
        assertFalse("a raw address not allowed", lab.echoAddress("10.99.0.30", 7));
        // the radios: the modem saw the Quectel scan commands (EC25 AT manual: AT+QCFG="nwscanmode"/"nwscanseq")
        List<String> journal = lab.sim("get journal");
        assertTrue(journal.toString(), journal.stream().anyMatch(c -> c.startsWith("AT+QCFG=\"nwscanseq\"")));
        assertTrue(journal.toString(), journal.stream().anyMatch(c -> c.startsWith("AT+QCFG=\"nwscanmode\"")));
        String quota = lab.ssh("sitegate:quota-status");
        assertTrue(quota, quota.contains("50.00 MB") && quota.contains("at a limit: block"));
    }

    // ------------------------------------------------------------------ 3. a broken policy is rolled back

    @Test
    public void s03APolicyWithAWrongTunnelEndpointIsRolledBack() throws Exception {
        assertTrue(lab.echo(APP, 7));
        long t0 = System.currentTimeMillis();
        // the filter lets the wrong endpoint through: only the confirm window can tell that the policy is broken
        Extra broken = new Extra();
        broken.tunnels = tunnels("198.18.0.99");
        broken.allow = ",\"198.18.0.99 udp/1194\"";
        int v = groupPolicy(broken);
        Message ack = awaitAck(v, "rolled_back", 90_000);
        figure(String.format(Locale.ROOT, "broken policy (wrong tunnel endpoint): rolled_back ack at the cloud %.1f s after publishing"
                + " (confirm window 20 s)", ack.at() - t0 / 1000.0));
        assertTrue(ack.payload(), ack.payload().toLowerCase(Locale.ROOT).contains("tunnel") || ack.payload().contains("mqtt"));
        await("the LAN client's traffic resumes", 60_000, () -> lab.echo(APP, 7));
        String status = lab.ssh("sitegate:policy-status");
        assertTrue(status, status.contains("version " + (v - 1) + " "));
        // the tunnel the broken policy had removed is back with the last-known-good
        lab.awaitShell("both tunnels back", "sitegate:tunnel-list", 30_000, out -> out.contains("| primary ") && out.contains("| backup "));
    }

    // ------------------------------------------------------------------ 4. the primary VPN gateway dies

    @Test
    public void s04ThePrimaryVpnGatewayDiesTheFlowMovesToTheBackupAndBack() throws Exception {
        lab.awaitShell("primary active", "sitegate:tunnel-list", 60_000, out -> activeTunnel(out).equals("primary"));
        long lastOk = System.currentTimeMillis();
        assertTrue(lab.echo(APP, 7));
        assertTrue(lab.site(30, "vpn", "stop", "vpn1").ok());
        long killed = System.currentTimeMillis();
        long resumed = 0;
        while (System.currentTimeMillis() - killed < 60_000) {
            if (lab.echo(APP, 7)) {
                resumed = System.currentTimeMillis();
                break;
            }
            sleep(100);
        }
        assertTrue("the LAN client's flow resumed over the backup within 60 s", resumed > 0);
        figure(String.format(Locale.ROOT, "failover (OpenVPN primary killed -> LAN echo through the backup): %.1f s"
                + " (target < 5 s; an echo is a DNS lookup and a TCP round trip, every 100 ms)", (resumed - killed) / 1000.0));
        assertEquals("backup", activeTunnel(lab.ssh("sitegate:tunnel-list")));
        lab.awaitMessage("a failover event", EVENTS, 20_000, m -> m.at() * 1000 >= lastOk && m.payload().contains("\"event\":\"tunnel/FAILOVER\""));
        // failback once the primary is back and has held for its hold-down
        assertTrue(lab.site(30, "vpn", "start", "vpn1").ok());
        lab.awaitShell("failback to primary", "sitegate:tunnel-list", 60_000, out -> activeTunnel(out).equals("primary"));
        await("the flow over the primary again", 30_000, () -> lab.echo(APP, 7));
    }

    // ------------------------------------------------------------------ 5. the SIM moves to another modem

    @Test
    public void s05TheSimInAnotherModemIsRefusedAlertedBySmsAndTheEventQueuedUntilTheOperatorResetsTheBinding() throws Exception {
        int smsBefore = lab.sim("get sms-sent").size();
        double movedAt = System.currentTimeMillis() / 1000.0;
        // the same SIM, another module: the simulator's IMEI changes and the module starts again
        lab.sim("set imei " + OTHER_IMEI);
        lab.sim("fault drop 2s");
        lab.awaitShell("the binding violated", "sitegate:binding-status", 60_000, out -> out.contains(OTHER_IMEI) && out.contains("SIM_BOUND_ELSEWHERE"));
        await("no data path: the LAN cannot reach the cloud", 30_000, () -> !lab.echoAddress("10.99.0.10", 7));
        assertTrue("no data session: " + lab.sim("data?"), lab.sim("data?").toString().contains("down"));
        // SMS need no data session: one alert to the operator's number
        await("the alert SMS", 30_000, () -> lab.sim("get sms-sent").stream().skip(smsBefore).anyMatch(m -> m.startsWith(ALERT_NUMBER + " ")));
        List<String> alerts = lab.sim("get sms-sent").stream().skip(smsBefore).filter(m -> m.startsWith(ALERT_NUMBER + " ")).toList();
        assertEquals(alerts.toString(), 1, alerts.size());
        sleep(3000);
        assertTrue("the event could not reach the cloud yet", lab.messages(EVENTS, m -> m.at() >= movedAt
                && m.payload().contains("\"event\":\"cellular/BINDING_VIOLATED\"")).isEmpty());
        // the operator re-binds from the shell: the session comes up, the queued event reaches the cloud
        double resetAt = System.currentTimeMillis() / 1000.0;
        String reset = lab.ssh("sitegate:binding-reset --force wan0");
        assertTrue(reset, reset.contains("Binding of wan0 reset"));
        Message violated = lab.awaitMessage("the queued binding event", EVENTS, 90_000,
                m -> m.at() >= resetAt && m.payload().contains("\"event\":\"cellular/BINDING_VIOLATED\""));
        assertTrue(violated.payload(), violated.payload().contains(OTHER_IMEI));
        assertTrue("raised before the reset, sent after it: " + violated.payload(),
                Instant.parse(violated.field("at")).toEpochMilli() / 1000.0 < resetAt);
        figure(String.format(Locale.ROOT, "SIM moved: binding event queued %.1f s, delivered %.1f s after the operator's reset",
                resetAt - Instant.parse(violated.field("at")).toEpochMilli() / 1000.0, violated.at() - resetAt));
        await("the LAN reaches the cloud again", 60_000, () -> lab.echo(APP, 7));
        lab.awaitShell("the new pair learned", "sitegate:binding-status", 30_000, out -> out.contains("BOUND   | " + OTHER_IMEI));
    }

    // ------------------------------------------------------------------ 6. the quota runs out

    @Test
    public void s06TheQuotaRunsOutDataIsBlockedAndTheWarningsArrivedFirst() throws Exception {
        double start = System.currentTimeMillis() / 1000.0;
        Extra small = new Extra();
        small.quota = "\"quota.data.bytes\":\"" + quotaLimit() + "\",\"quota.thresholds\":[\"50\",\"80\",\"100\"]";
        int v = groupPolicy(small);
        awaitAck(v, "applied", 60_000);
        // traffic on the modem's counters: 400 kB/s
        lab.sim("set counters rate=400000/s");
        long blockedAt = 0;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!lab.echoAddress("10.99.0.10", 7)) {
                blockedAt = System.currentTimeMillis();
                break;
            }
            sleep(200);
        }
        assertTrue("data blocked at the quota", blockedAt > 0);
        lab.sim("set counters rate=0/s");
        lab.awaitShell("the quota reached and blocking", "sitegate:quota-status", 30_000, out -> out.contains("100 %"));
        for (String pct : List.of("50", "80")) {
            Message warning = lab.awaitMessage("the " + pct + " % warning", EVENTS, 1_000,
                    m -> m.at() >= start && m.payload().contains("\"event\":\"cellular/QUOTA_THRESHOLD\"") && m.field("percent").equals(pct));
            assertTrue("the " + pct + " % warning reached the cloud before the data stopped", warning.at() * 1000 < blockedAt);
        }
        // the operator lets data through for the rest of the cycle: back online, the queued 100 % event arrives
        double overrideAt = System.currentTimeMillis() / 1000.0;
        String override = lab.ssh("sitegate:quota-override wan0");
        assertTrue(override, override.toLowerCase(Locale.ROOT).contains("override"));
        await("data again after the override", 60_000, () -> lab.echo(APP, 7));
        Message full = lab.awaitMessage("the 100 % event", EVENTS, 60_000,
                m -> m.payload().contains("\"event\":\"cellular/QUOTA_THRESHOLD\"") && m.field("percent").equals("100") && m.at() >= start);
        assertTrue("the 100 % event was queued while the data was blocked", full.at() >= overrideAt);
        lab.ssh("sitegate:quota-override --clear wan0");
        awaitAck(groupPolicy(), "applied", 60_000);
    }

    /** A limit a little above what the modem has counted so far (the counters run from the first session). */
    private static String quotaLimit() {
        String status = lab.ssh("sitegate:quota-status");
        double used = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data\\s+\\|\\s+([0-9.]+) (B|kB|KB|MB|GB)").matcher(status);
        if (m.find()) {
            double n = Double.parseDouble(m.group(1));
            used = switch (m.group(2)) {
                case "B" -> n;
                case "kB", "KB" -> n * 1e3;
                case "MB" -> n * 1e6;
                default -> n * 1e9;
            };
        }
        return (long) (used + 4_000_000) + "";
    }

    // ------------------------------------------------------------------ 7. a remote access window by policy

    @Test
    public void s07AnAccessWindowFromAPolicyLetsTheCloudInOverSshForItsTimeOnly() throws Exception {
        String ssh = "ssh -p 8101 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=3"
                + " -o LogLevel=ERROR -o IdentitiesOnly=yes -i " + env().get("OPERATOR_KEY") + " operator@10.77.1.1 sitegate:policy-status";
        assertFalse("no SSH from the cloud without a window", lab.cloud(20, ssh).out().contains("In force"));
        Instant until = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        Extra window = new Extra();
        window.filter = "\"access\":\"10.99.0.10/32 ssh:8101 until " + until + "\"";
        int v = groupPolicy(window);
        awaitAck(v, "applied", 60_000);
        SiteLab.Result in = lab.cloud(20, ssh);
        assertTrue("SSH from the cloud's address through the tunnel while the window is open: " + in.out(), in.out().contains("In force"));
        assertTrue(lab.ssh("sitegate:access-list").contains("10.99.0.10"));
        // another cloud address is not the window's
        assertFalse(lab.cloud(20, "ip addr add 10.99.0.40/24 dev br0 2>/dev/null; " + ssh.replace("ssh -p", "ssh -b 10.99.0.40 -p"))
                .out().contains("In force"));
        long left = until.toEpochMilli() - System.currentTimeMillis();
        sleep(Math.max(0, left) + 1500);
        assertFalse("closed when the window ends", lab.cloud(20, ssh).out().contains("In force"));
        lab.awaitMessage("the window's close event", EVENTS, 30_000, m -> m.payload().contains("\"event\":\"access/CLOSED\""));
    }

    // ------------------------------------------------------------------ helpers

    /** The active tunnel's name from tunnel-list (the row marked '*'). */
    static String activeTunnel(String list) {
        for (String line : list.split("\n")) {
            if (line.startsWith("* |")) {
                return line.split("\\|")[1].trim();
            }
        }
        return "";
    }

    private static Message awaitAck(int v, String result, long timeoutMs) {
        return lab.awaitMessage("ack " + result + " of version " + v, ACK, timeoutMs,
                m -> m.field("version").equals(String.valueOf(v)) && m.field("result").equals(result));
    }

    /** The lab's tunnels as a policy section, the primary towards {@code primaryEndpoint}. */
    static String tunnels(String primaryEndpoint) {
        Path etc = lab.gatewayHome().resolve("etc/lab");
        String common = "\"prefixes\":\"10.99.0.0/24\",\"probe.address\":\"10.99.0.10\",\"probe.interval\":\"1\",\"probe.failures\":\"2\","
                + "\"probe.successes\":\"2\",\"failback.holdDown\":\"5\",\"keepalive\":\"2\",\"keepalive.timeout\":\"8\",\"openvpn.ca\":\"" + etc.resolve("ca.crt")
                + "\",\"openvpn.cert\":\"" + etc.resolve("gw1.crt") + "\",\"openvpn.key\":\"" + etc.resolve("gw1.key") + "\"";
        return "{\"primary\":{\"type\":\"openvpn\",\"priority\":\"100\",\"endpoints\":\"eu:" + primaryEndpoint + "\"," + common + "}}";
    }

    /** What a version of the site's group policy adds to the base: see {@link #groupPolicy(Extra)}. */
    static final class Extra {
        String tunnels;
        String allow = "";
        String filter;
        String quota = "\"quota.data.bytes\":\"50MB\",\"quota.thresholds\":[\"50\",\"80\",\"100\"]";
        String features;
    }

    static int groupPolicy() throws IOException {
        return groupPolicy(new Extra());
    }

    /**
     * Publishes the next version of the site's group policy: private DNS through the tunnel, a DNS deny list, an allow
     * list by name (plus the gateway's own endpoints, which an allow list must name), a 50 MB quota, LTE then UMTS;
     * {@code extra} adds a tunnels section, allow rules, filter keys, another quota or a features section.
     */
    static int groupPolicy(Extra extra) throws IOException {
        int v = ++version;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String json = "{\"version\":" + v + ",\"issuedAt\":\"" + now.minusSeconds(60) + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"group:site\",\"sections\":{"
                + "\"cellular\":{\"binding.mode\":\"auto\",\"binding.alertNumber\":\"" + ALERT_NUMBER + "\",\"rat.allowed\":[\"lte\",\"umts\"],"
                + extra.quota + ",\"quota.action\":\"block\",\"quota.checkSeconds\":5},"
                + "\"dns\":{\"listen\":\"lan0:53\",\"wan.interfaces\":\"wan0\",\"upstreams\":\"udp://198.18.0.53:53\","
                + "\"private.upstreams\":\"udp://10.99.0.53:53\",\"private.tunnel\":\"tunnels\",\"forward.corp.example\":\"private\","
                + "\"firewall.deny\":[\"ads.example.net\",\"tracker.example.net\"]},"
                + "\"filter\":{\"default\":\"deny\",\"allow\":[\"" + APP + " tcp/7\",\"10.99.0.10 tcp/8883\",\"198.18.0.53 udp/53\","
                + "\"198.18.0.11 udp/1194\",\"198.18.0.12 udp/1194\",\"198.18.0.13 udp/1194\"" + extra.allow
                + "],\"lan.interfaces\":\"lan0\",\"wan.interfaces\":\"wan0\"" + (extra.filter == null ? "" : "," + extra.filter) + "}"
                + (extra.tunnels == null ? "" : ",\"tunnels\":" + extra.tunnels)
                + (extra.features == null ? "" : ",\"features\":" + extra.features)
                + "}}";
        lab.publishGroupPolicy(json, "group-v" + v);
        return v;
    }

    static Map<String, String> env() {
        return lab.env();
    }
}
