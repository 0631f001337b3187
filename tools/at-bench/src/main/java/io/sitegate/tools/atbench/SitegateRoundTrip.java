package io.sitegate.tools.atbench;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.AtTransport;
import io.sitegate.modem.internal.session.AtSession;
import io.sitegate.modem.internal.transport.Transports;
import java.io.IOException;
import java.util.Set;

/**
 * The product's stack as the modem bundle runs it: {@code Transports.fromPort(path)} (jSerialComm
 * {@code SerialTransport}), a default-tuned {@link AtSession} (reader thread, fair turn lock, pending
 * command completed by the reader), {@code execute(AtCommand.of("AT"))} per round trip.
 */
final class SitegateRoundTrip implements RoundTrip {

    private static final AtCommand AT = AtCommand.of("AT");

    private final String port;
    private AtTransport transport;
    private AtSession session;

    SitegateRoundTrip(String port) {
        this.port = port;
    }

    @Override
    public String name() {
        return "sitegate";
    }

    @Override
    public String description() {
        return "Transports.fromPort() + AtSession.execute(AtCommand.of(\"AT\"))";
    }

    @Override
    public void open() throws Exception {
        transport = Transports.fromPort(port);
        transport.open();
        session = new AtSession(transport, Set.of());
        AtResponse r = session.execute(AtCommand.of("ATE0"));
        if (!r.isOk()) {
            throw new IOException("ATE0 answered " + r.result().describe());
        }
    }

    @Override
    public void roundTrip() throws Exception {
        AtResponse r = session.execute(AT);
        if (!r.isOk()) {
            throw new IOException("AT answered " + r.result().describe());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (session != null) {
            session.close();
        }
        if (transport != null) {
            transport.close();
        }
        session = null;
        transport = null;
        Thread.sleep(50); // let the session's reader thread leave its read
    }
}
