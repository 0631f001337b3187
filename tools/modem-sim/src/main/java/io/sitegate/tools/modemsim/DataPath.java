package io.sitegate.tools.modemsim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Whether the simulated module has a data path, and a hook told when that changes: packets flow through a real
 * module's network interface (wwan0, an ECM/MBIM/QMI netdev) only while it is registered (home or roaming, 27.007
 * +CREG/+CEREG stat 1 or 5), its radio is on, the SIM is ready, a PDP context is active (+CGACT) and the module is
 * plugged in. The lab (tools/lab/site.sh) lets the hook set the gateway's "cellular" link up or down, so that a
 * refused session, a quota block or a lost network cut the gateway's traffic as they would on a router.
 *
 * <p>{@link #check()} is called after everything that can change the state (each AT command line, each scenario
 * statement, an unplug); a sampler calls it too every {@code periodMs}, for changes that come on their own (a
 * reboot finishing). Each transition is recorded in the journal at once ({@code data up} / {@code data down}) by
 * the thread that caused it; the initial state is not (it is no transition; {@link #state()} tells it). The hook runs on a thread of its own, one call at a time, in order; when several
 * transitions came while it ran, only the latest state is told (the hook always ends with the actual state), and
 * a state the hook was told last is not told again.
 */
public final class DataPath implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataPath.class.getName());
    /** How long {@link #command(Path)} lets the executable run. */
    static final long HOOK_TIMEOUT_SECONDS = 10;

    private final BooleanSupplier open;
    private final CommandJournal journal;
    private final Consumer<Boolean> hook;
    private final ScheduledExecutorService sampler;
    private final ExecutorService hookRunner;
    private final AtomicReference<Boolean> pending = new AtomicReference<>();
    private volatile Boolean last;
    private Boolean told; // only touched by the hook thread

    /**
     * Starts watching: the initial state is read (and handed to the hook) before this returns.
     *
     * @param open     the data path's state
     * @param journal  where transitions are recorded
     * @param hook     told each change and the initial state, on the hook thread; null for none
     * @param periodMs sampling period, 0 for no sampling (only {@link #check()})
     */
    public DataPath(BooleanSupplier open, CommandJournal journal, Consumer<Boolean> hook, long periodMs) {
        this.open = open;
        this.journal = journal;
        this.hook = hook;
        this.hookRunner = Executors.newSingleThreadExecutor(r -> daemon(r, "modem-data-hook"));
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "modem-data-path"));
        check();
        if (periodMs > 0) {
            sampler.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The data path of a simulated module (the line and faults aside: see {@link ModemSimulator}). */
    public static boolean open(SimulatedModem modem) {
        synchronized (modem) {
            ModemState s = modem.state();
            return s.cfun() == 1 && s.sim() == SimStatus.READY && modem.effectiveRegistration().registered()
                    && !s.packetData().active().isEmpty();
        }
    }

    /**
     * Reads the state; on a change journals it and hands it to the hook thread. Cheap and never blocks on the
     * hook: the AT interpreter calls it after each command line. Callers must not hold the modem's monitor
     * (the order is this, then the modem).
     */
    public void check() {
        // read and compare under one lock: two threads checking at once must not record an older reading last
        synchronized (this) {
            boolean now;
            try {
                now = open.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "data path: cannot read the state: {0}", e.toString());
                return;
            }
            if (last != null && last == now) {
                return;
            }
            if (last != null) {
                journal.record(now ? "data up" : "data down"); // the initial state is no transition: see data?
            }
            last = now;
            LOG.log(System.Logger.Level.INFO, "data path {0}", now ? "up" : "down");
            if (hook == null) {
                return;
            }
            pending.set(now);
            try {
                hookRunner.execute(this::runHook);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void runHook() {
        Boolean want = pending.getAndSet(null);
        if (want == null || want.equals(told)) {
            return; // a later task already told this state (latest wins)
        }
        told = want;
        try {
            hook.accept(want);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "data hook failed: {0}", e.toString());
        }
    }

    /** @return the state ("up"/"down") */
    public String state() {
        Boolean l = last;
        return l == null ? "unknown" : l ? "up" : "down";
    }

    /**
     * A hook that runs {@code <executable> up|down}, its output (stdout and stderr) logged line by line, killed
     * after 10 s.
     */
    public static Consumer<Boolean> command(Path executable) {
        return up -> {
            String arg = up ? "up" : "down";
            try {
                Process p = new ProcessBuilder(List.of(executable.toString(), arg)).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                Thread out = daemon(() -> log(p, executable, arg), "modem-data-hook-output");
                out.start();
                if (!p.waitFor(HOOK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: no exit within {2} s, killed", executable,
                            arg, HOOK_TIMEOUT_SECONDS);
                } else if (p.exitValue() != 0) {
                    LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: exit {2}", executable, arg, p.exitValue());
                } else {
                    LOG.log(System.Logger.Level.INFO, "data hook {0} {1}: done", executable, arg);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: {2}", executable, arg, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void log(Process p, Path executable, String arg) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                LOG.log(System.Logger.Level.INFO, "data hook {0} {1}: {2}", executable.getFileName(), arg, line);
            }
        } catch (IOException e) {
            // the process went
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        hookRunner.shutdownNow();
    }
}
