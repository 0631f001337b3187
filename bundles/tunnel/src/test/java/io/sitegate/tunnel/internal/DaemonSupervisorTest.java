package io.sitegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes ({@code sh}), a scheduler the test runs by hand and a clock it moves: the back-off is checked
 * exactly, and a daemon that dies at once is never restarted without waiting.
 */
class DaemonSupervisorTest {

    private record Scheduled(Runnable task, Duration delay) {
    }

    private final BlockingQueue<Scheduled> scheduled = new LinkedBlockingQueue<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final List<DaemonSupervisor> supervisors = new ArrayList<>();

    private DaemonSupervisor supervisor(DaemonSupervisor.Launcher launcher, String... command) {
        DaemonSupervisor s = new DaemonSupervisor("test", List.of(command), launcher,
                (task, delay) -> scheduled.add(new Scheduled(task, delay)), clock::get,
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60));
        supervisors.add(s);
        return s;
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private Scheduled nextRestart() throws InterruptedException {
        Scheduled s = scheduled.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a restart scheduled within 10 s").isNotNull();
        return s;
    }

    @AfterEach
    void stopAll() {
        supervisors.forEach(DaemonSupervisor::close);
    }

    @Test
    void aDaemonThatDiesAtOnceIsRestartedWithADoublingBackOffNeverInATightLoop() throws Exception {
        DaemonSupervisor s = supervisor(DaemonSupervisorTest::start, "sh", "-c", "echo starting; exit 3");
        s.start();

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Scheduled r = nextRestart();
            delays.add(r.delay());
            assertThat(s.starts()).as("no start without its scheduled delay").isEqualTo(i + 1);
            r.task().run();
        }

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8));
        assertThat(s.lastExit()).isEqualTo("exited with 3");
    }

    @Test
    void aDaemonThatRanWellStartsTheBackOffAgain() throws Exception {
        AtomicLong launches = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Process> third = new java.util.concurrent.atomic.AtomicReference<>();
        DaemonSupervisor s = supervisor(command -> {
            if (launches.incrementAndGet() <= 2) {
                return start(List.of("sh", "-c", "exit 1")); // dies at once, twice: 1 s, then 2 s
            }
            Process p = start(List.of("sh", "-c", "read x")); // runs until the test closes its input
            third.set(p);
            return p;
        }, "daemon");
        s.start();

        Scheduled first = nextRestart();
        first.task().run();
        Scheduled second = nextRestart();
        second.task().run();
        assertThat(third.get()).isNotNull();
        clock.addAndGet(Duration.ofSeconds(61).toNanos()); // it runs 61 s, more than stableAfter, then dies
        third.get().getOutputStream().close();
        Scheduled afterAGoodRun = nextRestart();

        assertThat(List.of(first.delay(), second.delay(), afterAGoodRun.delay()))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aDaemonThatCannotBeStartedIsTriedAgainWithBackOff() throws Exception {
        DaemonSupervisor s = supervisor(command -> {
            throw new IOException("no such file: /usr/sbin/openvpn");
        }, "openvpn");
        s.start();

        assertThat(nextRestart().delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.lastExit()).isEqualTo("could not start: no such file: /usr/sbin/openvpn");
        assertThat(s.running()).isFalse();
    }

    @Test
    void itsOutputIsKeptBounded() throws Exception {
        DaemonSupervisor s = supervisor(DaemonSupervisorTest::start, "sh", "-c",
                "i=0; while [ $i -lt 250 ]; do echo line $i; i=$((i+1)); done; exit 0");
        s.start();
        nextRestart();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!s.recentOutput().contains("line 249") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.recentOutput()).hasSize(DaemonSupervisor.LOG_LINES).startsWith("line 50").endsWith("line 249");
    }

    @Test
    void ourOwnPollingDoesNotPushTheDaemonsHistoryOut() throws Exception {
        // OpenVPN echoes each management command; Sitegate asks for 'status' every second (a lab gateway's tunnel-log
        // showed nothing else after a few minutes)
        DaemonSupervisor s = supervisor(DaemonSupervisorTest::start, "sh", "-c",
                "echo 'Initialization Sequence Completed'; i=0; while [ $i -lt 300 ]; do "
                + "echo \"2026-12-04 19:53:47 MANAGEMENT: CMD 'status'\"; i=$((i+1)); done; echo 'SIGTERM received'; exit 0")
                .skipping(io.sitegate.tunnel.internal.openvpn.OpenVpnDriver::ownPolling);
        s.start();
        nextRestart();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!s.recentOutput().contains("SIGTERM received") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.recentOutput()).containsExactly("Initialization Sequence Completed", "SIGTERM received");
    }

    @Test
    void aStoppedDaemonIsNotRestarted() throws Exception {
        DaemonSupervisor s = supervisor(DaemonSupervisorTest::start, "sleep", "60");
        s.start();
        assertThat(s.running()).isTrue();

        s.stop(Duration.ofSeconds(5));

        assertThat(s.running()).isFalse();
        assertThat(scheduled.poll(500, TimeUnit.MILLISECONDS)).as("no restart after stop").isNull();
    }
}
