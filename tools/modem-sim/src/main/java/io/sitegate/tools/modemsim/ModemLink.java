package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte stream towards the host, written by one thread from a bounded queue. Answers and echo wait for
 * room; URCs are dropped when the host stops reading (memory stays bounded and nobody blocks on a stuck
 * peer). Each write is one framed line, so URCs can land between the lines of an answer, as on a real module.
 */
final class ModemLink implements Closeable {

    private static final int CAPACITY = 4096;
    private static final System.Logger LOG = System.getLogger(ModemLink.class.getName());

    private final Connection connection;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private final AtomicLong droppedUrcs = new AtomicLong();
    private volatile boolean open = true;

    ModemLink(Connection connection) {
        this.connection = connection;
        this.writer = new Thread(this::drain, "modem-link-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** @return {@code \r\n<line>\r\n} as bytes (AT lines are ASCII; ISO-8859-1 passes any byte through) */
    static byte[] frame(String line) {
        return ("\r\n" + line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Queues bytes of an answer, waiting for room while the line is open. */
    void send(byte[] bytes) {
        try {
            while (open && !queue.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                // the host is slow to read: wait, as a UART with flow control would
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues one framed answer line. */
    void line(String line) {
        send(frame(line));
    }

    /** Queues one framed URC, dropping it when the queue is full. */
    void urc(String line) {
        if (open && !queue.offer(frame(line))) {
            long n = droppedUrcs.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.log(System.Logger.Level.WARNING, "host not reading: {0} URCs dropped", n);
            }
        }
    }

    boolean isOpen() {
        return open;
    }

    private void drain() {
        try {
            while (open) {
                byte[] bytes = queue.poll(100, TimeUnit.MILLISECONDS);
                if (bytes == null) {
                    continue;
                }
                connection.out().write(bytes);
                while ((bytes = queue.poll()) != null) {
                    connection.out().write(bytes);
                }
                connection.out().flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "write to {0} failed: {1}", connection, e.getMessage());
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open = false;
            queue.clear();
        }
    }

    @Override
    public void close() {
        open = false;
        writer.interrupt();
    }
}
