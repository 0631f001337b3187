package io.sitegate.policy.internal.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between the link and the broker, to play the cellular network: {@link Mode#FORWARD},
 * {@link Mode#REFUSE} (new connections closed at once) or {@link Mode#BLACKHOLE} (connections stay
 * open, nothing passes: the broker can only notice through the keepalive).
 */
final class TcpProxy implements AutoCloseable {
    enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;
    private final java.util.Set<Socket> silenced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    TcpProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(this::accept, "test-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void mode(Mode m) {
        mode = m;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode != Mode.FORWARD) {
                    if (mode == Mode.REFUSE) {
                        client.close();
                    } else {
                        sockets.add(client);
                    }
                    continue;
                }
                Socket upstream = new Socket("127.0.0.1", target);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the broker is down: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (mode == Mode.BLACKHOLE || silenced.contains(from)) {
                        Thread.sleep(50);
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // connection over
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "test-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The connections open now go silent (no FIN, no RST) while new ones are forwarded: what a tunnel failover does to
     * a connection that went out with the old tunnel's source address.
     */
    void silenceExisting() {
        silenced.addAll(sockets);
    }

    /** Closes every open connection. */
    void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // fine
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
