package io.sitegate.dns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over TCP on one address (RFC 7766), one {@link TcpConnection} per client connection. At most
 * {@link TcpLimits#maxConnections()} are served at once, and at most
 * {@link TcpLimits#maxConnectionsPerClient()} from one address (RFC 7766 section 10); more are closed at
 * once. A watchdog drops connections whose client stopped reading.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final ServerSocket server;
    private final Forwarder forwarder;
    private final TcpLimits limits;
    private final Semaphore slots;
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final Set<TcpConnection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    /** Connections closed because their client did not read its answers. */
    final LongAdder dropped = new LongAdder();
    /** Connections closed at once: over tcp.maxConnections or tcp.maxConnectionsPerClient. */
    final LongAdder refused = new LongAdder();

    TcpListener(InetSocketAddress address, TcpLimits limits, Forwarder forwarder) throws IOException {
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.forwarder = forwarder;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConnections());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-dns-tcp-watchdog-" + address);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, limits.writeTimeoutMs() / 4);
        watchdog.scheduleWithFixedDelay(this::checkWrites, period, period, TimeUnit.MILLISECONDS);
        this.acceptor = new Thread(this::accept, "sitegate-dns-tcp-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port bound (useful when bound to port 0). */
    int port() {
        return server.getLocalPort();
    }

    /** Connections being served. */
    int connections() {
        return open.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                InetAddress client = s.getInetAddress();
                String over = admit(client);
                if (over != null) {
                    refused.increment();
                    LOG.debug("TCP client {} refused: {}", client.getHostAddress(), over);
                    s.close();
                    continue;
                }
                TcpConnection c = new TcpConnection(s, limits, watchdog, this::stalled);
                open.add(c);
                Thread t = new Thread(() -> serve(c, client), "sitegate-dns-tcp-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("TCP accept: {}", e.toString());
                }
            }
        }
    }

    /** Takes a slot for the client, or says which limit it is over. */
    private String admit(InetAddress client) {
        if (perClient.merge(client, 1, Integer::sum) > limits.maxConnectionsPerClient()) {
            leave(client);
            return "tcp.maxConnectionsPerClient = " + limits.maxConnectionsPerClient() + " connections open";
        }
        if (!slots.tryAcquire()) {
            leave(client);
            return "tcp.maxConnections = " + limits.maxConnections() + " connections open";
        }
        return null;
    }

    private void leave(InetAddress client) {
        perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
    }

    private void serve(TcpConnection c, InetAddress client) {
        try {
            c.serve(forwarder);
        } finally {
            open.remove(c);
            leave(client);
            slots.release();
        }
    }

    private void checkWrites() {
        long now = System.nanoTime();
        for (TcpConnection c : open) {
            c.checkWrite(now);
        }
    }

    private void stalled(TcpConnection c, String why) {
        dropped.increment();
        LOG.warn("TCP client {} dropped, it does not read its answers: {}", c.client().getHostAddress(), why);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (TcpConnection c : open) {
            c.closeSocket();
        }
        watchdog.shutdownNow();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
