package io.sitegate.tools.modemsim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * A ser2net-style TCP port on 127.0.0.1: one host at a time; a new client replaces the previous one.
 * Unplugging closes the listening socket for the downtime, so connects are refused like a missing port.
 */
public final class TcpEndpoint implements ModemEndpoint {

    private final int port;
    private volatile ServerSocket server;
    private volatile long downUntilNanos;
    private volatile boolean closed;

    /** @param port the port to listen on, 0 for any free one (see {@link #port()}) */
    public TcpEndpoint(int port) throws IOException {
        this.server = bind(port);
        this.port = server.getLocalPort();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return s;
    }

    /** @return the port actually listened on */
    public int port() {
        return port;
    }

    @Override
    public Connection accept() throws IOException, InterruptedException {
        while (!closed) {
            ServerSocket s = server;
            if (s == null || s.isClosed()) {
                long wait = downUntilNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Math.max(1, wait / 1_000_000));
                    continue;
                }
                synchronized (this) {
                    if (!closed && (server == null || server.isClosed())) {
                        server = bind(port);
                    }
                }
                continue;
            }
            try {
                Socket socket = s.accept();
                socket.setTcpNoDelay(true);
                return new Connection("tcp " + socket.getRemoteSocketAddress(), socket.getInputStream(),
                        socket.getOutputStream(), socket);
            } catch (SocketException e) {
                // listening socket closed by unplug or close: loop decides
            }
        }
        throw new IOException("endpoint closed");
    }

    @Override
    public synchronized void unplug(Duration downtime) throws IOException {
        downUntilNanos = System.nanoTime() + downtime.toNanos();
        server.close();
    }

    @Override
    public String describe() {
        return "tcp 127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        server.close();
    }
}
