package io.sitegate.modem.internal.transport;

import io.sitegate.modem.AtTransport;
import io.sitegate.modem.TransportClosedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A modem AT port exposed over raw TCP (ser2net {@code raw} mode, terminal servers).
 *
 * <p>Writes use the socket's blocking stream: the kernel's send buffer absorbs AT traffic, so the write
 * timeout is only honoured up to that; reads honour their timeout exactly.
 */
public final class TcpTransport implements AtTransport {

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private int soTimeout = -1;

    /** A transport to {@code host:port}; nothing is connected before {@link #open()}. */
    public TcpTransport(String host, int port, Duration connectTimeout) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port out of range: " + port);
        }
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public synchronized void open() throws IOException {
        if (socket != null) {
            throw new IllegalStateException(describe() + " already opened");
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to modem at " + describe() + ": " + e.getMessage(), e);
        }
        in = s.getInputStream();
        out = s.getOutputStream();
        socket = s;
    }

    @Override
    public boolean isOpen() {
        Socket s = socket;
        return s != null && !s.isClosed();
    }

    @Override
    public int read(byte[] buffer, Duration timeout) throws IOException {
        Socket s = requireOpen();
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            if (ms != soTimeout) {
                s.setSoTimeout(ms);
                soTimeout = ms;
            }
            int n = in.read(buffer);
            if (n < 0) {
                close();
                throw new TransportClosedException("modem at " + describe() + " closed the connection (EOF)");
            }
            return n;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (TransportClosedException e) {
            throw e;
        } catch (IOException e) {
            close();
            throw new TransportClosedException("read from " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] data, Duration timeout) throws IOException {
        requireOpen();
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            close();
            throw new TransportClosedException("write to " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }

    private Socket requireOpen() throws TransportClosedException {
        Socket s = socket;
        if (s == null || s.isClosed()) {
            throw new TransportClosedException(describe() + " is not open");
        }
        return s;
    }
}
