package io.sitegate.tunnel.internal.vici;

import static io.sitegate.tunnel.internal.vici.ViciSessionTest.SECOND;
import static io.sitegate.tunnel.internal.vici.ViciSessionTest.WAIT;
import static io.sitegate.tunnel.internal.vici.ViciSessionTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that goes wrong: silent, hanging up, speaking broken VICI, answering out of turn. Each closes
 * the session with a clear error (issue 18, "Bad input"), fails what is in flight, and leaves no thread.
 * Where strongSwan's {@code python/vici/session.py} raises {@code SessionException} on an unexpected
 * packet type, the session here also closes, since the two ends are out of step.
 */
class ViciSessionFailureTest {

    @TempDir
    Path dir;

    FakeCharon charon;
    ViciSession session;
    Set<Thread> threadsBefore;
    List<Thread> callers = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        charon = new FakeCharon(dir);
        charon.play(c -> { }); // starts charon's thread before the snapshot, so only the session's is new
        charon.finish();
        threadsBefore = Thread.getAllStackTraces().keySet();
        session = charon.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        charon.close();
    }

    /** Runs a call on a thread of the test's own, so that the leak check can wait for it to end. */
    private FutureTask<ViciSection> inThread(Callable<ViciSection> call) {
        FutureTask<ViciSection> task = new FutureTask<>(call);
        Thread thread = new Thread(task, "caller");
        callers.add(thread);
        thread.start();
        return task;
    }

    private void awaitClosed() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (session.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void assertClosedWithoutThreadLeft() throws InterruptedException {
        assertThat(session.isOpen()).isFalse();
        for (Thread caller : callers) {
            caller.join(WAIT.toMillis());
        }
        session.close(); // joins the reader thread, whoever closed the session first
        Set<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !threadsBefore.contains(t)).map(Thread::getName).collect(Collectors.toSet());
        assertThat(left).isEmpty();
        assertThatThrownBy(() -> session.request("version", null, SECOND)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("VICI command 'version' failed, session closed: ");
    }

    @Test
    void aDaemonThatNeverAnswersTimesOutAndClosesTheSession() throws Exception {
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("vici-session-"));
        charon.play(c -> {
            c.expect(ViciPacket.request("stats", null));
            c.expectHangUp(); // the session closes its socket: a late answer has nowhere to go
        });

        assertThatThrownBy(() -> session.request("stats", null, Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("VICI command 'stats' got no answer from charon within PT0.3S; session closed, "
                        + "so that a late answer is never taken for the next command's");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void aDaemonThatClosesTheSocketMidCommand() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.request("list-conns", null));
            c.write(new byte[] {0, 0, 0, 40, 1, 3}); // the start of a response, then nothing
            c.hangUp();
        });

        assertThatThrownBy(() -> session.request("list-conns", null, WAIT)).isInstanceOf(IOException.class)
                .hasMessage("VICI command 'list-conns' failed, session closed: "
                        + "VICI socket closed by the daemon in the middle of a packet");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void malformedBytesFromTheDaemonCloseTheSessionWithAClearError() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.request("version", null));
            c.write(new byte[] {0, 0, 0, 2, 1, 2}); // a CMD_RESPONSE whose message opens with SECTION_END
        });

        assertThatThrownBy(() -> session.request("version", null, WAIT))
                .isInstanceOf(IOException.class).hasRootCauseInstanceOf(ViciProtocolException.class)
                .hasMessage("VICI command 'version' failed, session closed: "
                        + "charon sent malformed VICI: SECTION_END at offset 1 without an open section");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void anAnswerOfTheWrongTypeClosesTheSession() throws Exception {
        charon.play(c -> {
            c.expect(ViciPacket.request("initiate", null));
            c.confirm();
        });

        assertThatThrownBy(() -> session.request("initiate", null, WAIT)).isInstanceOf(IOException.class)
                .hasMessage("VICI command 'initiate' failed, session closed: "
                        + "charon answered VICI command 'initiate' with EVENT_CONFIRM");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void anAnswerWithNothingInFlightClosesTheSession() throws Exception {
        charon.play(c -> c.respond(section("late", "yes")));
        charon.finish();
        awaitClosed(); // else the request could go out first and take the stray answer, as charon would

        assertThatThrownBy(() -> session.request("version", null, WAIT)).isInstanceOf(IOException.class)
                .hasMessageEndingWith("charon sent CMD_RESPONSE while no request was in flight");
        assertClosedWithoutThreadLeft();
    }

    @Test
    void closingFailsTheCommandInFlight() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        charon.play(c -> {
            c.expect(ViciPacket.request("initiate", section("child", "cloud")));
            requested.countDown();
            c.expectHangUp();
        });
        FutureTask<ViciSection> inFlight = inThread(() -> session.request("initiate", section("child", "cloud"), Duration.ofSeconds(30)));
        assertThat(requested.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        session.close();

        assertThatThrownBy(() -> inFlight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).rootCause()
                .hasMessage("closed by Sitegate");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void anInterruptedCallerClosesTheSession() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        charon.play(c -> {
            c.expect(ViciPacket.request("list-sas", null));
            requested.countDown();
            c.expectHangUp();
        });
        FutureTask<ViciSection> call = inThread(() -> session.request("list-sas", null, Duration.ofSeconds(30)));
        assertThat(requested.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        callers.get(0).interrupt();

        assertThatThrownBy(() -> call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while waiting for the answer to VICI command 'list-sas'; session closed");
        charon.finish();
        assertClosedWithoutThreadLeft();
    }

    @Test
    void waitingForAnotherCommandTimesOutWithoutClosingTheSession() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch secondGaveUp = new CountDownLatch(1);
        charon.play(c -> {
            c.expect(ViciPacket.request("initiate", null));
            requested.countDown();
            secondGaveUp.await(FakeCharon.IO.toMillis(), TimeUnit.MILLISECONDS);
            c.respond(section("success", "yes"));
        });
        FutureTask<ViciSection> first = inThread(() -> session.request("initiate", null, WAIT));
        assertThat(requested.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThatThrownBy(() -> session.request("version", null, Duration.ofMillis(100)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("VICI command 'version' waited PT0.1S for another command to finish; "
                        + "nothing was sent, the session stays open");
        secondGaveUp.countDown();

        assertThat(first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).string("success")).contains("yes");
        charon.finish();
        assertThat(session.isOpen()).isTrue();
    }
}
