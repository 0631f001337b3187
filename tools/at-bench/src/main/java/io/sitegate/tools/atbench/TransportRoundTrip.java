package io.sitegate.tools.atbench;

import io.sitegate.modem.AtTransport;
import io.sitegate.modem.internal.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Diagnostic layer between the two: the product's {@code SerialTransport} (jSerialComm, its timeouts and
 * write mode) driven from the caller's thread, without the {@code AtSession}. sitegate − transport is the
 * session's share of the overhead, transport − baseline the serial library's.
 */
final class TransportRoundTrip implements RoundTrip {

    private static final byte[] AT = "AT\r".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    /** The same value the session's reader uses (SessionTuning.defaults().pollInterval()). */
    private static final Duration POLL = Duration.ofMillis(200);

    private final String port;
    private final OkMatcher matcher = new OkMatcher();
    private final byte[] buffer = new byte[4096];
    private AtTransport transport;

    TransportRoundTrip(String port) {
        this.port = port;
    }

    @Override
    public String name() {
        return "transport";
    }

    @Override
    public String description() {
        return "diagnostic: product SerialTransport write()/read() on the caller's thread, no AtSession";
    }

    @Override
    public void open() throws IOException {
        transport = Transports.fromPort(port);
        transport.open();
        transport.write("ATE0\r".getBytes(StandardCharsets.US_ASCII), WRITE_TIMEOUT);
        awaitOk();
    }

    @Override
    public void roundTrip() throws IOException {
        transport.write(AT, WRITE_TIMEOUT);
        awaitOk();
    }

    private void awaitOk() throws IOException {
        matcher.reset();
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        while (true) {
            int n = transport.read(buffer, POLL);
            if (matcher.feed(buffer, n)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no OK within " + WRITE_TIMEOUT);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        Thread.sleep(50);
    }
}
