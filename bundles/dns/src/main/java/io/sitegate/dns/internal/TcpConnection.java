package io.sitegate.dns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DNS-over-TCP client connection (RFC 7766). Its reader thread reads queries and hands them to the
 * forwarder; answers, whether from the reader (cache hits) or from the shared workers, are only queued here
 * and written by the connection's own writer thread. So no worker, and no reader, ever waits on a client's
 * socket: a client that does not read fills its queue, or stalls its writer past the write timeout, and is
 * closed. RFC 1035 4.2.2 already asked that the server not block other activities on TCP; RFC 7766
 * section 10 advises "controlling request queues to enable fair use".
 */
final class TcpConnection implements Forwarder.ResponseSink {

    /** Told once, when a connection is dropped because its client does not read its answers. */
    interface StallListener {
        void stalled(TcpConnection connection, String why);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    /** Progress is measured per chunk, so a large answer to a slow but reading client is not a stall. */
    private static final int CHUNK = 4096;
    private static final long MS = 1_000_000L;

    private final Socket socket;
    private final TcpLimits limits;
    private final Executor closer;
    private final StallListener onStall;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    /** Queries read whose answers are not queued yet. */
    private int owed;
    /** When the current write last made progress (nanoTime); 0 while not writing. */
    private long writingSince;
    private long lastWrite = System.nanoTime();
    private boolean closing;
    private boolean stalled;

    /**
     * @param closer  runs the close of a dropped connection, so that the thread that notices (a worker
     *                queueing an answer) never does socket work itself
     */
    TcpConnection(Socket socket, TcpLimits limits, Executor closer, StallListener onStall) {
        this.socket = socket;
        this.limits = limits;
        this.closer = closer;
        this.onStall = onStall;
    }

    InetAddress client() {
        return socket.getInetAddress();
    }

    /** Serves the client until it leaves, idles out or is dropped; runs on the connection's own thread. */
    void serve(Forwarder forwarder) {
        Thread writer = new Thread(this::writeLoop, "sitegate-dns-tcp-writer");
        writer.setDaemon(true);
        try (socket) {
            socket.setTcpNoDelay(true);
            writer.start();
            if (read(forwarder)) {
                awaitAnswers(limits.idleTimeoutMs() + 10_000L); // the client may half-close after its last query
            }
        } catch (IOException e) {
            LOG.debug("TCP client {}: {}", client(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                closing = true;
                notifyAll();
            }
        }
    }

    /** Reads queries until end of stream (true) or until the connection is idle, broken or closed (false). */
    private boolean read(Forwarder forwarder) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65535];
        byte[] out = Forwarder.newBuffer();
        long idleNanos = limits.idleTimeoutMs() * MS;
        long deadline = System.nanoTime() + idleNanos;
        while (true) {
            int r = readFully(in, buf, 2, deadline);
            if (r == IDLE) {
                // Idle means no answer owed, none unwritten, and none written for the idle timeout (RFC 7766 6.2.3).
                long now = System.nanoTime();
                synchronized (this) {
                    if (owed > 0 || !queue.isEmpty() || writingSince != 0) {
                        deadline = now + Math.min(idleNanos, 100 * MS);
                        continue;
                    }
                    if (lastWrite + idleNanos - now > 0) {
                        deadline = lastWrite + idleNanos;
                        continue;
                    }
                }
                return false;
            }
            if (r == END) {
                return true;
            }
            if (r != COMPLETE) {
                return false;
            }
            int len = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
            if (len == 0 || readFully(in, buf, len, System.nanoTime() + idleNanos) != COMPLETE) {
                return false; // a message that does not arrive within the idle timeout: drop the client
            }
            synchronized (this) {
                if (closing) {
                    return false;
                }
                owed++;
            }
            // Pipelined queries are all read and resolved concurrently; answers go out as they complete,
            // in any order, matched by the client on message id (RFC 7766 6.2.1.1 and 7).
            forwarder.handle(buf, len, socket.getInetAddress(), false, this, out);
            deadline = System.nanoTime() + idleNanos;
        }
    }

