package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/** Where the simulated module is plugged in: a pty, a pty pair of its own (socat), or a TCP port. */
public interface ModemEndpoint extends Closeable {

    /**
     * Blocks until the next line to the host is available. A pty endpoint returns its device again only once
     * the previous connection has closed; a TCP endpoint returns each new client (which replaces the old one).
     */
    Connection accept() throws IOException, InterruptedException;

    /**
     * Simulates pulling the USB cable: the current connection is gone and the port is unavailable for the
     * given time. The caller closes the current connection.
     */
    void unplug(Duration downtime) throws IOException;

    /** @return a short description for logs */
    String describe();
}
