package io.sitegate.dns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over TCP on one address (RFC 7766): several queries may be pipelined on one connection
 * and are answered as they complete, in any order; a connection idle for longer than the idle timeout,
 * or one that sends a message more slowly than that, is closed. At most {@code maxConnections} are
 * served at once; more are closed at once.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final ServerSocket server;
    private final Forwarder forwarder;
    private final int idleTimeoutMs;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    TcpListener(InetSocketAddress address, int idleTimeoutMs, int maxConnections, Forwarder forwarder) throws IOException {
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.forwarder = forwarder;
        this.idleTimeoutMs = idleTimeoutMs;
        this.slots = new Semaphore(maxConnections);
        this.acceptor = new Thread(this::accept, "sitegate-dns-tcp-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (!slots.tryAcquire()) {
                    s.close();
                    continue;
                }
                open.add(s);
                Thread t = new Thread(() -> serve(s), "sitegate-dns-tcp-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("TCP accept: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            Connection conn = new Connection(s.getOutputStream());
            byte[] buf = new byte[65535];
            byte[] out = Forwarder.newBuffer();
            long idleNanos = idleTimeoutMs * 1_000_000L;
            long deadline = System.nanoTime() + idleNanos;
            while (true) {
                int r = readFully(s, in, buf, 2, deadline);
                if (r == IDLE) {
                    // Idle means no answer owed and none sent for the idle timeout (RFC 7766 6.2.3).
                    long now = System.nanoTime();
                    if (conn.pending() > 0) {
                        deadline = now + Math.min(idleNanos, 100_000_000L);
                        continue;
                    }
                    if (conn.lastSend() + idleNanos - now > 0) {
                        deadline = conn.lastSend() + idleNanos;
                        continue;
                    }
                    break;
                }
                if (r != COMPLETE) {
                    break;
                }
                int len = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
                if (len == 0 || readFully(s, in, buf, len, System.nanoTime() + idleNanos) != COMPLETE) {
                    return; // a message that does not arrive within the idle timeout: drop the client
                }
                conn.expect();
                forwarder.handle(buf, len, s.getInetAddress(), false, conn, out);
                deadline = System.nanoTime() + idleNanos;
            }
            conn.awaitAnswers(idleTimeoutMs + 10_000L); // the client may half-close after its last query
        } catch (IOException e) {
            LOG.debug("TCP client: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
            slots.release();
        }
    }

    private static final int COMPLETE = 1;
    private static final int IDLE = 0;
    private static final int BROKEN = -1;

    /**
     * Reads exactly {@code n} bytes before the deadline: COMPLETE, IDLE (timeout before the first byte)
     * or BROKEN (end of stream, or timeout inside the message).
     */
    private static int readFully(Socket s, InputStream in, byte[] b, int n, long deadline) throws IOException {
        int got = 0;
        while (got < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return got == 0 ? IDLE : BROKEN;
            }
            s.setSoTimeout((int) left);
            int r;
            try {
                r = in.read(b, got, n - got);
            } catch (SocketTimeoutException e) {
                return got == 0 ? IDLE : BROKEN;
            }
            if (r < 0) {
                return BROKEN;
            }
            got += r;
        }
        return COMPLETE;
    }

    /** Writes length-prefixed responses; answers from workers and from the reader interleave safely. */
    private static final class Connection implements Forwarder.ResponseSink {
        private final OutputStream out;
        private int pending;
        private long lastSend = System.nanoTime();

        Connection(OutputStream out) {
            this.out = out;
        }

        synchronized void expect() {
            pending++;
        }

        synchronized int pending() {
            return pending;
        }

        synchronized long lastSend() {
            return lastSend;
        }

        synchronized void awaitAnswers(long maxMs) throws InterruptedException {
            long end = System.currentTimeMillis() + maxMs;
            while (pending > 0 && System.currentTimeMillis() < end) {
                wait(Math.max(1, end - System.currentTimeMillis()));
            }
        }

        @Override
        public synchronized void send(byte[] response, int len, String source) {
            pending = Math.max(0, pending - 1);
            lastSend = System.nanoTime();
            notifyAll();
            try {
                byte[] framed = new byte[len + 2];
                framed[0] = (byte) (len >> 8);
                framed[1] = (byte) len;
                System.arraycopy(response, 0, framed, 2, len);
                out.write(framed);
                out.flush();
            } catch (IOException e) {
                LOG.debug("TCP reply lost: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
