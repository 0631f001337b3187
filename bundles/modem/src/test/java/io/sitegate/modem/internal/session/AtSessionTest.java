package io.sitegate.modem.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.Registration;
import io.sitegate.modem.AtChannelClosedException;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtCommandException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.AtTimeoutException;
import io.sitegate.modem.ChannelState;
import io.sitegate.modem.FinalResult;
import io.sitegate.modem.Urc;
import io.sitegate.modem.internal.parse.SmsParsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AtSessionTest {

    private static final SessionTuning FAST = new SessionTuning(4096, Duration.ofMillis(20),
            Duration.ofMillis(60), Duration.ofSeconds(3), 65_536);

    private final FakeModem modem = new FakeModem();
    private AtSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private AtSession open() {
        session = new AtSession(modem, Set.of("+QIND:", "+QUSIM:"), FAST);
        return session;
    }

    /** Quectel EG25-G ATI output, captured on a real module (lukejenkins/cwd, documentation/quectel_ec2x_and_eg2x/outputs.md). */
    private static String atiReply() {
        return "\r\nQuectel\r\nEG25\r\nRevision: EG25GGBR07A08M2G\r\n\r\nOK\r\n";
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7})
    void collectsInformationLinesWithAndWithoutEchoAtAnyChunking(int maxChunk) throws Exception {
        for (boolean echo : new boolean[] {false, true}) {
            modem.echo(echo).chunks(maxChunk).respond(l -> l.equals("ATI") ? atiReply() : "\r\nOK\r\n");
            AtSession s = session == null ? open() : session;
            AtResponse r = s.execute(AtCommand.of("ATI"));
            assertThat(r.isOk()).isTrue();
            assertThat(r.lines()).containsExactly("Quectel", "EG25", "Revision: EG25GGBR07A08M2G");
        }
    }

    @Test
    void urcInsideResponseIsDispatchedAndNotMixedIntoTheResponse() throws Exception {
        modem.chunks(3).respond(l -> "\r\n+CSQ: 23,99\r\n\r\n+CMTI: \"SM\",3\r\n\r\n+QIND: \"csq\",23,99\r\n\r\nOK\r\n");
        List<Urc> urcs = new CopyOnWriteArrayList<>();
        open().addUrcListener(urcs::add);
        AtResponse r = session.execute(AtCommand.of("AT+CSQ"));
        assertThat(r.lines()).containsExactly("+CSQ: 23,99");
        awaitSize(urcs, 2);
        assertThat(urcs).extracting(Urc::prefix).containsExactly("+CMTI:", "+QIND:");
        assertThat(SmsParsers.newMessage(urcs.get(0)).index()).isEqualTo(3);
    }

    @Test
    void registrationLineIsResponseToItsQueryButUrcOtherwise() throws Exception {
        // Read response +CREG: <n>,<stat>,...; the URC lacks <n> (3GPP TS 27.007 §7.2)
        modem.respond(l -> l.equals("AT+CREG?")
                ? "\r\n+CREG: 1,\"00C3\",\"0010ABCD\",7\r\n\r\n+CREG: 2,1,\"00C3\",\"0010ABCD\",7\r\n\r\nOK\r\n"
                : "\r\n+CREG: 5\r\n\r\nOK\r\n");
        List<Urc> urcs = new CopyOnWriteArrayList<>();
        open().addUrcListener("+CREG:", urcs::add);
        assertThat(session.execute(AtCommand.of("AT+CREG?")).lines()).containsExactly("+CREG: 2,1,\"00C3\",\"0010ABCD\",7");
        assertThat(session.execute(AtCommand.of("AT+CREG=2")).lines()).isEmpty();
        awaitSize(urcs, 2);
        assertThat(urcs).extracting(Urc::line).containsExactly("+CREG: 1,\"00C3\",\"0010ABCD\",7", "+CREG: 5");
    }

    @Test
    void errorFinalResultsCarryTheMappedError() throws Exception {
        modem.respond(l -> l.equals("AT+CPIN?") ? "\r\n+CME ERROR: 10\r\n" : "\r\n+CMS ERROR: 500\r\n");
        open();
        AtResponse cpin = session.execute(AtCommand.of("AT+CPIN?"));
        assertThat(cpin.isOk()).isFalse();
        assertThat(cpin.result().kind()).isEqualTo(FinalResult.Kind.CME_ERROR);
        assertThat(cpin.result().describe()).isEqualTo("CME 10 (SIM not inserted)");
        assertThatThrownBy(() -> session.execute(AtCommand.of("AT+CMGR=1")).orThrow())
                .isInstanceOf(AtCommandException.class)
                .hasMessage("AT+CMGR=1 failed: CMS 500 (unknown error)");
    }

    @Test
    void smsTextModeWaitsForThePromptThenSendsTextAndCtrlZ() throws Exception {
        modem.echo(true).chunks(2).respond(l -> {
            if (l.startsWith("AT+CMGS=")) {
                return "\r\n> ";
            }
            if (l.startsWith(FakeModem.PAYLOAD)) {
                return "\r\n+CMGS: 247\r\n\r\nOK\r\n";
            }
            return "\r\nOK\r\n";
        });
        open();
        AtResponse r = session.execute(AtCommand.smsText("+491701234567", "Site 7 door open"));
        assertThat(r.isOk()).isTrue();
        assertThat(SmsParsers.messageReference(r)).isEqualTo(247);
        assertThat(r.lines()).containsExactly("+CMGS: 247");
        assertThat(modem.received()).containsExactly("AT+CMGS=\"+491701234567\"", FakeModem.PAYLOAD + "Site 7 door open");
    }

    @Test
    void smsErrorInsteadOfPromptEndsTheCommandWithoutSendingText() throws Exception {
        modem.respond(l -> "\r\n+CMS ERROR: 330\r\n");
        open();
        AtResponse r = session.execute(AtCommand.smsText("+491701234567", "x"));
        assertThat(r.result().describe()).isEqualTo("CMS 330 (SMSC address unknown)");
        assertThat(modem.received()).containsExactly("AT+CMGS=\"+491701234567\"");
    }

    @Test
    void missingPromptAbortsTextEntryWithEscAndTimesOut() throws Exception {
        modem.respond(l -> l.startsWith("AT+CMGS") ? null : "\r\nOK\r\n");
        open();
        AtCommand sms = AtCommand.smsText("+491701234567", "x").withTimeout(Duration.ofMillis(200));
        assertThatThrownBy(() -> session.execute(sms)).isInstanceOf(AtTimeoutException.class);
        assertThat(modem.received()).contains("<ESC>");
        assertThat(session.execute(AtCommand.of("AT")).isOk()).isTrue();
    }

    @Test
    void neverAnsweringCommandTimesOutAndTheNextCommandWorks() throws Exception {
        modem.respond(l -> l.equals("AT+COPS=?") ? null : l.equals("AT+CGMI") ? "\r\nQuectel\r\n\r\nOK\r\n" : "\r\nOK\r\n");
        open();
        long start = System.nanoTime();
        assertThatThrownBy(() -> session.execute(AtCommand.of("AT+COPS=?", Duration.ofMillis(300))))
                .isInstanceOf(AtTimeoutException.class)
                .hasMessageContaining("AT+COPS=?");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        AtResponse next = session.execute(AtCommand.of("AT+CGMI"));
        assertThat(next.lines()).containsExactly("Quectel");
        assertThat(modem.received()).containsSubsequence("AT+COPS=?", "AT", "AT+CGMI");
    }

    @Test
    void lateReplyOfATimedOutCommandIsNeverTakenAsTheNextAnswer() throws Exception {
        // The modem answers AT+CSQ only when the next thing arrives: the stale +CSQ line and OK come first.
        AtomicReference<Boolean> csqPending = new AtomicReference<>(false);
        modem.respond(l -> {
            if (l.equals("AT+CSQ")) {
                csqPending.set(true);
                return null;
            }
            String stale = csqPending.getAndSet(false) ? "\r\n+CSQ: 14,99\r\n\r\nOK\r\n" : "";
            return stale + (l.equals("AT+CGMM") ? "\r\nEG25\r\n\r\nOK\r\n" : "\r\nOK\r\n");
        });
        List<Urc> urcs = new CopyOnWriteArrayList<>();
        open().addUrcListener(urcs::add);
        assertThatThrownBy(() -> session.execute(AtCommand.of("AT+CSQ", Duration.ofMillis(200))))
                .isInstanceOf(AtTimeoutException.class);
        AtResponse next = session.execute(AtCommand.of("AT+CGMM"));
        assertThat(next.lines()).containsExactly("EG25");
        assertThat(session.execute(AtCommand.of("AT+CGMM")).lines()).containsExactly("EG25");
        assertThat(urcs).as("late +CSQ must not pass for a URC").isEmpty();
    }

    @Test
    void noiseOutsideCommandsIsIgnored() throws Exception {
        modem.respond(l -> "\r\nOK\r\n");
        open();
        modem.emit("\r\ngarbage \u0001 line\r\n\r\nOK\r\n\u00ff\u00fe\r\n> \r\n");
        Thread.sleep(100);
        assertThat(session.execute(AtCommand.of("AT")).lines()).isEmpty();
        assertThat(session.state()).isEqualTo(ChannelState.OPEN);
    }

    @Test
    void urcStormOfTenThousandLosesNoneAndDoesNotStickACommand() throws Exception {
        int storm = 10_000;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < storm; i++) {
            burst.append("\r\n+CEREG: 1,\"").append(String.format("%04X", i)).append("\",\"0A1B2C3D\",7\r\n");
        }
        modem.chunks(64).respond(l -> burst + "\r\n+CGMR: EG25GGBR07A08M2G\r\n\r\nOK\r\n");
        List<Urc> urcs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(storm);
        open().addUrcListener(u -> {
            urcs.add(u);
            all.countDown();
        });
        AtResponse r = session.execute(AtCommand.of("AT+CGMR", Duration.ofSeconds(10)));
        assertThat(r.lines()).containsExactly("+CGMR: EG25GGBR07A08M2G");
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(urcs).hasSize(storm);
        assertThat(urcs.get(storm - 1).line()).contains(String.format("%04X", storm - 1));
    }

    @Test
    void cmtUrcCarriesItsTextLine() throws Exception {
        List<Urc> urcs = new CopyOnWriteArrayList<>();
        open().addUrcListener("+CMT:", urcs::add);
        modem.chunks(1);
        modem.emit("\r\n+CMT: \"+491701234567\",,\"24/03/01,10:15:00+04\"\r\nRESET SITE 7\r\n");
        awaitSize(urcs, 1);
        assertThat(urcs.get(0).secondLine()).contains("RESET SITE 7");
    }

    @Test
    void closingARegistrationStopsDelivery() throws Exception {
        List<Urc> urcs = new CopyOnWriteArrayList<>();
        Registration registration = open().addUrcListener(urcs::add);
        modem.emit("\r\nRDY\r\n");
        awaitSize(urcs, 1);
        registration.close();
        modem.emit("\r\n+CPIN: READY\r\n");
        modem.respond(l -> "\r\nOK\r\n");
        session.execute(AtCommand.of("AT")); // the reader has passed the +CPIN line
        Thread.sleep(50);
        assertThat(urcs).extracting(Urc::prefix).containsExactly("RDY");
    }

    @Test
    void commandsNeverInterleave() throws Exception {
        modem.chunks(5).respond(l -> "\r\n+CGDCONT: 1,\"IP\",\"" + l + "\"\r\n\r\nOK\r\n");
        open();
        List<CompletableFuture<AtResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(session.send(AtCommand.of("AT+CGDCONT=" + i + ",\"IP\",\"apn" + i + "\"")).toCompletableFuture());
        }
        for (int i = 0; i < 50; i++) {
            AtResponse r = futures.get(i).get(5, TimeUnit.SECONDS);
            assertThat(r.lines()).containsExactly("+CGDCONT: 1,\"IP\",\"" + r.command().line() + "\"");
        }
    }

    @Test
    void unplugFailsThePendingCommandAndTheChannel() throws Exception {
        modem.respond(l -> null);
        List<ChannelState> states = new CopyOnWriteArrayList<>();
        open().addStateListener(states::add);
        CompletableFuture<AtResponse> pending = session.send(AtCommand.of("AT+CSQ", Duration.ofSeconds(5))).toCompletableFuture();
        Thread.sleep(50);
        modem.unplug();
        assertThatThrownBy(() -> pending.get(2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AtChannelClosedException.class);
        awaitSize(states, 1);
        assertThat(session.state()).isEqualTo(ChannelState.FAILED);
        assertThat(session.failure()).get().asString().contains("unplugged");
        assertThatThrownBy(() -> session.execute(AtCommand.of("AT"))).isInstanceOf(AtChannelClosedException.class);
    }

    @Test
    void oversizedLineIsDroppedAndTheChannelCarriesOn() throws Exception {
        modem.chunks(4096).respond(l -> "\r\n" + "A".repeat(1_000_000) + "\r\n+CGMI: Quectel\r\n\r\nOK\r\n");
        open();
        assertThat(session.execute(AtCommand.of("AT+CGMI", Duration.ofSeconds(10))).lines()).containsExactly("+CGMI: Quectel");
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
}
