package io.sitegate.dns;

/**
 * One configured listening socket.
 *
 * @param protocol {@code udp} or {@code tcp}
 * @param address  the address and port, as configured ({@code 127.0.0.1:53}, {@code [::1]:53})
 * @param bound    whether the socket is bound and serving
 * @param error    why it is not bound; empty when bound
 * @param dropped  TCP: connections closed because their client did not read its answers (0 for UDP)
 * @param refused  TCP: connections refused at once, over {@code tcp.maxConnections} or
 *                 {@code tcp.maxConnectionsPerClient} (0 for UDP)
 */
public record ListenerStatus(String protocol, String address, boolean bound, String error, long dropped, long refused) {

    /** A listener without connection counters (version 1.0 of this record). */
    public ListenerStatus(String protocol, String address, boolean bound, String error) {
        this(protocol, address, bound, error, 0, 0);
    }
}
