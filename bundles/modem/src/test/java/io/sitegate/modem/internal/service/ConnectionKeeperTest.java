package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.SitegateTopics;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection keeper against the modem simulator, in-process over TCP. */
class ConnectionKeeperTest {
    private ModemSimulator sim;
    private ConnectionKeeper keeper;
    private final RecordingEnvironment env = new RecordingEnvironment();

    @AfterEach
    void stop() throws Exception {
        if (keeper != null) {
            keeper.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private void start(Vendor vendor, Map<String, Object> extra, String... scenario) throws Exception {
        TcpEndpoint endpoint = new TcpEndpoint(0);
        sim = new ModemSimulator(vendor, endpoint);
        sim.apply("set sim present");
        sim.apply("set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"");
        sim.apply("set apn-allowed internet.test");
        for (String line : scenario) {
            sim.apply(line);
        }
        sim.start();
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "io.sitegate.modem~wan0");
        props.put("port", "tcp://127.0.0.1:" + endpoint.port());
        props.put("apn", "internet.test");
        props.put("pollSeconds", "1");
        props.put("backoffInitialSeconds", "1");
        props.put("backoffMaxSeconds", "1");
        props.putAll(extra);
        ModemSettings settings = ModemSettings.from(props, new MemorySecretStore().with("sim-1234", "1234").with("sim-9999", "9999"));
        keeper = new ConnectionKeeper(settings, () -> Transports.fromPort(settings.port()), env, Clock.systemUTC(),
                new Random(1), new UsageLedger());
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
        return sim.journal().commands().stream().filter(command::equals).count();
    }

    @Test
    void bringsTheSessionUpOnceRegisteredAndReadsIdentity() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of());
        ModemStatus s = await("session up", st -> st.session() == SessionState.UP);

        assertThat(s.link()).isEqualTo(LinkState.READY);
        assertThat(s.profile()).isEqualTo("Quectel EC25");
        assertThat(s.identity()).get().satisfies(i -> {
            assertThat(i.imei()).isEqualTo(sim.modem().state().imei());
            assertThat(i.manufacturer()).isEqualTo("Quectel");
        });
        assertThat(s.plmn()).contains("26201");
        assertThat(s.address()).isPresent();
        assertThat(env.events).contains(SitegateTopics.MODEM_SESSION_UP);
        assertThat(sim.journal().commands()).contains("AT+CGDCONT=1,\"IP\",\"internet.test\"", "AT+CGACT=1,1");
        awaitHealth("UP: session up");
    }