    private static final int COMPLETE = 1;
    private static final int IDLE = 0;
    private static final int BROKEN = -1;
    private static final int END = -2;

    /**
     * Reads exactly {@code n} bytes before the deadline: COMPLETE, IDLE (timeout before the first byte),
     * END (end of stream before the first byte) or BROKEN (end of stream or timeout inside the message).
     */
    private int readFully(InputStream in, byte[] b, int n, long deadline) throws IOException {
        int got = 0;
        while (got < n) {
            long left = (deadline - System.nanoTime()) / MS;
            if (left <= 0) {
                return got == 0 ? IDLE : BROKEN;
            }
            socket.setSoTimeout((int) left);
            int r;
            try {
                r = in.read(b, got, n - got);
            } catch (SocketTimeoutException e) {
                return got == 0 ? IDLE : BROKEN;
            }
            if (r < 0) {
                return got == 0 ? END : BROKEN;
            }
            got += r;
        }
        return COMPLETE;
    }

    private synchronized void awaitAnswers(long maxMs) throws InterruptedException {
        long end = System.nanoTime() + maxMs * MS;
        while (!closing && (owed > 0 || !queue.isEmpty() || writingSince != 0)) {
            long left = (end - System.nanoTime()) / MS;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /**
     * Queues a length-prefixed answer (RFC 7766 section 8) and returns at once, on any thread. A full
     * queue means the client does not read: the connection is dropped.
     */
    @Override
    public void send(byte[] response, int len, String source) {
        String why;
        synchronized (this) {
            owed = Math.max(0, owed - 1);
            notifyAll();
            if (closing) {
                return;
            }
            int size = len + 2;
            if (queue.size() < limits.maxQueuedAnswers()
                    && (queue.isEmpty() || queuedBytes + size <= limits.maxQueuedBytes())) {
                byte[] framed = new byte[size];
                framed[0] = (byte) (len >> 8);
                framed[1] = (byte) len;
                System.arraycopy(response, 0, framed, 2, len);
                queue.add(framed);
                queuedBytes += size;
                return;
            }
            why = queue.size() + " answers (" + queuedBytes + " bytes) wait unread";
        }
        drop(why);
    }

    /** Called periodically: drops the connection if its current write made no progress for the write timeout. */
    void checkWrite(long now) {
        long since;
        synchronized (this) {
            since = writingSince;
        }
        if (since != 0 && now - since > limits.writeTimeoutMs() * MS) {
            drop("a write made no progress for " + limits.writeTimeoutMs() + " ms");
        }
    }

    private void drop(String why) {
        synchronized (this) {
            if (stalled) {
                return;
            }
            stalled = true;
            closing = true;
            queue.clear();
            queuedBytes = 0;
            notifyAll();
        }
        onStall.stalled(this, why);
        try {
            closer.execute(this::closeSocket);
        } catch (RejectedExecutionException e) {
            // the listener is closing, and closes every socket itself
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] next;
                synchronized (this) {
                    while (queue.isEmpty() && !closing) {
                        wait();
                    }
                    next = queue.poll();
                    if (next == null) {
                        return;
                    }
                    queuedBytes -= next.length;
                    writingSince = System.nanoTime();
                }
                for (int off = 0; off < next.length; off += CHUNK) {
                    out.write(next, off, Math.min(CHUNK, next.length - off));
                    synchronized (this) {
                        writingSince = System.nanoTime();
                    }
                }
                synchronized (this) {
                    writingSince = 0;
                    lastWrite = System.nanoTime();
                    notifyAll();
                }
            }
        } catch (IOException e) {
            LOG.debug("TCP reply to {} lost: {}", client(), e.toString());
            synchronized (this) {
                closing = true;
                writingSince = 0;
                notifyAll();
            }
            closeSocket(); // wakes the reader
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
