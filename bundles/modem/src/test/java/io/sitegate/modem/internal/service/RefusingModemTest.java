package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.modem.GateDecision;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.internal.transport.Transports;
import io.sitegate.tools.modemsim.ModemSimulator;
import io.sitegate.tools.modemsim.TcpEndpoint;
import io.sitegate.tools.modemsim.Vendor;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A modem that refuses, against the simulator over TCP: what is learned and kept across keepers, what is
 * retried with back-off, and that an optional command refused for another reason does not keep the modem down.
 */
class RefusingModemTest {
    private ModemSimulator sim;
    private TcpEndpoint endpoint;
    private ConnectionKeeper keeper;
    private final RecordingEnvironment env = new RecordingEnvironment();
    private final UnsupportedCommands unsupported = new UnsupportedCommands("wan0");

    @AfterEach
    void stop() throws Exception {
        if (keeper != null) {
            keeper.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private void simulate(Vendor vendor, String... scenario) throws Exception {
        endpoint = new TcpEndpoint(0);
        sim = new ModemSimulator(vendor, endpoint);
        sim.apply("set sim present");
        sim.apply("set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
        sim.apply("set apn-allowed internet.test");
        for (String line : scenario) {
            sim.apply(line);
        }
        sim.start();
    }

    private void startKeeper(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "io.sitegate.modem~wan0");
        props.put("port", "tcp://127.0.0.1:" + endpoint.port());
        props.put("apn", "internet.test");
        props.put("pollSeconds", "1");
        props.put("backoffInitialSeconds", "1");
        props.put("backoffMaxSeconds", "1");
        props.putAll(extra);
        ModemSettings settings = ModemSettings.from(props, new MemorySecretStore());
        keeper = new ConnectionKeeper(settings, () -> Transports.fromPort(settings.port()), env, Clock.systemUTC(),
                new Random(1), new UsageLedger(), unsupported);
        keeper.start();
    }

    private ModemStatus await(String what, Predicate<ModemStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ModemStatus s = keeper.status();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + keeper.status());
    }

    private long journalCount(String command) {
        return sim.journal().commands().stream().filter(command::equalsIgnoreCase).count();
    }

    @Test
    void anUnsupportedInitCommandIsSentOnceAcrossKeepersOfTheSameModem() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault cme AT+CMEE=1 4");
        startKeeper(Map.of());
        await("session up", st -> st.session() == SessionState.UP);
        keeper.stop(); // a reconfiguration replaces the keeper; the component keeps what was learned

        startKeeper(Map.of());
        await("ready again", st -> st.link() == LinkState.READY && st.session() == SessionState.UP);
        sim.apply("fault drop 300ms"); // and a re-opened port re-initialises the modem once more
        await("link closed", st -> st.link() == LinkState.CLOSED);
        await("ready once more", st -> st.link() == LinkState.READY);

        assertThat(journalCount("ATE0")).isGreaterThanOrEqualTo(3);
        assertThat(journalCount("AT+CMEE=1")).as("learned as unsupported, not sent again").isEqualTo(1);
        assertThat(unsupported.of("Quectel EC25 (EC25)")).containsExactly("AT+CMEE=1");
    }

    @Test
    void anOptionalInitCommandRefusedForAnotherReasonDoesNotKeepTheModemDownAndIsNotLearned() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault cme AT+CNMI=2,1,0,0,0 3");
        startKeeper(Map.of());
        await("session up", st -> st.session() == SessionState.UP);
        sim.apply("fault drop 300ms");
        await("link closed", st -> st.link() == LinkState.CLOSED);
        await("ready again", st -> st.link() == LinkState.READY);

        assertThat(journalCount("AT+CNMI=2,1,0,0,0")).as("tried again at the next initialisation").isEqualTo(2);
        assertThat(unsupported.of("Quectel EC25 (EC25)")).isEmpty();
    }

    @Test
    void anUnreadableIdentityIsReadAgainWithBackOffNotAtEveryPoll() throws Exception {
        env.gates.add(status -> status.identity().isPresent() ? GateDecision.allow()
                : GateDecision.deny("imei-binding", "identity unreadable"));
        simulate(Vendor.QUECTEL_EC25, "fault cme AT+CGSN 13");
        startKeeper(Map.of("backoffMaxSeconds", "8"));
        await("blocked", st -> st.session() == SessionState.BLOCKED);
        long first = journalCount("AT+CGSN");
        Thread.sleep(6000);
        // at the 1 s poll six or more; with back-off 0.5-1, 1-2, 2-4, 4-8 s at most four
        assertThat(journalCount("AT+CGSN") - first).isBetween(1L, 4L);
        assertThat(journalCount("AT+CPIN?")).as("the rest of the status is still polled").isGreaterThanOrEqualTo(5);

        sim.apply("fault clear");
        await("identity read once the modem answers", st -> st.identity().isPresent());
    }

    @Test
    void aRegistrationQueryRefusedBeforeAnySessionIsShownWithItsStepAndBacksOff() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault cme AT+COPS? 3");
        startKeeper(Map.of("backoffMaxSeconds", "8"));
        ModemStatus s = await("refused", st -> st.reason().startsWith("registration:"));
        assertThat(s.link()).isEqualTo(LinkState.READY);
        assertThat(s.reason()).isEqualTo("registration: AT+COPS? refused: +CME ERROR: 3 (operation not allowed)");
        long first = journalCount("AT+COPS?");
        Thread.sleep(6000);
        assertThat(journalCount("AT+COPS?") - first).isBetween(1L, 4L);
        assertThat(journalCount("AT+CGACT=1,1")).isZero();

        sim.apply("fault clear");
        await("session up", st -> st.session() == SessionState.UP && st.reason().isEmpty());
    }

    @Test
    void anAdministratorsConnectEndsTheBackOff() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault cme ATE0 3");
        startKeeper(Map.of("backoffInitialSeconds", "30", "backoffMaxSeconds", "60"));
        await("refused", st -> st.link() == LinkState.CLOSED && st.reason().startsWith("init: ATE0 refused"));
        Thread.sleep(2000);
        assertThat(journalCount("ATE0")).as("backing off 15-30 s").isEqualTo(1);

        sim.apply("fault clear"); // fixed on site; the technician does not wait for the back-off
        keeper.connect();
        ModemStatus up = await("session up", st -> st.session() == SessionState.UP);
        assertThat(up.reason()).isEmpty();
        assertThat(env.health.get()).doesNotContain("refused");
    }

    @Test
    void anUnsupportedRegistrationDomainIsAskedOnce() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault cme AT+CEREG? 4");
        startKeeper(Map.of());
        await("session up", st -> st.session() == SessionState.UP);
        Thread.sleep(3000);
        assertThat(journalCount("AT+CEREG?")).isEqualTo(1);
        assertThat(journalCount("AT+CGREG?")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSilentOptionalInitCommandIsNoAnswerAndNeverLearned() throws Exception {
        simulate(Vendor.QUECTEL_EC25, "fault no-answer AT+CMEE=1");
        startKeeper(Map.of());
        ModemStatus s = await("init fails", st -> st.link() == LinkState.CLOSED && st.reason().startsWith("init:"));
        assertThat(s.reason()).startsWith("init: no answer from the modem (AT+CMEE=1 got no final result within");
        assertThat(s.reason()).doesNotContain("refused");
        assertThat(unsupported.of("Quectel EC25 (EC25)")).isEmpty();

        sim.apply("fault clear");
        await("session up once it answers", st -> st.session() == SessionState.UP);
        assertThat(journalCount("AT+CMEE=1")).isGreaterThanOrEqualTo(2);
    }
}
