package io.sitegate.core.internal;

import io.sitegate.core.GatewayStatus;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes the moment the gateway first becomes ready after the JVM started (every Sitegate bundle
 * active, every component satisfied, nothing DOWN), logs it once and shows it in the status: the
 * boot time a technician and the boot benchmark care about. Stops watching once seen, or after
 * five minutes (then the status screen says what is missing).
 */
@Component(service = ReadinessWatcher.class, immediate = true)
public final class ReadinessWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessWatcher.class);
    private static final long GIVE_UP_MS = 5 * 60_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sitegate-readiness");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledFuture<?> task;
    private volatile long readyAfterMs = -1;

    @Activate
    public ReadinessWatcher(@Reference GatewayStatus status) {
        task = timer.scheduleWithFixedDelay(() -> check(status), 0, 50, TimeUnit.MILLISECONDS);
    }

    private void check(GatewayStatus status) {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        try {
            if (status.snapshot().ready()) {
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
    public long readyAfterMs() {
        return readyAfterMs;
    }

    @Deactivate
    void deactivate() {
        task.cancel(false);
        timer.shutdownNow();
    }
}
