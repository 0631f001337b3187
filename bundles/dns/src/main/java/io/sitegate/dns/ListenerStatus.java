package io.sitegate.dns;

/**
 * One configured listening socket.
 *
 * @param protocol {@code udp} or {@code tcp}
 * @param address  the address and port, as configured ({@code 127.0.0.1:53}, {@code [::1]:53})
 * @param bound    whether the socket is bound and serving
 * @param error    why it is not bound; empty when bound
 */
public record ListenerStatus(String protocol, String address, boolean bound, String error) {
}
