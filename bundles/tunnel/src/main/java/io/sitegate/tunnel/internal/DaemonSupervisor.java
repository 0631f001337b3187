package io.sitegate.tunnel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one daemon process running (an openvpn client, a charon): starts it, and when it exits restarts it after
 * a back-off that doubles from {@code firstDelay} up to {@code maxDelay}, never in a tight loop. A process that ran
 * for {@code stableAfter} before it died starts the back-off again from the first delay. Its output (stdout and
 * stderr together) is kept, the last {@link #LOG_LINES} lines, for {@code tunnel-log}; it is not written to the
 * gateway's log, where a daemon's lines could carry what the operator does not want there.
 */
public final class DaemonSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonSupervisor.class);
    static final int LOG_LINES = 200;

    /** Starts the process; a seam for tests. */
    public interface Launcher {
        Process start(List<String> command) throws IOException;
    }

    /** Runs a task after a delay; a seam for tests. */
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private final String name;
    private final List<String> command;
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final LongSupplier nanoClock;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration stableAfter;
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private volatile java.util.function.Predicate<String> noise = line -> false;
    private Process process;
    private long startedNanos;
    private Duration delay;
    private int starts;
    private String lastExit = "";
    private boolean stopped;

    public DaemonSupervisor(String name, List<String> command, Launcher launcher, Scheduler scheduler, LongSupplier nanoClock,
                            Duration firstDelay, Duration maxDelay, Duration stableAfter) {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("back-off " + firstDelay + " to " + maxDelay);
        }
        this.name = name;
        this.command = List.copyOf(command);
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.stableAfter = stableAfter;
        this.delay = firstDelay;
    }

    /**
     * Lines of the daemon's output not to keep: e.g. OpenVPN logs every management command, and Sitegate asks for
     * {@code status} every second, which pushed everything else out of {@link #recentOutput()} within minutes.
     */
    public DaemonSupervisor skipping(java.util.function.Predicate<String> lines) {
        this.noise = lines;
        return this;
    }

    /** Starts the daemon now. */
    public synchronized void start() {
        stopped = false;
        launch();
    }

    private void launch() {
        if (stopped) {
            return;
        }
        starts++;
        Process p;
        try {
            p = launcher.start(command);
        } catch (IOException e) {
            lastExit = "could not start: " + e.getMessage();
            LOG.warn("{}: {}; next try in {}", name, lastExit, delay);
            retryLater();
            return;
        }
        process = p;
        startedNanos = nanoClock.getAsLong();
        Thread reader = new Thread(() -> readOutput(p), "sitegate-daemon-" + name);
        reader.setDaemon(true);
        reader.start();
        p.onExit().thenAccept(this::exited);
    }

    private void readOutput(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (noise.test(line)) {
                    continue;
                }
                synchronized (log) {
                    if (log.size() == LOG_LINES) {
                        log.removeFirst();
                    }
                    log.addLast(line.length() > 1000 ? line.substring(0, 1000) + "..." : line);
                }
            }
        } catch (IOException e) {
            // the process went away: its exit is handled in exited()
        }
    }

    private synchronized void exited(Process p) {
        if (p != process) {
            return;
        }
        process = null;
        lastExit = "exited with " + p.exitValue();
        if (stopped) {
            return;
        }
        long ran = nanoClock.getAsLong() - startedNanos;
        if (ran >= stableAfter.toNanos()) {
            delay = firstDelay; // it had been running well: this is a new failure, not the same one again
        }
        List<String> said = recentOutput();
        LOG.warn("{} {} after {} s; restarting in {}{}", name, lastExit, ran / 1_000_000_000L, delay,
                said.isEmpty() ? "" : "; it said last: " + io.sitegate.core.SafeText.escape(said.get(said.size() - 1)));
        retryLater();
    }

    private void retryLater() {
        Duration wait = delay;
        delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        scheduler.schedule(() -> {
            synchronized (this) {
                if (process == null) {
                    launch();
                }
            }
        }, wait);
    }

    /** The daemon process while it runs. */
    public synchronized java.util.Optional<Process> process() {
        return java.util.Optional.ofNullable(process).filter(Process::isAlive);
    }

    /** Whether the daemon process is alive. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** How many times it was started (the first start included). */
    public synchronized int starts() {
        return starts;
    }

    /** How its last run ended ("exited with 1", "could not start: ..."), or "". */
    public synchronized String lastExit() {
        return lastExit;
    }

    /** The delay before the next restart, should it die now. */
    public synchronized Duration nextDelay() {
        return delay;
    }

    /** The last lines the daemon printed, oldest first. */
    public List<String> recentOutput() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Stops the daemon (SIGTERM, then SIGKILL after {@code grace}) and does not restart it. */
    public void stop(Duration grace) {
        Process p;
        synchronized (this) {
            stopped = true;
            p = process;
        }
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
