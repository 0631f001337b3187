package io.sitegate.tunnel.internal.openvpn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of OpenVPN's management interface on a UNIX socket ({@code --management <path> unix}). OpenVPN lets
 * any local process connect to such a socket unless {@code --management-client-user} names one user
 * (management-options.rst); {@link OpenVpnClientConfig} always writes it, so no management password is used.
 *
 * <p>One reader thread reads every line: real-time messages ({@code >TYPE:...}) go to the listener, in order;
 * the other lines are the answer to the command in flight ({@code SUCCESS: ...} or {@code ERROR: ...}, or lines
 * up to {@code END} for commands that print several), following management-notes "OUTPUT FORMAT". One command
 * at a time. A command without its answer in time, a line longer than {@link #MAX_LINE} bytes, or a closed
 * socket closes the client: a late answer can never be taken for the next command's.
 */
public final class ManagementClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementClient.class);
    /** The longest line accepted from OpenVPN (a >CLIENT:ENV line with a long certificate subject fits). */
    static final int MAX_LINE = 64 * 1024;
    private static final String CLOSED = "\u0000closed";

    /** The answer to a command: success or not, its text, and for multi-line commands the lines before END. */
    public record Reply(boolean success, String text, List<String> lines) {
    }

    private final SocketChannel channel;
    private final Thread reader;
    private final Consumer<ManagementMessage> listener;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final ReentrantLock oneCommand = new ReentrantLock();
    private volatile boolean closed;
    private volatile String closeReason = "closed";

    private ManagementClient(SocketChannel channel, Consumer<ManagementMessage> listener, String name) {
        this.channel = channel;
        this.listener = listener;
        this.reader = new Thread(this::read, "sitegate-openvpn-mgmt-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to the management socket at {@code path}.
     *
     * @param listener gets every real-time message, on the reader thread; it must not block
     */
    public static ManagementClient connect(Path path, Consumer<ManagementMessage> listener) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new IOException("cannot connect to the OpenVPN management socket " + path + ": " + e.getMessage(), e);
        }
        return new ManagementClient(ch, listener, String.valueOf(path.getFileName()));
    }

    /** Sends a command that answers with one {@code SUCCESS:}/{@code ERROR:} line. */
    public Reply command(String line, Duration timeout) throws IOException {
        return exchange(line, timeout, false);
    }

    /** Sends a command that prints lines up to {@code END} (or answers with one {@code ERROR:} line). */
    public Reply commandLines(String line, Duration timeout) throws IOException {
        return exchange(line, timeout, true);
    }

    private Reply exchange(String line, Duration timeout, boolean multiLine) throws IOException {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a management command is one line");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!oneCommand.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SocketTimeoutException("another management command still runs after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try {
            ensureOpen();
            answers.clear(); // nothing is in flight: a stray line answers nothing
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            List<String> lines = new ArrayList<>();
            while (true) {
                String a = next(deadline, line);
                if (!multiLine || lines.isEmpty() && a.startsWith("ERROR:")) {
                    if (a.startsWith("SUCCESS:") || a.startsWith("ERROR:")) {
                        return new Reply(a.startsWith("SUCCESS:"), a.substring(a.indexOf(':') + 1).strip(), List.of());
                    }
                    if (!multiLine) {
                        close("unexpected answer to '" + ManagementCommands.redacted(line) + "': " + ManagementMessage.printable(a));
                        throw new ManagementProtocolException(closeReason);
                    }
                }
                if (a.equals("END")) {
                    return new Reply(true, "", List.copyOf(lines));
                }
                lines.add(a);
            }
        } finally {
            oneCommand.unlock();
        }
    }

    private String next(long deadline, String line) throws IOException {
        String a;
        try {
            a = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (a == null) {
            String what = "no answer to '" + ManagementCommands.redacted(line) + "' in time";
            close(what);
            throw new SocketTimeoutException(what);
        }
        if (a == CLOSED) {
            throw new IOException("OpenVPN management connection closed: " + closeReason);
        }
        return a;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("OpenVPN management connection closed: " + closeReason);
        }
    }

    private void read() {
        try (InputStream in = Channels.newInputStream(channel)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    close("OpenVPN closed the connection");
                    return;
                }
                if (c != '\n') {
                    if (line.size() >= MAX_LINE) {
                        close("a line longer than " + MAX_LINE + " bytes");
                        return;
                    }
                    line.write(c);
                    continue;
                }
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (s.startsWith(">")) {
                    deliver(s);
                } else {
                    answers.add(s);
                }
            }
        } catch (IOException e) {
            close(closed ? closeReason : "read: " + e.getMessage());
        }
    }

    private void deliver(String s) {
        try {
            listener.accept(ManagementMessage.parse(s));
        } catch (ManagementProtocolException e) {
            LOG.warn("OpenVPN management: {}", e.getMessage()); // an odd line is reported, the session goes on
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN management listener failed: {}", e.toString());
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Why the client closed, or "closed". */
    public String closeReason() {
        return closeReason;
    }

    private void close(String why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closeReason = why;
            closed = true;
        }
        answers.add(CLOSED);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        close("closed by Sitegate");
        if (Thread.currentThread() != reader) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
