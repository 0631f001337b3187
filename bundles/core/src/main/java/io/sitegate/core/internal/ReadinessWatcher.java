package io.sitegate.core.internal;


import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes the moment the gateway first becomes ready after the JVM started (every Sitegate bundle
 * active, every component satisfied, nothing DOWN), logs it once and shows it in the status: the
 * boot time a technician and the boot benchmark care about. Stops watching once seen, or after
 * five minutes (then the status screen says what is missing).
 */
final class ReadinessWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessWatcher.class);
    private static final long GIVE_UP_MS = 5 * 60_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sitegate-readiness");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledFuture<?> task;
    private volatile long readyAfterMs = -1;

    /** Starts watching; {@code ready} answers whether the gateway is ready now. */
    ReadinessWatcher(BooleanSupplier ready) {
        task = timer.scheduleWithFixedDelay(() -> check(ready), 0, 50, TimeUnit.MILLISECONDS);
    }

    private void check(BooleanSupplier ready) {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        try {
            if (ready.getAsBoolean()) {
                readyAfterMs = uptime;
                LOG.info("Sitegate ready {} ms after the JVM started", uptime);
                timer.shutdown();
            } else if (uptime > GIVE_UP_MS) {
                timer.shutdown();
            }
        } catch (RuntimeException e) {
            LOG.debug("readiness check failed", e);
        }
    }

    /** Milliseconds from JVM start to the first moment the gateway was ready, or -1 if not yet. */
    long readyAfterMs() {
        return readyAfterMs;
    }

    void stop() {
        task.cancel(false);
        timer.shutdownNow();
    }
}
