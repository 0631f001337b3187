package io.sitegate.policy.internal.mqtt;

import io.sitegate.policy.internal.mqtt.OutboundQueue.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the events and acks of the gateway through the {@link OutboundQueue}, online or not: every
 * message is first stored (fsynced), then published in queue order while the link is up, up to
 * {@code window} unacknowledged at a time, and removed from the queue once the broker has
 * acknowledged it and every message before it. On a reconnection sending starts again from the
 * oldest unacknowledged message: at-least-once, in order, duplicates possible after a drop.
 *
 * <p>A message the broker refuses (PUBACK reason code 0x80 or more, for instance not authorized)
 * is logged and removed: sending it again would block the queue forever.
 */
public final class OutboundDelivery implements MqttLink.ConnectionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundDelivery.class);

    private final OutboundQueue queue;
    private final MqttLink link;
    private final int window;
    private final ScheduledExecutorService executor;

    // Confined to the executor thread.
    private final TreeMap<Long, Boolean> inflight = new TreeMap<>();
    static final long BUSY_RETRY_MS = 100;
    private boolean connected;
    private int generation;
    private long lastSent;
    private long refused;

    public OutboundDelivery(OutboundQueue queue, MqttLink link, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window: " + window + " must be at least 1");
        }
        this.queue = queue;
        this.link = link;
        this.window = window;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-mqtt-outbound");
            t.setDaemon(true);
            return t;
        });
        link.addConnectionListener(this);
    }

    /**
     * Stores the message and sends it as soon as the link allows. When this returns the message is
     * on disk.
     *
     * @return its sequence number in the queue
     */
    public long send(String topic, byte[] payload, int qos, boolean retained) throws IOException {
        long seq = queue.append(topic, payload, qos, retained);
        run(this::pump);
        return seq;
    }

    /** Messages waiting (stored, not yet acknowledged). */
    public int pending() {
        return queue.size();
    }

    /** Messages the broker refused since start. */
    public long refused() {
        return callOnExecutor(() -> refused);
    }

    @Override
    public void connected(boolean sessionPresent) {
        run(() -> {
            restart();
            connected = true;
            pump();
        });
    }

    @Override
    public void disconnected(String reason) {
        run(() -> {
            connected = false;
            restart();
        });
    }

    private void restart() {
        generation++;
        inflight.clear();
        lastSent = 0;
    }

    private void pump() {
        if (!connected) {
            return;
        }
        try {
            int unacknowledged;
            while ((unacknowledged = unacknowledged()) < window) {
                List<Message> batch = queue.peek(lastSent, window - unacknowledged);
                if (batch.isEmpty()) {
                    return;
                }
                for (Message m : batch) {
                    java.util.concurrent.CompletableFuture<Void> f = link.publish(m.topic(), m.payload(), m.qos(), m.retained())
                            .toCompletableFuture();
                    if (busy(f)) {
                        // Not sent: the client's in-flight window is full (other publishes, or a PUBACK slow to be
                        // counted). This message and the ones after it wait, in order; before, the whole window was
                        // sent again from the oldest every second, which kept the window full (found by the site lab).
                        executor.schedule(this::pump, BUSY_RETRY_MS, TimeUnit.MILLISECONDS);
                        return;
                    }
                    inflight.put(m.seq(), false);
                    lastSent = m.seq();
                    int gen = generation;
                    f.whenComplete((v, e) -> run(() -> completed(gen, m, e)));
                }
            }
        } catch (IOException e) {
            LOG.error("outbound queue unreadable, retrying in 5 s: {}", e.toString());
            executor.schedule(this::pump, 5, TimeUnit.SECONDS);
        }
    }

    /** A publish the client refused at once because its in-flight window is full. */
    private static boolean busy(java.util.concurrent.CompletableFuture<Void> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.getNow(null);
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof MqttLinkException le && le.busy();
        } catch (java.util.concurrent.CancellationException e) {
            return false;
        }
    }

    private int unacknowledged() {
        int n = 0;
        for (boolean done : inflight.values()) {
            n += done ? 0 : 1;
        }
        return n;
    }

    private void completed(int gen, Message m, Throwable error) {
        if (gen != generation) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause != null) {
            if (cause instanceof MqttLinkException le && le.refusedByBroker()) {
                refused++;
                LOG.warn("outbound message {} to {} dropped: {}", m.seq(), MqttErrors.safe(m.topic()),
                        le.getMessage());
            } else {
                LOG.info("outbound message {} not acknowledged ({}); sending again from the oldest", m.seq(),
                        cause.getMessage());
                restart();
                if (connected) {
                    executor.schedule(this::pump, 1, TimeUnit.SECONDS);
                }
                return;
            }
        }
        inflight.put(m.seq(), true);
        long through = -1;
        while (!inflight.isEmpty() && inflight.firstEntry().getValue()) {
            through = inflight.pollFirstEntry().getKey();
        }
        if (through > 0) {
            try {
                queue.removeThrough(through);
            } catch (IOException e) {
                LOG.error("outbound queue: cannot record the delivery of {} (it may be sent again): {}", through,
                        e.toString());
            }
        }
        pump();
    }

    private void run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("outbound delivery failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private <T> T callOnExecutor(java.util.concurrent.Callable<T> c) {
        try {
            return executor.submit(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("outbound delivery not responding", e);
        }
    }

    /** Stops sending; the queue stays open (its owner closes it). */
    @Override
    public void close() {
        link.removeConnectionListener(this);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
