package io.sitegate.modem.internal.session;

import io.sitegate.core.Registration;
import io.sitegate.core.SafeText;
import io.sitegate.modem.Urc;
import io.sitegate.modem.UrcListener;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands URCs to listeners on a thread of its own, so neither slow listeners nor URC storms hold up the
 * reader (and with it the command traffic). The queue is bounded; overflow is counted and logged.
 */
final class UrcDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UrcDispatcher.class);

    private record Entry(String prefix, UrcListener listener) {
        boolean wants(Urc urc) {
            return prefix == null || prefix.equals(urc.prefix().toUpperCase(Locale.ROOT));
        }
    }

    private final BlockingQueue<Urc> queue;
    private final List<Entry> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    UrcDispatcher(String name, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Registration add(String prefix, UrcListener listener) {
        Entry entry = new Entry(prefix == null ? null : prefix.toUpperCase(Locale.ROOT), listener);
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    void dispatch(Urc urc) {
        if (!queue.offer(urc)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("URC queue full, dropped {} unsolicited codes so far (last: {})", n, SafeText.escape(urc.prefix()));
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        while (running) {
            Urc urc;
            try {
                urc = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Entry entry : listeners) {
                if (entry.wants(urc)) {
                    try {
                        entry.listener().onUrc(urc);
                    } catch (RuntimeException e) {
                        LOG.warn("URC listener failed on {}", SafeText.escape(urc.prefix()), e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
