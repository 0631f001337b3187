package io.sitegate.modem.internal.session;

import io.sitegate.modem.AtTransport;
import io.sitegate.modem.TransportClosedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * In-memory modem: scripts replies per received command line, optionally echoes, and delivers its bytes
 * in chunks of random size (seeded) so replies split at arbitrary byte boundaries.
 */
final class FakeModem implements AtTransport {

    static final String PAYLOAD = "PAYLOAD:";
    private static final byte[] EOF = new byte[0];

    private final BlockingQueue<byte[]> toHost = new LinkedBlockingQueue<>();
    private final StringBuilder fromHost = new StringBuilder();
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(42);
    private volatile Function<String, String> responder = line -> "\r\nOK\r\n";
    private volatile boolean echo;
    private volatile int maxChunk;
    private volatile boolean open = true;
    private byte[] rest;
    private int restOffset;

    FakeModem respond(Function<String, String> r) {
        this.responder = r;
        return this;
    }

    FakeModem echo(boolean on) {
        this.echo = on;
        return this;
    }

    /** Deliver output in random chunks of 1..max bytes; 0 = as emitted. */
    FakeModem chunks(int max) {
        this.maxChunk = max;
        return this;
    }

    /** Lines and payloads the host wrote, in order. */
    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Sends bytes to the host as if the modem produced them. */
    void emit(String text) {
        emit(text.getBytes(StandardCharsets.UTF_8));
    }

    void emit(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int n = maxChunk <= 0 ? bytes.length - i : Math.min(bytes.length - i, 1 + random.nextInt(maxChunk));
            byte[] chunk = new byte[n];
            System.arraycopy(bytes, i, chunk, 0, n);
            toHost.add(chunk);
            i += n;
        }
    }

    /** Simulates USB unplug: the next read fails. */
    void unplug() {
        toHost.add(EOF);
    }

    @Override
    public void open() {
        open = true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public int read(byte[] buffer, Duration timeout) throws TransportClosedException {
        if (!open) {
            throw new TransportClosedException("fake modem closed");
        }
        if (rest == null) {
            byte[] next;
            try {
                next = toHost.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (next == null) {
                return 0;
            }
            if (next == EOF) {
                open = false;
                throw new TransportClosedException("fake modem unplugged (EOF)");
            }
            rest = next;
            restOffset = 0;
        }
        int n = Math.min(buffer.length, rest.length - restOffset);
        System.arraycopy(rest, restOffset, buffer, 0, n);
        restOffset += n;
        if (restOffset == rest.length) {
            rest = null;
        }
        return n;
    }

    @Override
    public synchronized void write(byte[] data, Duration timeout) throws TransportClosedException {
        if (!open) {
            throw new TransportClosedException("fake modem closed");
        }
        for (byte b : data) {
            if (b == '\r' || b == 0x1A) {
                String text = fromHost.toString();
                fromHost.setLength(0);
                String key = b == 0x1A ? PAYLOAD + text : text;
                received.add(key);
                if (echo) {
                    emit(text + "\r");
                }
                String reply = responder.apply(key);
                if (reply != null) {
                    emit(reply);
                }
            } else if (b == 0x1B) {
                received.add("<ESC>");
                fromHost.setLength(0);
            } else {
                fromHost.append((char) (b & 0xFF));
            }
        }
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
        open = false;
    }
}
