package io.sitegate.itests;

import static io.sitegate.itests.SimulatedModems.matching;
import static io.sitegate.itests.SimulatedModems.sleep;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.cellular.LearnedBinding;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaUsage;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemIdentifiers;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SimState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;

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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;

/**
 * The cellular service policy (issue 5) in the built distribution, against simulated modules over real
 * socat ptys: IMEI binding (auto, manual, fail closed), the network allowlist, the data quota with an
 * injected clock, the RAT policy per vendor dialect and refused bad input. wan0 is a Quectel EC25 used
 * for binding, network and quota; wan1..wan3 (SIMCom SIM7600, u-blox SARA-R4, generic) join wan0 for the
 * RAT policy. Every modem has an identity of its own. Each test starts from the permissive policy with no
 * binding learned, and leaves the simulators and the policy as it found them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CellularIT extends SitegateTestSupport {

    static final String IMEI = "356938035643809";
    static final String IMSI = "262019876543210";
    static final String ICCID = "89490200009876543210";
    /** The module that replaces wan0's in the modem-swap test: another valid IMEI. */
    static final String OTHER_IMEI = luhn("35693803564381");
    /** The SIM swapped into wan0: a valid ICCID bound nowhere. */
    static final String OTHER_ICCID = "89490200005555555555";
    static final String APN = "internet.itest";
    static final String ALERT_NUMBER = "+4915100000001";

    private static final String[] IDS = {"wan0", "wan1", "wan2", "wan3"};
    private static final String[] VENDORS = {"quectel-ec25", "simcom-sim7600", "ublox-sara-r4", "generic"};
    private static final String[] IMEIS = {IMEI, luhn("86796204000001"), luhn("35209900000002"), luhn("35000000000003")};
    private static final String[] ICCIDS = {ICCID, "89490200001111111111", "89490200002222222222", "89490200003333333333"};
    private static final long BOOT_MS = 60_000;
    private static final long CHANGE_MS = 20_000;
    private static final String SOURCE = "CellularIT";
    /** The simulators' control ports reach the container as sitegate.it.cellular.{id}.control. */
    private static final String SIMULATORS = "sitegate.it.cellular";

    @Inject
    BundleContext context;

    @Inject
    HealthRegistry health;

    @Inject
    Modems modems;

    private final EventRecorder events = new EventRecorder();

    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            options = startSimulatorsAndConfigure();
        }
        return options.clone();
    }

    private static Option[] startSimulatorsAndConfigure() {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "cellular");
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) {
            List<String> scenario = List.of("set imei " + IMEIS[i], "set imsi 2620100000000" + i + "0", "set iccid " + ICCIDS[i],
                    "set sim present", "set apn-allowed " + APN, "set ip 10.64.0.1" + i,
                    "set signal rssi=-71 rsrp=-95 rsrq=-10 sinr=12",
                    "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
            if (i == 0) {
                scenario = new ArrayList<>(scenario);
                scenario.set(1, "set imsi " + IMSI);
                scenario.addAll(List.of("set manufacturer Quectel", "set model EC25EFA", "set revision EC25EFAR06A08M4G"));
            }
            SimulatorProcess sim = SimulatorProcess.start(dir, IDS[i], VENDORS[i], scenario.toArray(String[]::new));
            options.addAll(SimulatedModems.configure(SIMULATORS, IDS[i], sim, APN));
        }
        options.add(editConfigurationFilePut("etc/io.sitegate.cellular.cfg", "quota.checkSeconds", "5"));
        return distribution(options.toArray(Option[]::new));
    }

    @Before
    public void prepare() throws Exception {
        events.start(context, SitegateTopics.PREFIX + "cellular/*", SitegateTopics.PREFIX + "modem/*");
        for (String id : IDS) {
            modem(id);
        }
        await("the cellular policy knows all modems", BOOT_MS, () -> enforcement().modems().size() == IDS.length);
        restorePolicy();
        awaitSessionUp("wan0");
        events.clear();
    }

    @After
    public void restore() throws Exception {
        try {
            restorePolicy();
        } finally {
            events.stop();
        }
    }

    /** The permissive policy and no binding learned on any modem. */
    private void restorePolicy() throws Exception {
        policy();
        for (String id : IDS) {
            enforcement().resetBinding(id, SOURCE);
        }
        for (String id : IDS) {
            assertEquals(Optional.empty(), enforcement().modem(id).orElseThrow().learned());
        }
    }

    // --- 1. auto binding: learn, survive a restart, refuse another modem, reset and learn again ---

    @Test
    public void autoBindingLearnsSurvivesARestartRefusesAnotherImeiAndRelearnsAfterAReset() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        wan0.disconnect();
        awaitSession("wan0", SessionState.DISABLED, CHANGE_MS);
        // through etc/io.sitegate.cellular.cfg, as an operator sets it: a bundle restart delivers it again
        // (a policy given to CellularPolicyService.apply does not survive that: see the test below)
        Path cfg = Paths.get(System.getProperty("karaf.etc"), "io.sitegate.cellular.cfg");
        String original = Files.readString(cfg);
        Files.writeString(cfg, "binding.mode = auto\nbinding.alertNumber = " + ALERT_NUMBER + "\nquota.checkSeconds = 5\n");
        await("auto binding from the file", CHANGE_MS, () -> policies().current().binding().mode() == BindingMode.AUTO
                && policies().current().source().equals("etc/io.sitegate.cellular.cfg"));
        assertEquals(Optional.empty(), policyStatus("wan0").learned());
        try {
            // the first data session binds the pair
            events.clear();
            wan0.connect();
            awaitSessionUp("wan0");
            LearnedBinding learned = awaitLearned("wan0");
            assertEquals(IMEI, learned.imei());
            assertEquals(ICCID, learned.iccid());
            assertEquals(IMSI, learned.imsi());
            Event changed = awaitEvent(SitegateTopics.BINDING_CHANGED, "wan0", e -> "learned".equals(e.getProperty("action")));
            assertEquals(IMEI, changed.getProperty("imei"));
            assertEquals(ICCID, changed.getProperty("iccid"));
            await("wan0 BOUND", CHANGE_MS, () -> policyStatus("wan0").binding().map(BindingVerdict::outcome)
                    .equals(Optional.of(BindingVerdict.Outcome.BOUND)));
            SshResult status = asViewer("sitegate:binding-status wan0");
            assertTrue(status.output(), status.output().contains("BOUND") && status.output().contains(IMEI)
                    && status.output().contains(ICCID));

            // a restart of the cellular bundle keeps the learned pair (and the policy in force)
            CellularEnforcement before = enforcement();
            Bundle cellular = bundle("io.sitegate.cellular");
            cellular.stop();
            cellular.start();
            await("a new cellular enforcement", BOOT_MS, () -> enforcementOrNull() != null && enforcementOrNull() != before
                    && enforcementOrNull().modem("wan0").isPresent());
            assertNotSame(before, enforcement());
            assertEquals("policy after the restart: " + policies().current(), BindingMode.AUTO,
                    policies().current().binding().mode());
            assertEquals(Optional.of(learned), policyStatus("wan0").learned());
            awaitSessionUp("wan0");

            // another module (IMEI) with the bound SIM: refused, event, alert SMS, modem still registered
            events.clear();
            sim.clearJournal();
            int alertsBefore = sim.smsSent().size();
            sim.send("set imei " + OTHER_IMEI);
            sim.send("fault drop 2s");
            ModemStatus blocked = awaitSession("wan0", SessionState.BLOCKED, 30_000);
            assertTrue(blocked.reason(), blocked.reason().startsWith("imei-binding: "));
            assertTrue(blocked.reason(), blocked.reason().contains(IMEI) && blocked.reason().contains(OTHER_IMEI));
            assertEquals(LinkState.READY, blocked.link());
            assertTrue(blocked.toString(), blocked.registered());
            assertFalse("no activation while refused: " + sim.journal(), sim.journal().contains("AT+CGACT=1,1"));
            GateDecision decision = policyStatus("wan0").decision();
            assertEquals("imei-binding", decision.gate());
            BindingVerdict verdict = policyStatus("wan0").binding().orElseThrow();
            assertEquals(BindingVerdict.Outcome.SIM_BOUND_ELSEWHERE, verdict.outcome());
            Event violated = awaitEvent(SitegateTopics.BINDING_VIOLATED, "wan0", e -> OTHER_IMEI.equals(e.getProperty("seenImei")));
            assertEquals(IMEI, violated.getProperty("expectedImei"));
            assertEquals(ICCID, violated.getProperty("expectedIccid"));
            assertEquals(OTHER_IMEI, violated.getProperty("seenImei"));
            assertEquals(ICCID, violated.getProperty("seenIccid"));
            assertEquals("SIM_BOUND_ELSEWHERE", violated.getProperty("outcome"));
            await("cellular DOWN naming the binding", CHANGE_MS, () -> cellularHealth().state() == HealthState.DOWN
                    && cellularHealth().reason().contains("imei-binding"));

            // SMS still work without data: the alert to the operator, and any other message
            await("binding alert SMS sent", CHANGE_MS, () -> sim.smsSent().stream().anyMatch(s -> s.startsWith(ALERT_NUMBER + " ")
                    && s.contains("binding violated")));
            String text = "itest sms while data is refused " + System.currentTimeMillis();
            wan0.sendSms("+4915100000002", text);
            assertTrue(sim.smsSent().toString(), sim.smsSent().contains("+4915100000002 " + text));
            // "one SMS per binding violation" (etc/io.sitegate.cellular.cfg); a module re-initialising is none
            List<String> alerts = sim.smsSent().subList(alertsBefore, sim.smsSent().size()).stream()
                    .filter(sms -> sms.startsWith(ALERT_NUMBER + " ")).toList();
            assertEquals("alert SMS for one modem swap: " + alerts + "; events " + events.describe(), 1, alerts.size());

            // an administrator re-binds: the next session learns the new pair
            events.clear();
            SshResult reset = asAdmin("sitegate:binding-reset --force wan0");
            assertTrue(reset.output(), reset.output().contains("Binding of wan0 reset"));
            Event resetEvent = awaitEvent(SitegateTopics.BINDING_CHANGED, "wan0", e -> "reset".equals(e.getProperty("action")));
            assertEquals(IMEI, resetEvent.getProperty("imei"));
            assertTrue(String.valueOf(resetEvent.getProperty("by")), String.valueOf(resetEvent.getProperty("by")).contains("itadmin"));
            awaitSessionUp("wan0");
            Event relearned = awaitEvent(SitegateTopics.BINDING_CHANGED, "wan0", e -> "learned".equals(e.getProperty("action")));
            assertEquals(OTHER_IMEI, relearned.getProperty("imei"));
            assertEquals(ICCID, relearned.getProperty("iccid"));
            assertEquals(OTHER_IMEI, awaitLearned("wan0").imei());
        } finally {
            Files.writeString(cfg, original);
            await("the original file in force", CHANGE_MS, () -> policies().current().binding().mode() == BindingMode.OFF);
            policy();
            sim.send("set imei " + IMEI);
            sim.send("fault drop 2s");
            await("wan0 back with IMEI " + IMEI, 30_000, () -> wan0.status().identity().map(ModemIdentity::imei).orElse("").equals(IMEI)
                    && wan0.status().session() == SessionState.UP);
        }
    }

    /**
     * The cellular section is how a signed policy arrives; "the last valid policy survives a
     * restart". A restart of the cellular bundle must not silently put back the (older) file's policy.
     */
    @Test
    public void aPolicyAppliedThroughTheServiceStaysInForceAcrossABundleRestart() throws Exception {
        CellularPolicy applied = policy("binding.mode", "auto", "networks.allowed", "26201");
        CellularPolicyService before = policies();
        Bundle cellular = bundle("io.sitegate.cellular");
        cellular.stop();
        cellular.start();
        await("a new policy service", BOOT_MS, () -> serviceOrNull(CellularPolicyService.class) != null
                && serviceOrNull(CellularPolicyService.class) != before);
        await("the cellular enforcement back", BOOT_MS, () -> enforcementOrNull() != null
                && enforcementOrNull().modem("wan0").isPresent());
        // Once in CI (2026-12-04) the file's older policy was found in force right after the restart, not reproduced
        // since: the policy must be in force within a few seconds, and the failure shows the file and ConfigAdmin.
        Path cfg = Paths.get(System.getProperty("karaf.etc"), "io.sitegate.cellular.cfg");
        try {
            await("the applied policy in force after a restart of io.sitegate.cellular", 10_000,
                    () -> applied.equals(policies().current()));
        } catch (AssertionError e) {
            org.osgi.service.cm.ConfigurationAdmin ca = context.getService(context.getServiceReference(
                    org.osgi.service.cm.ConfigurationAdmin.class));
            throw new AssertionError(e.getMessage() + "; in force " + policies().current() + "; file:\n"
                    + Files.readString(cfg) + "\nConfigAdmin: " + ca.getConfiguration("io.sitegate.cellular", null).getProperties(), e);
        }
    }

    // --- 2. manual binding: a SIM from elsewhere is refused ---

    @Test
    public void aSimSwappedInUnderManualBindingIsRefused() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) {
            pairs.add(IMEIS[i] + ":" + ICCIDS[i]);
        }
        policy("binding.mode", "manual", "binding.pairs", String.join(",", pairs));
        try {
            awaitSessionUp("wan0");
            await("wan0 BOUND", CHANGE_MS, () -> policyStatus("wan0").binding().map(BindingVerdict::outcome)
                    .equals(Optional.of(BindingVerdict.Outcome.BOUND)));
            events.clear();
            sim.clearJournal();
            sim.send("set sim absent");
            await("wan0 sees no SIM", CHANGE_MS, () -> wan0.status().sim().equals(Optional.of(SimState.ABSENT)));
            sim.send("set iccid " + OTHER_ICCID);
            sim.send("set sim present");
            await("wan0 sees SIM " + OTHER_ICCID, CHANGE_MS, () -> wan0.status().identity().map(ModemIdentity::iccid)
                    .orElse("").equals(OTHER_ICCID));
            ModemStatus blocked = awaitSession("wan0", SessionState.BLOCKED, CHANGE_MS);
            assertTrue(blocked.reason(), blocked.reason().startsWith("imei-binding: ") && blocked.reason().contains(OTHER_ICCID));
            BindingVerdict verdict = policyStatus("wan0").binding().orElseThrow();
            assertEquals(BindingVerdict.Outcome.SIM_NOT_BOUND, verdict.outcome());
            Event violated = awaitEvent(SitegateTopics.BINDING_VIOLATED, "wan0", e -> OTHER_ICCID.equals(e.getProperty("seenIccid")));
            assertEquals(IMEI, violated.getProperty("seenImei"));
            assertEquals("SIM_NOT_BOUND", violated.getProperty("outcome"));
            staysBlocked("wan0", 3_000);
            assertFalse("no activation with the foreign SIM: " + sim.journal(), sim.journal().contains("AT+CGACT=1,1"));
        } finally {
            putBackTheOriginalSim(sim, wan0);
        }
        awaitTheOriginalSimUp(wan0);
    }

    /**
     * A quick swap (a dual-SIM router switching slots, a slow modem answering AT+CPIN?): the SIM's
     * +CPIN URCs arrive while the keeper's own AT+CPIN? is waiting for its answer. The new SIM must be
     * noticed all the same, or the bound identity stays on display and the foreign SIM gets data.
     */
    @Test
    public void aSimSwappedWhileTheModemAnswersAtCpinIsStillRefused() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        policy("binding.mode", "manual", "binding.pairs", IMEIS[0] + ":" + ICCIDS[0] + "," + IMEIS[1] + ":" + ICCIDS[1]
                + "," + IMEIS[2] + ":" + ICCIDS[2] + "," + IMEIS[3] + ":" + ICCIDS[3]);
        try {
            awaitSessionUp("wan0");
            sim.send("fault delay AT+CPIN? 800ms");
            sim.clearJournal();
            await("the keeper asks AT+CPIN?", CHANGE_MS, () -> sim.journal().contains("AT+CPIN?"));
            sim.send("set sim absent");
            sim.send("set iccid " + OTHER_ICCID);
            sim.send("set sim present");
            sim.send("fault clear AT+CPIN?");
            try {
                await("wan0 sees SIM " + OTHER_ICCID, CHANGE_MS, () -> wan0.status().identity().map(ModemIdentity::iccid)
                        .orElse("").equals(OTHER_ICCID));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; simulator " + sim.state() + "; modem " + wan0.status()
                        + "; cellular " + policyStatus("wan0").binding());
            }
            awaitSession("wan0", SessionState.BLOCKED, CHANGE_MS);
        } finally {
            sim.send("fault clear AT+CPIN?");
            putBackTheOriginalSim(sim, wan0);
        }
        awaitTheOriginalSimUp(wan0);
    }

    // --- 3. identity unreadable: fail closed ---

    @Test
    public void anUnreadableIdentityRefusesTheSessionWithAClearReason() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        policy("binding.mode", "auto");
        try {
            awaitSessionUp("wan0");
            awaitLearned("wan0");
            sim.clearJournal();
            sim.send("fault cme AT+CGSN 13");
            sim.send("urc +CPIN: READY"); // makes the keeper read the identity again
            ModemStatus blocked = awaitSession("wan0", SessionState.BLOCKED, CHANGE_MS);
            assertEquals(Optional.empty(), blocked.identity());
            assertTrue("the session was taken down: " + sim.journal(), sim.journal().contains("AT+CGACT=0,1"));
            assertTrue(blocked.reason(), blocked.reason().startsWith("imei-binding: "));
            assertTrue(blocked.reason(), blocked.reason().contains("identity") || blocked.reason().contains("IMEI"));
            assertEquals(BindingVerdict.Outcome.IDENTITY_UNREADABLE, policyStatus("wan0").binding().orElseThrow().outcome());
            await("cellular DOWN", CHANGE_MS, () -> cellularHealth().state() == HealthState.DOWN
                    && cellularHealth().reason().contains("wan0: data refused by imei-binding"));
            SshResult shell = asViewer("sitegate:binding-status wan0");
            assertTrue(shell.output(), shell.output().contains("IDENTITY_UNREADABLE"));
            staysBlocked("wan0", 3_000);
        } finally {
            sim.send("fault clear AT+CGSN");
            policy();
            sim.send("urc +CPIN: READY");
        }
        await("wan0 identity readable again", CHANGE_MS, () -> wan0.status().identity().isPresent());
        awaitSessionUp("wan0");
    }

    // --- 4. networks ---

    @Test
    public void aNetworkOutsideTheAllowlistIsRefusedAndAnAllowedOneCarriesData() throws Exception {
        SimulatorProcess sim = sim("wan0");
        awaitSessionUp("wan0");
        try {
            sim.clearJournal();
            policy("networks.allowed", "26202,26203");
            ModemStatus blocked = awaitSession("wan0", SessionState.BLOCKED, CHANGE_MS);
            assertTrue(blocked.reason(), blocked.reason().startsWith("network: ") && blocked.reason().contains("26201"));
            assertTrue(blocked.toString(), blocked.registered());
            assertTrue("the running session was taken down: " + sim.journal(), sim.journal().contains("AT+CGACT=0,1"));
            Event refused = awaitEvent(SitegateTopics.NETWORK_NOT_ALLOWED, "wan0", e -> true);
            assertEquals("26201", refused.getProperty("plmn"));
            assertEquals("262", refused.getProperty("mcc"));
            assertEquals("01", refused.getProperty("mnc"));
            assertEquals("network", policyStatus("wan0").decision().gate());

            sim.send("set reg 5 act=7 oper=26202 name=\"Vodafone.de\"");
            ModemStatus up = awaitSessionUp("wan0");
            assertEquals(Optional.of("26202"), up.plmn());
            assertTrue(policyStatus("wan0").decision().allowed());
        } finally {
            policy();
            sim.send("set reg 1 act=7 oper=26201 name=\"Telekom.de\"");
        }
        await("wan0 back on 26201", CHANGE_MS, () -> modem("wan0").status().plmn().equals(Optional.of("26201")));
        awaitSessionUp("wan0");
    }

    // --- 5. data quota ---

    @Test
    public void theDataQuotaWarnsBlocksSurvivesACounterResetAndOpensInTheNextCycle() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        awaitSessionUp("wan0");
        long usedBefore = policyStatus("wan0").quota().data().used();
        long limit = usedBefore + 100_000;
        TestClock clock = null;
        ServiceRegistration<Clock> clockRegistration = null;
        try {
            policy("quota.data.bytes", String.valueOf(limit), "quota.action", "block", "quota.thresholds", "50,80,100");
            assertTrue(policyStatus("wan0").decision().allowed());
            events.clear();
            sim.clearJournal();
            sim.send("set counters rate=5000/s"); // 10 kB/s up and down: the limit in about ten seconds
            ModemStatus blocked = awaitSession("wan0", SessionState.BLOCKED, 40_000);
            sim.send("set counters rate=0/s");
            assertTrue(blocked.reason(), blocked.reason().startsWith("quota-data: monthly data quota used up"));
            assertTrue("the running session was dropped: " + sim.journal(), sim.journal().contains("AT+CGACT=0,1"));
            List<Event> warnings = events.stream().filter(e -> e.getTopic().equals(SitegateTopics.QUOTA_THRESHOLD)
                    && "wan0".equals(e.getProperty("modem")) && "data".equals(e.getProperty("quota"))).toList();
            assertEquals(EventRecorder.describe(warnings).toString(), List.of(50, 80, 100),
                    warnings.stream().map(e -> ((Number) e.getProperty("percent")).intValue()).toList());
            for (Event w : warnings) {
                long used = ((Number) w.getProperty("used")).longValue();
                int percent = ((Number) w.getProperty("percent")).intValue();
                assertTrue(EventRecorder.describe(List.of(w)).toString(), used >= QuotaUsage.amountAt(limit, percent));
                assertEquals(limit, ((Number) w.getProperty("limit")).longValue());
                assertEquals("block", w.getProperty("action"));
            }
            QuotaUsage data = policyStatus("wan0").quota().data();
            assertTrue(data.toString(), data.reached());
            assertEquals("quota-data", policyStatus("wan0").decision().gate());
            SshResult shell = asViewer("sitegate:quota-status wan0");
            assertTrue(shell.output(), shell.output().contains("data refused: monthly data quota used up"));
            staysBlocked("wan0", 3_000);

            // the modem's counters reset mid-cycle: nothing counted is lost, nothing is counted twice
            long usedAtBlock = policyStatus("wan0").quota().data().used();
            assertTrue(wan0.execute("AT+QGDCNT=0", Duration.ofSeconds(5)).isOk());
            sim.clearJournal();
            await("the modem read its counters after the reset", CHANGE_MS, () -> sim.journal().contains("AT+QGDCNT?"));
            await("the modem read its counters again", CHANGE_MS, () -> sim.journal().stream().filter("AT+QGDCNT?"::equals).count() >= 2);
            assertEquals("used after the modem's counter reset", usedAtBlock, policyStatus("wan0").quota().data().used());
            sim.send("set counters sent=2000 received=1000");
            try {
                await("3000 more bytes counted", CHANGE_MS, () -> policyStatus("wan0").quota().data().used() == usedAtBlock + 3000);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; used " + policyStatus("wan0").quota().data().used()
                        + ", expected " + (usedAtBlock + 3000));
            }
            assertEquals(SessionState.BLOCKED, wan0.status().session());

            // the next billing cycle, by an injected clock: data flows again
            clock = new TestClock();
            sim.clearJournal();
            CellularEnforcement old = enforcement();
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("sitegate.clock", true);
            clockRegistration = context.registerService(Clock.class, clock, props);
            await("the enforcement reactivated with the test clock", BOOT_MS, () -> enforcementOrNull() != null
                    && enforcementOrNull() != old && enforcementOrNull().modem("wan0").isPresent());
            assertEquals("the ledger survived the reactivation", usedAtBlock + 3000, policyStatus("wan0").quota().data().used());
            awaitSession("wan0", SessionState.BLOCKED, CHANGE_MS);
            assertFalse("no session while the gate was being replaced (fail closed): " + sim.journal(),
                    sim.journal().contains("AT+CGACT=1,1"));
            Instant end = policyStatus("wan0").quota().cycle().end().toInstant();
            events.clear();
            clock.moveTo(end.plus(Duration.ofHours(1)));
            ModemStatus up = awaitSession("wan0", SessionState.UP, CHANGE_MS);
            assertEquals(LinkState.READY, up.link());
            Event cycle = awaitEvent(SitegateTopics.QUOTA_CYCLE, "wan0", e -> true);
            assertEquals(usedAtBlock + 3000, ((Number) cycle.getProperty("previousDataUsed")).longValue());
            assertEquals(end.toString(), cycle.getProperty("start"));
            assertTrue(policyStatus("wan0").quota().data().used() < limit);
            assertTrue(policyStatus("wan0").decision().allowed());
        } finally {
            sim.send("set counters rate=0/s");
            if (clockRegistration != null) {
                clockRegistration.unregister();
            }
            policy();
        }
        await("the enforcement back on the system clock", BOOT_MS, () -> enforcementOrNull() != null
                && enforcementOrNull().modem("wan0").isPresent());
        awaitSessionUp("wan0");
    }

    // --- 6. RAT policy per vendor dialect ---

    @Test
    public void theRatPolicySendsEachVendorsExactCommandsAndReportsWhatAModemCannotDo() throws Exception {
        for (String id : IDS) {
            await(id + " link READY", BOOT_MS, () -> modem(id).status().link() == LinkState.READY);
        }
        Pattern quectel = Pattern.compile("AT\\+QCFG=.*");
        Pattern simcom = Pattern.compile("AT\\+CNMP=.*");
        Pattern ublox = Pattern.compile("AT\\+(CFUN|URAT)=.*");
        Pattern generic = Pattern.compile("AT\\+COPS=[0124](,.*)?");
        try {
            // LTE only: SARA-R4 has no plain LTE (LTE-M and NB-IoT only)
            Map<String, RadioPolicyStatus> lte = applyRats("lte");
            assertApplied(lte, "wan0", quectel, "AT+QCFG=\"nwscanmode\",3,1");
            assertApplied(lte, "wan1", simcom, "AT+CNMP=38");
            assertRefused(lte, "wan3", generic, "AT+COPS=0 ignores <AcT>");
            assertRefused(lte, "wan2", ublox, "cannot do RAT LTE");
            await("cellular DEGRADED naming wan2's radio", CHANGE_MS, () -> cellularHealth().state() == HealthState.DEGRADED
                    && cellularHealth().reason().contains("wan2: radio policy not applied")
                    && cellularHealth().reason().contains("cannot do RAT LTE"));

            // an order: Quectel scan sequence, SIMCom's mode for the set; +COPS cannot express an order
            Map<String, RadioPolicyStatus> order = applyRats("lte,umts,gsm");
            assertApplied(order, "wan0", quectel, "AT+QCFG=\"nwscanseq\",040301,1", "AT+QCFG=\"nwscanmode\",0,1");
            assertApplied(order, "wan1", simcom, "AT+CNMP=2");
            assertRefused(order, "wan3", generic, "AT+COPS=0 ignores <AcT>");
            assertRefused(order, "wan2", ublox, "cannot do RAT");

            // the IoT RATs: only the u-blox can, with the radio off while +URAT is set
            Map<String, RadioPolicyStatus> iot = applyRats("nb-iot,lte-m,gsm");
            assertApplied(iot, "wan2", ublox, "AT+CFUN=0", "AT+URAT=8,7,9", "AT+CFUN=1");
            assertRefused(iot, "wan0", quectel, "cannot do RAT NB_IOT");
            assertRefused(iot, "wan1", simcom, "cannot do RAT NB_IOT");
            assertRefused(iot, "wan3", generic, "cannot do RAT LTE_M");
            assertTrue(sim("wan2").state().toString(), sim("wan2").state().contains("rat={urat=8,7,9}"));

            // one RAT again on every modem that can do GSM
            Map<String, RadioPolicyStatus> gsm = applyRats("gsm");
            assertApplied(gsm, "wan0", quectel, "AT+QCFG=\"nwscanmode\",1,1");
            assertApplied(gsm, "wan1", simcom, "AT+CNMP=13");
            assertApplied(gsm, "wan2", ublox, "AT+CFUN=0", "AT+URAT=9", "AT+CFUN=1");
            assertRefused(gsm, "wan3", generic, "AT+COPS=0 ignores <AcT>");
            // only the generic modem is left: it cannot be restricted to a radio at all
            await("cellular DEGRADED naming only wan3", CHANGE_MS, () -> cellularHealth().state() == HealthState.DEGRADED
                    && cellularHealth().reason().contains("wan3: radio policy not applied")
                    && !cellularHealth().reason().contains("wan2: radio policy"));
        } finally {
            policy();
            modem("wan0").setRatOrder(List.of(Rat.LTE, Rat.UMTS, Rat.GSM));
            modem("wan1").setRatOrder(List.of(Rat.LTE, Rat.UMTS, Rat.GSM));
            modem("wan2").setRatOrder(List.of(Rat.LTE_M, Rat.NB_IOT));
            modem("wan3").setRatOrder(List.of(Rat.LTE, Rat.UMTS, Rat.GSM, Rat.NB_IOT));
        }
        for (String id : List.of("wan0", "wan1", "wan3")) {
            awaitSessionUp(id);
        }
        await("wan2 link READY", BOOT_MS, () -> modem("wan2").status().link() == LinkState.READY);
    }

    // --- 7. bad input ---

    @Test
    public void badPolicyValuesAreRefusedNamingTheFieldAndThePolicyInForceStays() throws Exception {
        awaitSessionUp("wan0");
        CellularPolicy valid = policy("networks.allowed", "26201,26202", "quota.data.bytes", "500MB",
                "binding.mode", "manual", "binding.pairs", IMEIS[0] + ":" + ICCIDS[0] + "," + IMEIS[1] + ":" + ICCIDS[1]
                        + "," + IMEIS[2] + ":" + ICCIDS[2] + "," + IMEIS[3] + ":" + ICCIDS[3]);
        Map<String, String> base = Map.of("networks.allowed", "26201,26202", "quota.data.bytes", "500MB",
                "binding.mode", "manual", "binding.pairs", IMEIS[0] + ":" + ICCIDS[0], "quota.checkSeconds", "5");
        Instant since = policies().since();
        awaitSessionUp("wan0");
        Path cfg = Paths.get(System.getProperty("karaf.etc"), "io.sitegate.cellular.cfg");
        String original = Files.readString(cfg);
        try {
            List<String[]> bad = List.of(
                    new String[] {"quota.data.bytes", "-1"},
                    new String[] {"quota.sms.mo", "-3"},
                    new String[] {"rat.allowed", "lte,5g"},
                    new String[] {"networks.allowed", "26"},
                    new String[] {"networks.allowed", "2620A"},
                    new String[] {"networks.pin", "2620A"},
                    new String[] {"binding.pairs", "356938035643808:" + ICCID},     // IMEI check digit wrong
                    new String[] {"binding.pairs", IMEI + ":8949020000987"},         // ICCID 13 digits
                    new String[] {"binding.pairs", IMEI + ":89490200009876543210123"}, // ICCID 23 digits
                    new String[] {"quota.checkSeconds", "2"});
            for (String[] b : bad) {
                Map<String, String> values = new HashMap<>(base);
                values.put(b[0], b[1]);
                try {
                    cellularSection().apply(ConfigSection.of("cellular", "io.sitegate.cellular", values), SOURCE + " bad");
                    fail("accepted " + b[0] + "=" + b[1]);
                } catch (ConfigRefusedException e) {
                    ConfigProblem p = e.problems().get(0);
                    assertEquals(e.getMessage(), 1, e.problems().size());
                    assertEquals(e.getMessage(), b[0], p.property());
                    assertTrue(e.getMessage(), e.getMessage().contains("'" + b[0] + "'") && !p.value().isEmpty()
                            && b[1].contains(p.value()) && e.getMessage().contains(p.value()));
                }
                assertEquals(b[0] + "=" + b[1], valid, policies().current());
                assertEquals(since, policies().since());
                assertTrue(policyStatus("wan0").decision().allowed());
            }
            assertEquals(SessionState.UP, modem("wan0").status().session());

            // the same through etc/io.sitegate.cellular.cfg: refused, shown, the policy in force stays
            String[][] badFiles = {
                {"quota.data.bytes", "-5"},
                {"networks.allowed", "2620A"},
                {"rat.allowed", "lte,6g"},
                {"binding.pairs", "356938035643808:" + ICCID},
                {"binding.pairs", IMEI + ":8949020000987"},
            };
            for (String[] b : badFiles) {
                // File Install goes by the file's modification time: two writes within one second may look like one
                Thread.sleep(1100);
                Files.writeString(cfg, "binding.mode = manual\nbinding.pairs = " + IMEI + ":" + ICCID + "\n"
                        + "quota.checkSeconds = 5\n" + b[0] + " = " + b[1] + "\n", StandardCharsets.UTF_8);
                try {
                    String item = b[1].contains(",") ? b[1].substring(b[1].lastIndexOf(',') + 1) : b[1];
                    await("the file's " + b[0] + "=" + b[1] + " refused", CHANGE_MS, () -> policies().refusal()
                            .map(r -> r.contains("'" + b[0] + "'") && r.contains(item)).orElse(false));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; refusal " + policies().refusal() + ", policy " + policies().current());
                }
                assertEquals(valid, policies().current());
                assertEquals(since, policies().since());
                assertTrue(policyStatus("wan0").decision().allowed());
                await("cellular DOWN with the refusal", CHANGE_MS, () -> cellularHealth().state() == HealthState.DOWN
                        && cellularHealth().reason().contains(b[0]));
            }
            SshResult shown = asViewer("sitegate:cellular-policy");
            assertTrue(shown.output(), shown.output().contains("REFUSED") && shown.output().contains("binding.pairs")
                    && shown.output().contains("Source:    etc/io.sitegate.cellular.cfg"));
            assertEquals(SessionState.UP, modem("wan0").status().session());
        } finally {
            Files.writeString(cfg, original, StandardCharsets.UTF_8);
        }
        await("the original file accepted", CHANGE_MS, () -> policies().refusal().isEmpty()
                && policies().current().source().equals("etc/io.sitegate.cellular.cfg"));
    }

    // --- helpers ---

    /** After a SIM swap: the permissive policy, and wan0's own SIM back in (taken out first, so the modem notices). */
    private void putBackTheOriginalSim(SimulatorProcess sim, Modem wan0) throws Exception {
        policy();
        sim.send("set sim absent");
        await("wan0 sees no SIM", CHANGE_MS, () -> wan0.status().sim().equals(Optional.of(SimState.ABSENT)));
        sim.send("set iccid " + ICCID);
        sim.send("set sim present");
    }

    private void awaitTheOriginalSimUp(Modem wan0) throws InterruptedException {
        await("wan0 back on SIM " + ICCID, CHANGE_MS, () -> wan0.status().identity().map(ModemIdentity::iccid).orElse("").equals(ICCID));
        awaitSessionUp("wan0");
    }

    /** A clock running with the system clock, moved forward by the test. */
    static final class TestClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void moveTo(Instant when) {
            offset = Duration.between(Instant.now(), when);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public String toString() {
            return "CellularIT clock (offset " + offset + ")";
        }
    }

    /** Applies the policy: these keys, permissive otherwise, checked every 5 s. */
    private CellularPolicy policy(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("quota.checkSeconds", "5");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            cellularSection().apply(ConfigSection.of("cellular", "io.sitegate.cellular", values), SOURCE);
        } catch (ConfigRefusedException | InterruptedException e) {
            throw new AssertionError("policy " + values + " not applied: " + e.getMessage(), e);
        }
        return policies().current();
    }

    private Map<String, RadioPolicyStatus> applyRats(String rats) throws InterruptedException {
        for (String id : IDS) {
            sim(id).clearJournal();
        }
        Instant applied = Instant.now();
        policy("rat.allowed", rats);
        Map<String, RadioPolicyStatus> result = new HashMap<>();
        for (String id : IDS) {
            try {
                await(id + " radio policy " + rats + " done", CHANGE_MS, () -> {
                    RadioPolicyStatus r = policyStatus(id).radio();
                    return (r.phase() == RadioPolicyStatus.Phase.APPLIED || r.phase() == RadioPolicyStatus.Phase.FAILED)
                            && r.at().map(at -> !at.isBefore(applied)).orElse(false);
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; radio " + policyStatus(id).radio());
            }
            result.put(id, policyStatus(id).radio());
        }
        return result;
    }

    private static void assertApplied(Map<String, RadioPolicyStatus> radio, String id, Pattern family, String... commands) {
        RadioPolicyStatus r = radio.get(id);
        assertEquals(id + ": " + r, RadioPolicyStatus.Phase.APPLIED, r.phase());
        assertEquals(id + " journal", List.of(commands), matching(sim(id).journal(), family));
    }

    private static void assertRefused(Map<String, RadioPolicyStatus> radio, String id, Pattern family, String message) {
        RadioPolicyStatus r = radio.get(id);
        assertEquals(id + ": " + r, RadioPolicyStatus.Phase.FAILED, r.phase());
        assertTrue(id + ": " + r.detail(), r.detail().contains(message));
        assertEquals(id + " sent nothing", List.of(), matching(sim(id).journal(), family));
    }

    private static SimulatorProcess sim(String id) {
        return SimulatedModems.sim(SIMULATORS, id);
    }

    private Modem modem(String id) {
        return SimulatedModems.modem(modems, id, BOOT_MS, () -> "");
    }

    /** The services of the cellular bundle come and go (bundle restart, clock): always the current one. */
    private <T> T service(Class<T> type) {
        long deadline = System.currentTimeMillis() + BOOT_MS;
        while (true) {
            T s = serviceOrNull(type);
            if (s != null) {
                return s;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + type.getName() + " service");
            }
            sleep(100);
        }
    }

    private <T> T serviceOrNull(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    /** The cellular section of the configuration contract: how a signed policy arrives. */
    private ConfigurableSection cellularSection() {
        long deadline = System.currentTimeMillis() + BOOT_MS;
        while (true) {
            try {
                for (ServiceReference<ConfigurableSection> r : context.getServiceReferences(ConfigurableSection.class,
                        "(" + ConfigurableSection.SECTION + "=cellular)")) {
                    return context.getService(r);
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no cellular section");
            }
            sleep(100);
        }
    }

    private CellularPolicyService policies() {
        return service(CellularPolicyService.class);
    }

    private CellularEnforcement enforcement() {
        return service(CellularEnforcement.class);
    }

    private CellularEnforcement enforcementOrNull() {
        return serviceOrNull(CellularEnforcement.class);
    }

    private ModemPolicyStatus policyStatus(String id) {
        return enforcement().modem(id).orElseThrow(() -> new AssertionError("no cellular status for " + id));
    }

    private LearnedBinding awaitLearned(String id) throws InterruptedException {
        await(id + " binding learned", CHANGE_MS, () -> policyStatus(id).learned().isPresent());
        return policyStatus(id).learned().get();
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private Health cellularHealth() {
        return health.get("cellular").orElseThrow(() -> new AssertionError("no cellular health in " + health.snapshot().keySet()));
    }

    private ModemStatus awaitSessionUp(String id) throws InterruptedException {
        return SimulatedModems.awaitSessionUp(modem(id), id, BOOT_MS, () -> cellularDetails(id));
    }

    private ModemStatus awaitSession(String id, SessionState state, long timeoutMs) throws InterruptedException {
        return SimulatedModems.awaitSession(modem(id), id, state, timeoutMs, () -> cellularDetails(id));
    }

    private String cellularDetails(String id) {
        return "; cellular " + enforcementOrNull().modem(id);
    }

    /** The refusal holds: the keeper does not retry its way around the gate. */
    private void staysBlocked(String id, long ms) {
        Modem m = modem(id);
        long until = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < until) {
            assertEquals(m.status().toString(), SessionState.BLOCKED, m.status().session());
            sleep(200);
        }
    }

    private Event awaitEvent(String topic, String modemId, Predicate<Event> also) throws InterruptedException {
        return events.await(topic, modemId, also, CHANGE_MS);
    }

    /** The 15-digit IMEI with the Luhn check digit for these 14 digits. */
    static String luhn(String fourteen) {
        for (int d = 0; d <= 9; d++) {
            if (ModemIdentifiers.isValidImei(fourteen + d)) {
                return fourteen + d;
            }
        }
        throw new IllegalArgumentException(fourteen);
    }
}