    @Test
    void waitsForRegistrationBeforeActivating() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of(), "set reg 2");
        ModemStatus s = await("searching", st -> st.reason().contains("not registered"));
        assertThat(s.session()).isEqualTo(SessionState.DOWN);
        assertThat(journalCount("AT+CGACT=1,1")).isZero();

        sim.apply("set reg 1 act=7 oper=26201");
        await("session up", st -> st.session() == SessionState.UP);
        assertThat(env.events).contains(SitegateTopics.MODEM_REGISTERED);
    }

    @Test
    void aRejectedApnEndsInFailedWithoutRetriesOrResets() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("apn", "wrong.apn"));
        ModemStatus s = await("failed", st -> st.session() == SessionState.FAILED);
        assertThat(s.reason()).contains("APN rejected").contains("wrong.apn");

        Thread.sleep(4000); // four poll intervals: a loop would show here
        assertThat(journalCount("AT+CGACT=1,1")).isEqualTo(1);
        assertThat(sim.journal().commands()).doesNotContain("AT+CFUN=0", "AT+CFUN=1,1");
        assertThat(keeper.status().session()).isEqualTo(SessionState.FAILED);
        awaitHealth("DOWN: APN rejected");

        // Fixed on the network side, an administrator connects again.
        sim.apply("set apn-allowed wrong.apn");
        keeper.connect();
        await("session up", st -> st.session() == SessionState.UP);
    }

    @Test
    void transientFailuresBackOffAndPowerCycleTheRadioOnlyOnce() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("resetAfterFailures", "2"), "fault cme AT+CGACT=1,1 30");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (journalCount("AT+CGACT=1,1") < 6 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(journalCount("AT+CGACT=1,1")).isGreaterThanOrEqualTo(6);
        assertThat(journalCount("AT+CFUN=0")).isEqualTo(1);
        assertThat(keeper.status().session()).isEqualTo(SessionState.DOWN);
        assertThat(keeper.status().reason()).startsWith("session: activation failed").contains("next try in")
                .endsWith(": AT+CGACT=1,1 refused: +CME ERROR: 30 (no network service)");

        sim.apply("fault clear AT+CGACT=1,1");
        await("session up", st -> st.session() == SessionState.UP);
    }

    @Test
    void aGateRefusalBlocksAndDropsARunningSession() throws Exception {
        AtomicBoolean allowed = new AtomicBoolean(true);
        env.gates.add(status -> allowed.get() ? GateDecision.allow() : GateDecision.deny("test-gate", "not today"));
        start(Vendor.QUECTEL_EC25, Map.of());
        await("session up", st -> st.session() == SessionState.UP);

        allowed.set(false);
        keeper.wake();
        ModemStatus s = await("blocked", st -> st.session() == SessionState.BLOCKED);
        assertThat(s.reason()).isEqualTo("test-gate: not today");
        assertThat(sim.journal().commands()).contains("AT+CGACT=0,1");
        awaitHealth("DOWN: test-gate: not today");

        allowed.set(true);
        keeper.wake();
        await("session up again", st -> st.session() == SessionState.UP);
    }

    @Test
    void aThrowingGateRefuses() throws Exception {
        env.gates.add(status -> {
            throw new IllegalStateException("policy unreadable");
        });
        start(Vendor.QUECTEL_EC25, Map.of());
        ModemStatus s = await("blocked", st -> st.session() == SessionState.BLOCKED);
        assertThat(s.reason()).contains("policy unreadable");
        assertThat(journalCount("AT+CGACT=1,1")).isZero();
    }

    @Test
    void anUnpluggedModemIsReopenedAndTheSessionComesBack() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of());
        await("session up", st -> st.session() == SessionState.UP);

        sim.unplug(Duration.ofSeconds(2));
        await("link closed", st -> st.link() == LinkState.CLOSED);
        awaitHealth("DOWN:");
        await("session up again", st -> st.link() == LinkState.READY && st.session() == SessionState.UP);
        // whoever saw SESSION_DOWN must also learn that it is up again
        assertThat(env.events.stream().filter(SitegateTopics.MODEM_SESSION_DOWN::equals)).hasSize(1);
        assertThat(env.events.stream().filter(SitegateTopics.MODEM_SESSION_UP::equals)).hasSize(2);
        assertThat(env.events.lastIndexOf(SitegateTopics.MODEM_SESSION_UP))
                .isGreaterThan(env.events.indexOf(SitegateTopics.MODEM_SESSION_DOWN));
    }

    @Test
    void unreadableCountersDoNotStopRegistrationOrTheSession() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of(), "fault cme AT+QGDCNT? 4");
        await("session up", st -> st.session() == SessionState.UP);

        sim.apply("set reg 0");
        await("registration lost", st -> !st.registered());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!env.events.contains(SitegateTopics.MODEM_LOST) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(env.events).contains(SitegateTopics.MODEM_LOST);
        assertThat(keeper.status().usage().countersAvailable()).isFalse();
    }

    @Test
    void anotherSimRaisesSimChanged() throws Exception {
        env.iccid.set("89490200000000000001");
        start(Vendor.QUECTEL_EC25, Map.of());
        await("identity", st -> st.identity().isPresent());
        int i = env.events.indexOf(SitegateTopics.MODEM_SIM_CHANGED);
        assertThat(i).isNotNegative();
        assertThat(env.eventProperties.get(i)).containsEntry("oldIccid", "89490200000000000001");
        assertThat(env.iccid.get()).isEqualTo(keeper.status().identity().orElseThrow().iccid());
    }

    @Test
    void anUnreadableIdentityLeavesTheDecisionToTheGatesAndIsReadAgainLater() throws Exception {
        // a gate that refuses without an identity, as the SIM binding does (fail closed)
        env.gates.add(status -> status.identity().isPresent() ? GateDecision.allow()
                : GateDecision.deny("imei-binding", "identity unreadable"));
        start(Vendor.QUECTEL_EC25, Map.of(), "fault cme AT+CGSN 13");
        ModemStatus s = await("blocked", st -> st.session() == SessionState.BLOCKED);
        assertThat(s.link()).isEqualTo(LinkState.READY);
        assertThat(s.identity()).isEmpty();
        assertThat(s.reason()).isEqualTo("imei-binding: identity unreadable");
        assertThat(journalCount("AT+CGACT=1,1")).isZero();

        sim.apply("fault clear AT+CGSN");
        ModemStatus up = await("session up", st -> st.session() == SessionState.UP);
        assertThat(up.identity()).isPresent();
    }

    @Test
    void aHotSwappedSimIsNoticedWithoutReopeningThePort() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of());
        String first = await("session up", st -> st.session() == SessionState.UP).identity().orElseThrow().iccid();

        sim.apply("set sim absent");
        sim.apply("set iccid 89490200005555555555");
        sim.apply("set sim present");
        ModemStatus s = await("new SIM read", st -> st.identity().map(i -> i.iccid().equals("89490200005555555555")).orElse(false));
        assertThat(s.link()).isEqualTo(LinkState.READY);
        int i = env.events.indexOf(SitegateTopics.MODEM_SIM_CHANGED);
        assertThat(i).isNotNegative();
        assertThat(env.eventProperties.get(i)).containsEntry("oldIccid", first).containsEntry("newIccid", "89490200005555555555");
    }

    @Test
    void aLockedSimWithoutPinIsReportedAndNothingIsTried() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of(), "set sim pin 1234");
        ModemStatus s = await("pin reason", st -> st.reason().contains("PIN"));
        assertThat(s.reason()).contains("set 'pinSecret'");
        assertThat(sim.journal().commands()).noneMatch(c -> c.startsWith("AT+CPIN="));
    }

    @Test
    void aConfiguredPinUnlocksTheSimAndIsNeverLogged() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("pinSecret", "sim-1234"), "set sim pin 1234");
        await("session up", st -> st.session() == SessionState.UP);
        assertThat(sim.journal().commands()).contains("AT+CPIN=****");
    }

    @Test
    void aWrongPinIsTriedOnceOnly() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("pinSecret", "sim-9999"), "set sim pin 1234");
        ModemStatus s = await("pin rejected", st -> st.reason().contains("PIN rejected"));
        Thread.sleep(2500);
        assertThat(sim.journal().commands().stream().filter(c -> c.startsWith("AT+CPIN=")).count()).isEqualTo(1);
        assertThat(s.session()).isEqualTo(SessionState.DOWN);
    }

    private void awaitHealth(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!env.health.get().startsWith(prefix) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(env.health.get()).startsWith(prefix);
    }

    // --- a modem that refuses is not hammered (issue 16) ---

    @Test
    void anOptionalInitCommandTheModelDoesNotSupportIsLearnedOnceAndSkipped() throws Exception {
        start(Vendor.GENERIC, Map.of(), "fault cme AT+CEREG=2 4");
        await("session up", st -> st.session() == SessionState.UP);
        assertThat(journalCount("AT+CEREG=2")).isEqualTo(1);

        sim.apply("fault drop 500ms"); // the line goes away: the keeper re-initialises the modem
        await("link closed", st -> st.link() == LinkState.CLOSED);
        await("session up again", st -> st.session() == SessionState.UP && st.link() == LinkState.READY);
        assertThat(journalCount("ATE0")).isGreaterThanOrEqualTo(2);
        assertThat(journalCount("AT+CEREG=2")).as("learned as unsupported, not sent again").isEqualTo(1);
    }

    @Test
    void aRefusedRequiredStepIsRetriedWithBackOffAndNamesTheStepAndTheModemsError() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("backoffInitialSeconds", "1", "backoffMaxSeconds", "4"), "fault cme ATE0 3");
        ModemStatus s = await("init refused", st -> st.link() == LinkState.CLOSED && st.reason().startsWith("init:"));
        assertThat(s.reason()).isEqualTo("init: ATE0 refused: +CME ERROR: 3 (operation not allowed)");
        long first = journalCount("ATE0");
        Thread.sleep(6000);
        long attempts = journalCount("ATE0") - first;
        // back-off 0.5-1, 1-2, 2-4, 2-4 s: at most 5 more attempts in 6 s (a tight loop would send hundreds)
        assertThat(attempts).isBetween(1L, 5L);
        assertThat(sim.journal().commands()).doesNotContain("AT+CGACT=1,1");

        sim.apply("fault clear");
        await("session up once the modem accepts", st -> st.session() == SessionState.UP);
    }

    @Test
    void aSilentModemIsNoAnswerAndARefusingOneIsNot() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of(), "fault no-answer ATE0");
        ModemStatus s = await("no answer", st -> st.link() == LinkState.CLOSED && st.reason().startsWith("init:"));
        assertThat(s.reason()).startsWith("init: no answer from the modem (ATE0 got no final result within PT3S");
    }

    @Test
    void aRefusedStatusQueryIsRetriedWithBackOffAndShown() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of("backoffInitialSeconds", "1", "backoffMaxSeconds", "8"));
        await("session up", st -> st.session() == SessionState.UP);
        sim.apply("fault cme AT+COPS? 3");
        ModemStatus s = await("refresh refused", st -> st.reason().startsWith("registration:"));
        assertThat(s.reason()).isEqualTo("registration: AT+COPS? refused: +CME ERROR: 3 (operation not allowed)");
        long first = journalCount("AT+COPS?");
        for (int i = 0; i < 30; i++) { // URCs wake the keeper, but not out of its back-off
            sim.apply("urc +CREG: 1");
            Thread.sleep(200);
        }
        // at the 1 s poll it would be six or more; with back-off 0.5-1, 1-2, 2-4, 4-8 s at most four
        assertThat(journalCount("AT+COPS?") - first).isLessThanOrEqualTo(4);
        sim.apply("fault clear");
        await("shown no more", st -> st.reason().isEmpty() && st.session() == SessionState.UP);
    }

    @Test
    void anUnsupportedSignalQueryIsAskedOnce() throws Exception {
        start(Vendor.QUECTEL_EC25, Map.of(), "fault cme AT+QCSQ 4");
        await("session up", st -> st.session() == SessionState.UP);
        Thread.sleep(3000);
        assertThat(journalCount("AT+QCSQ")).isEqualTo(1);
        assertThat(journalCount("AT+CSQ")).as("plain CSQ instead").isGreaterThanOrEqualTo(2);
        assertThat(keeper.status().signal().rssiDbm()).isPresent();
    }
}
