package io.sitegate.tunnel.internal.vici;

import java.io.IOException;
import java.time.Duration;

/**
 * The transport layer of VICI (strongSwan's {@code src/libcharon/plugins/vici/README.md}, "Transport
 * protocol"; {@code python/vici/protocol.py}, {@code Transport}): whole packets over a reliable stream,
 * each behind a 32-bit big-endian length. Every call has a timeout.
 *
 * <p>One thread may send while another receives; two concurrent senders (or receivers) are serialised.
 */
public interface ViciTransport extends AutoCloseable {

    /**
     * Writes one packet. A send that times out after part of the frame was written leaves the stream
     * unusable, so the transport closes itself.
     *
     * @param packet the packet
     * @param timeout how long the write may block
     * @throws ViciProtocolException if the packet is larger than strongSwan accepts
     * @throws java.net.SocketTimeoutException if the daemon does not take the bytes in time
     * @throws IOException if the socket fails or is closed
     */
    void send(ViciPacket packet, Duration timeout) throws IOException;

    /**
     * Reads one packet. A receive that times out keeps what it has read, and the next receive continues
     * the same packet. A length prefix out of range closes the transport (the framing is lost); a
     * malformed packet inside a well-framed segment does not.
     *
     * @param timeout how long to wait for the whole packet
     * @return the packet
     * @throws ViciProtocolException if the daemon sends something that is not VICI
     * @throws java.net.SocketTimeoutException if no whole packet arrives in time
     * @throws java.io.EOFException if the daemon closes the connection
     * @throws IOException if the socket fails or is closed
     */
    ViciPacket receive(Duration timeout) throws IOException;

    /** @return whether the transport is still open */
    boolean isOpen();

    /** Closes the connection; a blocked send or receive ends with an {@link IOException}. */
    @Override
    void close() throws IOException;
}
