package io.sitegate.tunnel.internal.vici;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * VICI over a stream socket: charon's UNIX socket ({@code unix:///var/run/charon.vici}) through a
 * {@link UnixDomainSocketAddress}, or TCP for tests. The channel is non-blocking and every wait goes
 * through a selector with the caller's deadline, because a blocking {@link SocketChannel} has no
 * read timeout.
 */
public final class ViciSocketTransport implements ViciTransport {

    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();

    // receive state survives a timeout, so a packet read in several calls stays whole
    private final ByteBuffer header = ByteBuffer.allocate(ViciLimits.LENGTH_PREFIX_BYTES);
    private ByteBuffer body;

    private ViciSocketTransport(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    /**
     * Connects to a VICI socket.
     *
     * @param address a {@link UnixDomainSocketAddress} (charon) or an {@link java.net.InetSocketAddress}
     * @param timeout how long connecting may take
     * @return the open transport
     * @throws SocketTimeoutException if the connection is not made in time
     * @throws IOException if it cannot be made (no such socket, refused, no permission)
     */
    public static ViciSocketTransport connect(SocketAddress address, Duration timeout) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!channel.finishConnect()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("no connection to VICI socket " + address + " within " + timeout);
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                }
            }
            ViciSocketTransport transport = new ViciSocketTransport(channel);
            channel = null;
            return transport;
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException) {
                throw e;
            }
            IOException wrapped = new IOException("cannot connect to VICI socket " + address + ": " + e.getMessage());
            wrapped.initCause(e);
            throw wrapped;
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    @Override
    public void send(ViciPacket packet, Duration timeout) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(ViciCodec.encodeFrame(packet));
        synchronized (writeLock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (frame.hasRemaining()) {
                if (channel.write(frame) == 0) {
                    if (!await(writeSelector, deadline)) {
                        close(); // part of a frame may be on the wire: the stream is lost
                        throw new SocketTimeoutException("VICI send of " + packet.type() + " timed out after " + timeout
                                + " with " + frame.position() + " of " + frame.limit() + " bytes written; connection closed");
                    }
                }
            }
        }
    }

    @Override
    public ViciPacket receive(Duration timeout) throws IOException {
        synchronized (readLock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (body == null) {
                fill(header, deadline, timeout);
                header.flip();
                int length;
                try {
                    // checked before the allocation: a hostile prefix never sizes a buffer
                    length = ViciCodec.segmentLength(header.getInt());
                } catch (ViciProtocolException e) {
                    close(); // the framing is lost, nothing after this can be read
                    throw e;
                }
                body = ByteBuffer.allocate(length);
            }
            fill(body, deadline, timeout);
            byte[] packet = body.array();
            header.clear();
            body = null;
            return ViciCodec.decodePacket(packet);
        }
    }

    private void fill(ByteBuffer buffer, long deadline, Duration timeout) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw new EOFException(buffer == header && header.position() == 0 && body == null
                        ? "VICI socket closed by the daemon"
                        : "VICI socket closed by the daemon in the middle of a packet");
            }
            if (n == 0 && !await(readSelector, deadline)) {
                throw new SocketTimeoutException("no whole VICI packet within " + timeout);
            }
        }
    }

    /** Waits until the selector's channel is ready; false when the deadline passes first. */
    private boolean await(Selector selector, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            selector.select(Math.max(1, (left + 999_999) / 1_000_000));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        return true;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            readSelector.close();
            writeSelector.close();
        }
    }
}
