package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Power loss in the middle of a billing cycle: the distribution started as on a gateway
 * ({@code bin/sitegate-launch start}, outside Pax Exam) with one simulated Quectel modem, an auto SIM/modem
 * binding and a data quota; the Karaf JVM is killed with SIGKILL (no deactivation, no flush) and booted
 * again. The data used before the kill is still counted, the bytes that flowed while the gateway was down
 * are counted once, and the binding learned before the kill is still enforced.
 */
public class CellularRestartIT {
    private static final String IMEI = "356938035643809";
    private static final String ICCID = "89490200009876543210";
    private static final String OTHER_IMEI = CellularIT.luhn("35693803564381");
    private static final Pattern DATA_USED = Pattern.compile("(?m)^\\s*data\\s*\\|\\s*([0-9.]+) (B|KB|MB|GB)\\s*\\|");

    private static LaunchedGateway gateway;
    private static Path home;
    private static SimulatorProcess sim;

    @BeforeClass
    public static void unpack() throws Exception {
        gateway = LaunchedGateway.unpack("cellular-restart");
        home = gateway.home;
        Path dir = gateway.dir;

        sim = SimulatorProcess.start(dir.resolve("modems"), "wan0", "quectel-ec25", "set imei " + IMEI,
                "set imsi 262019876543210", "set iccid " + ICCID, "set sim present", "set apn-allowed internet.itest",
                "set ip 10.64.0.10", "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"",
                "set counters sent=0 received=0");
        Files.writeString(home.resolve("etc/io.sitegate.modem-wan0.cfg"), String.join("\n",
                "port = " + sim.link(), "apn = internet.itest", "pollSeconds = 1", "backoffInitialSeconds = 1",
                "backoffMaxSeconds = 2", ""));
        // thresholds far above what flows here: no threshold event persists the ledger early, so the
        // ledger on disk is the one written at the first check (and every 60 s), as in most of a cycle
        Files.writeString(home.resolve("etc/io.sitegate.cellular.cfg"), String.join("\n",
                "binding.mode = auto", "quota.data.bytes = 10MB", "quota.action = block", "quota.thresholds = 90",
                "quota.checkSeconds = 5", ""));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stopQuietly();
        }
    }

    @Test
    public void killNineMidCycleKeepsTheUsedVolumeAndTheLearnedBinding() throws Exception {
        boot();
        awaitShell("wan0 session UP", "sitegate:modem-status wan0", out -> out.contains("session: UP"));
        String bound = awaitShell("the pair learned", "sitegate:binding-status wan0",
                out -> out.contains("BOUND") && out.contains(IMEI) && out.contains(ICCID));
        String learnedAt = learnedAt(bound);

        // traffic: 50 kB counted before the kill
        sim.send("set counters sent=30000 received=20000");
        String before = awaitShell("50 kB counted", "sitegate:quota-status wan0", out -> dataUsed(out) == 50_000);
        long usedBefore = dataUsed(before);

        killNine();

        // while the gateway is down: 20 kB more flow, and the module is swapped for another one
        sim.send("set counters sent=40000 received=30000");
        sim.send("set imei " + OTHER_IMEI);

        boot();
        String after = awaitShell("the used volume counted again", "sitegate:quota-status wan0", out -> dataUsed(out) >= usedBefore);
        // give the keeper a few refreshes; the volume must settle at exactly what the modem counted
        String settled = awaitShell("all 70 kB counted, once", "sitegate:quota-status wan0", out -> dataUsed(out) == 70_000);
        assertTrue(after + "\n" + settled, dataUsed(after) >= usedBefore);

        // the binding learned before the kill: still there, and enforced against the new module
        String status = awaitShell("wan0 refused by the binding", "sitegate:modem-status wan0",
                out -> out.contains("session: BLOCKED") && out.contains("imei-binding"));
        assertTrue(status, status.contains(IMEI) && status.contains(OTHER_IMEI));
        String binding = awaitShell("the learned pair kept", "sitegate:binding-status wan0",
                out -> out.contains("SIM_BOUND_ELSEWHERE"));
        assertEquals(binding, learnedAt, learnedAt(binding));
        assertTrue(binding, binding.contains(IMEI) && binding.contains(ICCID) && binding.contains(OTHER_IMEI));
        String again = ssh("sitegate:quota-status wan0");
        assertEquals(again, 70_000, dataUsed(again));
    }

    /** The Learned column of the binding table: {@code yyyy-MM-dd HH:mm:ss}. */
    private static String learnedAt(String bindingStatus) {
        Matcher m = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}").matcher(bindingStatus);
        assertTrue("a learned time in\n" + bindingStatus, m.find());
        return m.group();
    }

    /** Data used as quota-status shows it ({@code 50.00 KB}), in bytes; -1 when not shown. */
    private static long dataUsed(String quotaStatus) {
        Matcher m = DATA_USED.matcher(quotaStatus);
        if (!m.find()) {
            return -1;
        }
        long factor = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1L;
        };
        return Math.round(Double.parseDouble(m.group(1)) * factor);
    }

    private static void boot() throws Exception {
        String out = gateway.start();
        awaitShell("the shell after " + out, "sitegate:status", o -> o.contains("Ready:"));
    }

    private static void killNine() throws Exception {
        gateway.killNine();
    }

    private static String awaitShell(String what, String command, Predicate<String> condition) throws Exception {
        return gateway.awaitShell(what, command, condition);
    }

    private static String ssh(String command) throws Exception {
        return gateway.ssh(command);
    }
}
