package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The gateway's side in tests: writes commands, collects every byte the module sends. */
final class TestHost implements Closeable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InputStream in;
    private final OutputStream out;
    private final Closeable resource;
    private final StringBuilder received = new StringBuilder();
    private int consumed;

    TestHost(InputStream in, OutputStream out, Closeable resource) {
        this.in = in;
        this.out = out;
        this.resource = resource;
        Thread t = new Thread(this::pump, "test-host-reader");
        t.setDaemon(true);
        t.start();
    }

    static TestHost tcp(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        return new TestHost(s.getInputStream(), s.getOutputStream(), s);
    }

    private void pump() {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // closed
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private boolean closed;

    synchronized boolean isClosed() {
        return closed;
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a command with CR and returns the non-empty lines up to and including the final result. */
    List<String> command(String command) throws Exception {
        send(command + "\r");
        return awaitLines(TestHost::isFinal);
    }

    static boolean isFinal(String line) {
        return line.equals("OK") || line.equals("ERROR") || line.startsWith("+CME ERROR:")
                || line.startsWith("+CMS ERROR:");
    }

    /** Waits for a non-empty line matching, returns the lines since the last call up to it. */
    synchronized List<String> awaitLines(Predicate<String> last) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String text = received.substring(consumed);
            int pos = 0;
            List<String> lines = new ArrayList<>();
            int idx;
            while ((idx = text.indexOf("\r\n", pos)) >= 0) {
                String line = text.substring(pos, idx);
                pos = idx + 2;
                if (!line.isEmpty()) {
                    lines.add(line);
                    if (last.test(line)) {
                        consumed += pos;
                        return lines;
                    }
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out; received so far: " + text.replace("\r", "\\r").replace("\n", "\\n"));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for raw text to appear; returns everything since the last call up to and including it. */
    synchronized String awaitText(String expected) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int idx;
        while ((idx = received.indexOf(expected, consumed)) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("'" + expected + "' not received; got: " + received.substring(consumed));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        String out = received.substring(consumed, idx + expected.length());
        consumed = idx + expected.length();
        return out;
    }

    /** @return what arrived within the quiet period, consumed */
    synchronized String drain(Duration quiet) throws InterruptedException {
        wait(quiet.toMillis());
        String out = received.substring(consumed);
        consumed = received.length();
        return out;
    }

    /** @return number of characters received so far */
    synchronized int receivedLength() {
        return received.length();
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
