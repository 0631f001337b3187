package io.sitegate.tools.modemsim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Whether the simulated module has a data path, and a hook told when that changes: packets flow through a real
 * module's network interface (wwan0, an ECM/MBIM/QMI netdev) only while it is registered (home or roaming, 27.007
 * +CREG/+CEREG stat 1 or 5), its radio is on, the SIM is ready and a PDP context is active (+CGACT). The lab
 * (tools/lab/site.sh) lets the hook set the gateway's "cellular" link up or down, so that a refused session, a
 * quota block or a lost network cut the gateway's traffic as they would on a router.
 *
 * <p>The state is sampled every {@code periodMs} (a change is seen within that time, whatever caused it: an AT
 * command, a scenario line, a fault); the hook runs on its own thread, one call at a time, in order, and always
 * ends with the actual state.
 */
public final class DataPath implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataPath.class.getName());

    private final BooleanSupplier open;
    private final Consumer<Boolean> hook;
    private final ScheduledExecutorService sampler;
    private volatile Boolean last;

    /**
     * @param open     the data path's state, sampled
     * @param hook     told each change (and the initial state)
     * @param periodMs sampling period
     */
    public DataPath(BooleanSupplier open, Consumer<Boolean> hook, long periodMs) {
        this.open = open;
        this.hook = hook;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modem-data-path");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The data path of a simulated module. */
    public static boolean open(SimulatedModem modem) {
        synchronized (modem) {
            ModemState s = modem.state();
            return s.cfun() == 1 && s.sim() == SimStatus.READY && modem.effectiveRegistration().registered()
                    && !s.packetData().active().isEmpty();
        }
    }

    void sample() {
        boolean now;
        try {
            now = open.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "data path: cannot read the state: {0}", e.toString());
            return;
        }
        if (last == null || last != now) {
            last = now;
            hook.accept(now);
        }
    }

    /** @return the last state seen ("up"/"down"), or "unknown" before the first sample */
    public String state() {
        Boolean l = last;
        return l == null ? "unknown" : l ? "up" : "down";
    }

    /** A hook that runs {@code <executable> up|down} (10 s at most) and records the change in the journal. */
    public static Consumer<Boolean> command(Path executable, CommandJournal journal) {
        return up -> {
            String arg = up ? "up" : "down";
            journal.record("data " + arg);
            try {
                Process p = new ProcessBuilder(List.of(executable.toString(), arg)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: no exit within 10 s", executable, arg);
                } else if (p.exitValue() != 0) {
                    LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: exit {2}", executable, arg, p.exitValue());
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "data hook {0} {1}: {2}", executable, arg, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
