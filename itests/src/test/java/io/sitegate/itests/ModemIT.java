package io.sitegate.itests;

import static io.sitegate.itests.SimulatedModems.matching;
import static io.sitegate.itests.SimulatedModems.sleep;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Modems;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SmsMessage;
import io.sitegate.modem.UnsupportedCapabilityException;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;

/**
 * The modem bundle against simulated modules over real socat ptys, as on a router: identity, registration
 * URCs, RAT selection per vendor, a rejected APN, SMS both ways, an unplugged port, a URC storm and line
 * noise. The simulators run as processes of the test JVM; their control ports reach the container as
 * system properties. Each test leaves its modem as it found it (registered, session UP or, for wan4, FAILED).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModemIT extends SitegateTestSupport {

    /** wan0: the main modem, a Quectel EC25 with an identity of its own. */
    static final String IMEI = "356938035643809";
    static final String IMSI = "262019876543210";
    static final String ICCID = "89490200009876543210";
    static final String MANUFACTURER = "Quectel";
    static final String MODEL = "EC25EFA";
    static final String FIRMWARE = "EC25EFAR06A08M4G";
    static final String APN = "internet.itest";
    /** wan4 asks for APN, the network only allows this one until the test fixes it. */
    static final String OPERATOR_APN = "internet.operator";

    private static final String[] IDS = {"wan0", "wan1", "wan2", "wan3", "wan4"};
    private static final long BOOT_MS = 60_000;
    private static final long CHANGE_MS = 20_000;
    /** The simulators' control ports reach the container as sitegate.it.modem.{id}.control. */
    private static final String SIMULATORS = "sitegate.it.modem";

    @Inject
    BundleContext context;

    @Inject
    HealthRegistry health;

    @Inject
    Modems modems;

    private final EventRecorder events = new EventRecorder();

    /** Pax Exam may ask for the configuration more than once: start the simulators once per JVM. */
    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            options = startSimulatorsAndConfigure();
        }
        return options.clone();
    }

    private static Option[] startSimulatorsAndConfigure() {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "modems");
        List<String> network = List.of("set sim present", "set apn-allowed " + APN, "set ip 10.64.0.10",
                "set signal rssi=-71 rsrp=-95 rsrq=-10 sinr=12",
                "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
        List<String> wan0 = new ArrayList<>(List.of("set imei " + IMEI, "set imsi " + IMSI, "set iccid " + ICCID,
                "set manufacturer " + MANUFACTURER, "set model " + MODEL, "set revision " + FIRMWARE));
        wan0.addAll(network);
        List<String> wan4 = new ArrayList<>(network);
        wan4.set(1, "set apn-allowed " + OPERATOR_APN);
        SimulatorProcess[] sims = {
            SimulatorProcess.start(dir, "wan0", "quectel-ec25", wan0.toArray(String[]::new)),
            SimulatorProcess.start(dir, "wan1", "simcom-sim7600", network.toArray(String[]::new)),
            SimulatorProcess.start(dir, "wan2", "ublox-sara-r4", network.toArray(String[]::new)),
            SimulatorProcess.start(dir, "wan3", "generic", network.toArray(String[]::new)),
            SimulatorProcess.start(dir, "wan4", "quectel-ec25", wan4.toArray(String[]::new)),
        };
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) {
            // with one failure enough for a radio reset, a rejected APN counted as an ordinary failure shows at once
            options.addAll(SimulatedModems.configure(SIMULATORS, IDS[i], sims[i], APN, "resetAfterFailures", "1"));
            options.add(systemProperty(SIMULATORS + "." + IDS[i] + ".link").value(sims[i].link()));
        }
        return distribution(options.toArray(Option[]::new));
    }

    @Before
    public void listen() {
        events.start(context, SitegateTopics.PREFIX + "modem/*");
    }

    @After
    public void stopListening() {
        events.stop();
    }

    // --- 1. identity ---

    @Test
    public void identityReadFromTheModemMatchesTheSimulatorAndShowsOverSsh() throws Exception {
        SimulatorProcess sim = sim("wan0");
        ModemStatus s = awaitSessionUp("wan0");
        assertEquals("Quectel EC25", s.profile());
        ModemIdentity id = s.identity().orElseThrow(() -> new AssertionError("no identity in " + s));
        assertEquals(sim.stateValue("imei"), id.imei());
        assertEquals(sim.stateValue("imsi"), id.imsi());
        assertEquals(sim.stateValue("iccid"), id.iccid());
        assertEquals(IMEI, id.imei());
        assertEquals(IMSI, id.imsi());
        assertEquals(ICCID, id.iccid());
        assertEquals(MANUFACTURER, id.manufacturer());
        assertEquals(MODEL, id.model());
        assertEquals(FIRMWARE, id.firmware());
        assertEquals("a live read agrees", id, modem("wan0").readIdentity());

        SshResult r = asAdmin("sitegate:modem-status wan0");
        assertEquals(r.output(), 0, r.exit());
        for (String expected : List.of("imei: " + IMEI, "imsi: " + IMSI, "iccid: " + ICCID,
                "manufacturer: " + MANUFACTURER, "model: " + MODEL, "firmware: " + FIRMWARE, "profile: Quectel EC25",
                "link: READY", "session: UP")) {
            assertTrue("'" + expected + "' in\n" + r.output(), r.output().contains(expected));
        }
    }

    // --- 2. registration URCs ---

    @Test
    public void losingAndRegainingRegistrationRaisesEventsAndRestoresTheSession() throws Exception {
        SimulatorProcess sim = sim("wan0");
        awaitSessionUp("wan0");
        events.clear();
        try {
            sim.send("set reg 0");
            Event lost = awaitEvent(SitegateTopics.MODEM_LOST, "wan0");
            assertEquals("NOT_REGISTERED", lost.getProperty("reason"));
            awaitEvent(SitegateTopics.MODEM_SESSION_DOWN, "wan0");
            await("modem/wan0 not UP", CHANGE_MS, () -> healthOf("wan0").state() != HealthState.UP);
            ModemStatus s = modem("wan0").status();
            assertFalse(s.toString(), s.registered());
            assertNotEquals(s.toString(), SessionState.UP, s.session());

            sim.send("set reg 5 act=7 oper=26202 name=\"Vodafone.de\"");
            Event registered = awaitEvent(SitegateTopics.MODEM_REGISTERED, "wan0");
            assertEquals("26202", registered.getProperty("operator"));
            assertEquals("262", registered.getProperty("mcc"));
            assertEquals("02", registered.getProperty("mnc"));
            assertEquals("E_UTRAN", registered.getProperty("act"));
            ModemStatus back = awaitSessionUp("wan0");
            assertEquals(Optional.of("26202"), back.plmn());
            awaitEvent(SitegateTopics.MODEM_SESSION_UP, "wan0");
            assertEquals("one LOST, one REGISTERED", 2, events.stream().filter(e -> "wan0".equals(e.getProperty("modem"))
                    && (e.getTopic().equals(SitegateTopics.MODEM_LOST) || e.getTopic().equals(SitegateTopics.MODEM_REGISTERED)))
                    .count());
        } finally {
            sim.send("set reg 1 act=7 oper=26201 name=\"Telekom.de\"");
        }
        await("wan0 back on 26201", CHANGE_MS, () -> modem("wan0").status().plmn().equals(Optional.of("26201")));
        awaitSessionUp("wan0");
    }

    // --- 3. RAT selection per vendor ---

    @Test
    public void ratOrderSendsEachVendorsExactCommands() throws Exception {
        for (String id : List.of("wan0", "wan1", "wan2", "wan3")) {
            awaitReady(id);
        }
        assertEquals("Quectel EC25", modem("wan0").status().profile());
        assertEquals("SIMCom SIM7600", modem("wan1").status().profile());
        assertEquals("u-blox SARA-R4", modem("wan2").status().profile());
        assertEquals("Generic 3GPP", modem("wan3").status().profile());

        Pattern quectel = Pattern.compile("AT\\+QCFG=.*");
        assertRatCommands("wan0", quectel, List.of(Rat.LTE), "AT+QCFG=\"nwscanmode\",3,1");
        assertRatCommands("wan0", quectel, List.of(Rat.LTE, Rat.UMTS, Rat.GSM),
                "AT+QCFG=\"nwscanseq\",040301,1", "AT+QCFG=\"nwscanmode\",0,1");

        Pattern simcom = Pattern.compile("AT\\+CNMP=.*");
        assertRatCommands("wan1", simcom, List.of(Rat.LTE), "AT+CNMP=38");
        assertRatCommands("wan1", simcom, List.of(Rat.UMTS, Rat.GSM), "AT+CNMP=19");
        sim("wan1").clearJournal();
        SshResult shell = asAdmin("sitegate:modem-rat wan1 lte,umts");
        assertTrue(shell.output(), shell.output().contains("wan1: RAT order [LTE, UMTS]"));
        assertEquals(List.of("AT+CNMP=54"), matching(sim("wan1").journal(), simcom));
        assertRatCommands("wan1", simcom, List.of(Rat.LTE, Rat.UMTS, Rat.GSM), "AT+CNMP=2");

        // +URAT only with the radio off: the modem drops off the network and must come back by itself
        Pattern ublox = Pattern.compile("AT\\+(CFUN|URAT)=.*");
        assertRatCommands("wan2", ublox, List.of(Rat.NB_IOT, Rat.LTE_M, Rat.GSM), "AT+CFUN=0", "AT+URAT=8,7,9", "AT+CFUN=1");
        assertRatCommands("wan2", ublox, List.of(Rat.LTE_M, Rat.NB_IOT), "AT+CFUN=0", "AT+URAT=7,8", "AT+CFUN=1");
        assertTrue(sim("wan2").state().toString(), sim("wan2").state().contains("rat={urat=7,8}"));

        Pattern cops = Pattern.compile("AT\\+COPS=[0124](,.*)?");
        // 27.007 §7.3: in automatic mode AT+COPS ignores <AcT>, so a generic modem cannot be restricted to one radio
        assertRatRefused("wan3", List.of(Rat.LTE), cops, "AT+COPS=0 ignores <AcT>");
        assertRatRefused("wan3", List.of(Rat.GSM), cops, "AT+COPS=0 ignores <AcT>");
        assertRatCommands("wan3", cops, List.of(Rat.LTE, Rat.UMTS, Rat.GSM, Rat.NB_IOT), "AT+COPS=0");

        // the radio is back on and registered, and nothing else was left broken
        assertTrue(sim("wan2").state().toString(), sim("wan2").state().stream().anyMatch(l -> l.contains("cfun=1")));
        for (String id : List.of("wan0", "wan1", "wan3")) {
            awaitSessionUp(id);
        }
        awaitReady("wan2");
    }

    @Test
    public void aRatTheModemCannotDoIsRefusedAndNothingIsSent() throws Exception {
        awaitReady("wan0");
        awaitReady("wan2");
        awaitReady("wan3");
        assertRatRefused("wan0", List.of(Rat.NB_IOT), Pattern.compile("AT\\+QCFG=.*"), "'Quectel EC25' cannot do RAT NB_IOT");
        assertRatRefused("wan0", List.of(Rat.LTE, Rat.LTE_M), Pattern.compile("AT\\+QCFG=.*"), "cannot do RAT LTE_M");
        // SARA-R4 has no plain LTE: refusing must not switch the radio off first
        assertRatRefused("wan2", List.of(Rat.LTE), Pattern.compile("AT\\+(CFUN|URAT).*"), "'u-blox SARA-R4' cannot do RAT LTE");
        // 27.007 §7.3 +COPS in automatic mode ignores <AcT>: a generic modem cannot be restricted, nor ordered
        assertRatRefused("wan3", List.of(Rat.LTE, Rat.GSM), Pattern.compile("AT\\+COPS=[0124].*"), "AT+COPS=0 ignores <AcT>");

        sim("wan0").clearJournal();
        SshResult shell = asAdmin("sitegate:modem-rat wan0 nb-iot");
        assertTrue(shell.output(), shell.output().contains("cannot do RAT NB_IOT"));
        assertFalse(shell.output(), shell.output().contains("RAT order [NB_IOT]"));
        assertEquals(List.of(), matching(sim("wan0").journal(), Pattern.compile("AT\\+QCFG=.*")));
        assertEquals(LinkState.READY, modem("wan0").status().link());
    }

    // --- 4. rejected APN ---

    @Test
    public void aRejectedApnFailsClearlyOnceWithoutResetLoopUntilFixed() throws Exception {
        SimulatorProcess sim = sim("wan4");
        Modem wan4 = modem("wan4");
        awaitSession("wan4", SessionState.FAILED, BOOT_MS);
        try {
            // ask again so this test sees one whole attempt in the journal
            sim.clearJournal();
            events.clear();
            wan4.connect();
            ModemStatus failed = awaitSession("wan4", SessionState.FAILED, CHANGE_MS);
            awaitJournal(sim, "AT+CGACT=1,1");
            assertTrue(failed.reason(), failed.reason().contains("APN rejected"));
            assertTrue(failed.reason(), failed.reason().contains(APN));
            await("modem/wan4 DOWN for the APN", CHANGE_MS, () -> healthOf("wan4").state() == HealthState.DOWN
                    && healthOf("wan4").reason().contains("APN rejected"));

            // Ten seconds: with a back-off from 1 s an ordinary retry would have come several times
            long until = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < until) {
                assertEquals(SessionState.FAILED, wan4.status().session());
                assertEquals(LinkState.READY, wan4.status().link());
                Thread.sleep(250);
            }
            List<String> journal = sim.journal();
            assertEquals(journal.toString(), 1, journal.stream().filter("AT+CGACT=1,1"::equals).count());
            assertTrue("no radio reset: " + journal, journal.stream().noneMatch(c -> c.startsWith("AT+CFUN=0")
                    || c.startsWith("AT+CFUN=1,1") || c.startsWith("AT+CFUN=4")));
            assertEquals(HealthState.DOWN, healthOf("wan4").state());
            SshResult status = asAdmin("sitegate:modem-status wan4");
            assertTrue(status.output(), status.output().contains("session: FAILED (APN rejected: '" + APN + "'"));

            // The operator provisions the APN; the technician connects again
            sim.send("set apn-allowed " + OPERATOR_APN + "," + APN);
            SshResult connect = asAdmin("sitegate:modem-connect wan4");
            assertEquals(connect.output(), 0, connect.exit());
            ModemStatus up = awaitSession("wan4", SessionState.UP, CHANGE_MS);
            assertEquals(Optional.of("10.64.0.10"), up.address());
            Event sessionUp = awaitEvent(SitegateTopics.MODEM_SESSION_UP, "wan4");
            assertEquals(APN, sessionUp.getProperty("apn"));
            await("modem/wan4 UP", CHANGE_MS, () -> healthOf("wan4").state() == HealthState.UP);
        } finally {
            sim.send("set apn-allowed " + OPERATOR_APN);
            wan4.disconnect();
            await("wan4 session down", CHANGE_MS, () -> wan4.status().session() != SessionState.UP);
            wan4.connect();
            awaitSession("wan4", SessionState.FAILED, CHANGE_MS);
        }
    }

    // --- 5. SMS ---

    @Test
    public void smsGoOutToTheModemAndComeInAsEvents() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        ModemStatus before = awaitSessionUp("wan0");
        String text = "itest out " + System.currentTimeMillis();
        int reference = wan0.sendSms("+4915112345678", text);
        assertTrue("message reference " + reference, reference >= 0);
        assertTrue(sim.smsSent().toString(), sim.smsSent().contains("+4915112345678 " + text));
        await("smsSent counted", CHANGE_MS, () -> wan0.status().smsSent() == before.smsSent() + 1);

        SshResult shell = asAdmin("sitegate:modem-sms-send wan0 +4915112345679 via the shell");
        assertTrue(shell.output(), shell.output().contains("sent, message reference"));
        assertTrue(sim.smsSent().toString(), sim.smsSent().contains("+4915112345679 via the shell"));

        events.clear();
        long received = wan0.status().smsReceived();
        sim.send("sms from=+491701234567 text=\"Hello itest\"");
        Event in = awaitEvent(SitegateTopics.MODEM_SMS_RECEIVED, "wan0");
        assertEquals("+491701234567", in.getProperty("sender"));
        await("smsReceived counted", CHANGE_MS, () -> wan0.status().smsReceived() == received + 1);
        int index = ((Number) in.getProperty("index")).intValue();
        try {
            List<SmsMessage> stored = wan0.listSms();
            assertTrue(stored.toString(), stored.stream().anyMatch(m -> m.index() == index
                    && m.address().equals("+491701234567") && m.text().equals("Hello itest")));
        } finally {
            wan0.deleteSms(index);
        }
        assertTrue(wan0.listSms().stream().noneMatch(m -> m.index() == index));
    }

    // --- 6. unplug ---

    @Test
    public void anUnpluggedPortComesBackWithoutIntervention() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        awaitSessionUp("wan0");
        events.clear();
        sim.send("fault drop 2s");
        await("wan0 link leaves READY", CHANGE_MS, () -> wan0.status().link() != LinkState.READY);
        await("modem/wan0 DOWN", CHANGE_MS, () -> healthOf("wan0").state() == HealthState.DOWN);
        awaitEvent(SitegateTopics.MODEM_SESSION_DOWN, "wan0");
        assertNotEquals(SessionState.UP, wan0.status().session());

        ModemStatus back = awaitSession("wan0", SessionState.UP, 30_000);
        assertEquals(LinkState.READY, back.link());
        assertEquals(IMEI, back.identity().orElseThrow().imei());
        await("modem/wan0 UP", CHANGE_MS, () -> healthOf("wan0").state() == HealthState.UP);
        // whoever saw the session go down must also see it come back
        awaitEvent(SitegateTopics.MODEM_SESSION_UP, "wan0");
    }

    // --- 7. URC storm ---

    @Test
    public void aCommandIsAnsweredInTimeDuringAUrcStorm() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        awaitSessionUp("wan0");
        sim.send("fault urc-storm 10000 +CEREG: 1");
        long start = System.nanoTime();
        AtResponse r = wan0.execute("AT", Duration.ofSeconds(5));
        assertTrue(r.toString(), r.isOk());
        assertTrue("answered within its timeout", Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);

        sim.send("fault urc-storm 10000 +CEREG: 1");
        SshResult shell = asAdmin("sitegate:modem-at wan0 AT");
        assertEquals(shell.output(), 0, shell.exit());
        assertTrue(shell.output(), shell.output().strip().endsWith("OK"));
        staysReady("wan0", 3_000);
        awaitSessionUp("wan0");
    }

    // --- 8. noise ---

    @Test
    public void garbageAndUnknownUrcsDoNotBreakTheChannel() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        awaitSessionUp("wan0");
        sim.send("fault garbage 500");
        sim.send("urc +XUNKNOWN: 1,\"never heard of it\"");
        sim.send("urc ^SYSSTART");
        AtResponse ok = wan0.execute("AT", Duration.ofSeconds(5));
        assertTrue(ok.toString(), ok.isOk());
        AtResponse imei = wan0.execute("AT+CGSN", Duration.ofSeconds(5));
        assertTrue(imei.toString(), imei.isOk());
        assertEquals(List.of(IMEI), imei.lines());
        staysReady("wan0", 3_000);
        assertEquals(SessionState.UP, wan0.status().session());
        assertEquals(IMEI, wan0.readIdentity().imei());
    }

    // --- vendors and a failing optional query ---

    @Test
    public void simcomUbloxAndGenericModemsBringTheirSessionUp() throws Exception {
        for (String id : List.of("wan1", "wan2", "wan3")) {
            ModemStatus s = awaitSessionUp(id);
            assertEquals(Optional.of("10.64.0.10"), s.address());
            assertTrue(s.toString(), s.registered());
            assertEquals(Optional.of("26201"), s.plmn());
            assertEquals(HealthState.UP, healthOf(id).state());
        }
    }

    /**
     * The data counter query is optional (SIMCom and generic modems have none), like the signal query, whose
     * failure the keeper tolerates. A modem whose counter query fails must still report what happens to it.
     */
    @Test
    public void aFailingCounterQueryDoesNotHideARegistrationLoss() throws Exception {
        SimulatorProcess sim = sim("wan0");
        Modem wan0 = modem("wan0");
        awaitSessionUp("wan0");
        events.clear();
        try {
            sim.send("fault cme AT+QGDCNT? 4");
            awaitJournalAfterClear(sim, "AT+QGDCNT?");
            sim.send("set reg 0");
            awaitEvent(SitegateTopics.MODEM_LOST, "wan0");
            await("wan0 not registered", CHANGE_MS, () -> !wan0.status().registered());
            await("modem/wan0 not UP", CHANGE_MS, () -> healthOf("wan0").state() != HealthState.UP);
            sim.send("set reg 1");
            awaitEvent(SitegateTopics.MODEM_REGISTERED, "wan0");
            awaitSessionUp("wan0");
        } finally {
            sim.send("fault clear AT+QGDCNT?");
            sim.send("set reg 1 act=7 oper=26201 name=\"Telekom.de\"");
        }
        awaitSessionUp("wan0");
    }

    // --- helpers ---

    private static void awaitJournalAfterClear(SimulatorProcess sim, String command) throws InterruptedException {
        sim.clearJournal();
        awaitJournal(sim, command);
    }


    private static SimulatorProcess sim(String id) {
        return SimulatedModems.sim(SIMULATORS, id);
    }

    private Modem modem(String id) {
        return SimulatedModems.modem(modems, id, BOOT_MS, () -> " among " + modems.all().stream().map(Modem::id).toList());
    }

    private Health healthOf(String id) {
        return health.get("modem/" + id).orElseThrow(() -> new AssertionError("no health for modem/" + id
                + " in " + health.snapshot().keySet()));
    }

    /** Link READY: what RAT selection needs (the session does not matter for it). */
    private ModemStatus awaitReady(String id) throws InterruptedException {
        Modem m = modem(id);
        await(id + " link READY", BOOT_MS, () -> m.status().link() == LinkState.READY);
        return m.status();
    }

    private ModemStatus awaitSessionUp(String id) throws InterruptedException {
        return SimulatedModems.awaitSessionUp(modem(id), id, BOOT_MS, () -> "");
    }

    private ModemStatus awaitSession(String id, SessionState state, long timeoutMs) throws InterruptedException {
        return SimulatedModems.awaitSession(modem(id), id, state, timeoutMs, () -> "");
    }

    private void staysReady(String id, long ms) {
        Modem m = modem(id);
        long until = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < until) {
            assertEquals(m.status().toString(), LinkState.READY, m.status().link());
            sleep(100);
        }
    }

    private Event awaitEvent(String topic, String modemId) throws InterruptedException {
        return events.await(topic, modemId, e -> true, CHANGE_MS);
    }

    private static void awaitJournal(SimulatorProcess sim, String command) throws InterruptedException {
        await("simulator received " + command, CHANGE_MS, () -> sim.journal().contains(command));
    }

    private void assertRatCommands(String id, Pattern family, List<Rat> order, String... expected) throws Exception {
        SimulatorProcess sim = sim(id);
        sim.clearJournal();
        modem(id).setRatOrder(order);
        assertEquals(id + " " + order, List.of(expected), matching(sim.journal(), family));
    }

    private void assertRatRefused(String id, List<Rat> order, Pattern family, String message) {
        SimulatorProcess sim = sim(id);
        sim.clearJournal();
        try {
            modem(id).setRatOrder(order);
            fail(id + " accepted " + order);
        } catch (ModemException e) {
            assertTrue(e.toString(), e.getCause() instanceof UnsupportedCapabilityException);
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
        assertEquals(id + " sent nothing for " + order, List.of(), matching(sim.journal(), family));
    }
}
