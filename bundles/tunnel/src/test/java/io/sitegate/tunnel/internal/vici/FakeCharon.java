package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for charon's VICI socket ({@code src/libcharon/plugins/vici/vici_socket.c}) on a
 * UNIX socket in a temporary directory. A test plays a script on the fake's own thread (charon's side)
 * while its own thread drives the {@link ViciSession}; every read on charon's side has a deadline.
 */
final class FakeCharon implements AutoCloseable {

    /** The deadline for every I/O on charon's side, and for a script to finish. */
    static final Duration IO = Duration.ofSeconds(5);

    /** charon's side of a test. */
    @FunctionalInterface
    interface Script {
        void play(FakeCharon charon) throws Exception;
    }

    private final UnixDomainSocketAddress address;
    private final ServerSocketChannel server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-charon"));
    private SocketChannel peer;
    private Selector selector;
    private Future<?> script;

    FakeCharon(Path dir) throws IOException {
        address = UnixDomainSocketAddress.of(dir.resolve("charon.vici"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
    }

    /** @return a session connected to this fake */
    ViciSession connect() throws IOException {
        ViciTransport transport = ViciSocketTransport.connect(address, IO);
        peer = server.accept();
        peer.configureBlocking(false);
        selector = Selector.open();
        peer.register(selector, SelectionKey.OP_READ);
        return ViciSession.open(transport);
    }

    /** Starts charon's side; {@link #finish()} waits for it and rethrows what it threw. */
    void play(Script steps) {
        script = thread.submit(() -> {
            steps.play(this);
            return null;
        });
    }

    /** Waits for the script, at most {@link #IO}, and rethrows its failure. */
    void finish() throws Exception {
        try {
            script.get(IO.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Reads the next packet the session sent and checks it. */
    void expect(ViciPacket packet) throws IOException {
        assertThat(read()).isEqualTo(packet);
    }

    /** Answers an EVENT_(UN)REGISTER with EVENT_CONFIRM. */
    void confirm() throws IOException {
        send(ViciPacket.of(ViciPacketType.EVENT_CONFIRM, null, null));
    }

    /** Sends a CMD_RESPONSE. */
    void respond(ViciSection message) throws IOException {
        send(ViciPacket.response(message));
    }

    /** Sends a packet. */
    void send(ViciPacket packet) throws IOException {
        write(ViciCodec.encodeFrame(packet));
    }

    /** Sends raw bytes, framing and all. */
    void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + IO.toNanos();
        while (buffer.hasRemaining()) {
            if (peer.write(buffer) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("fake charon could not write within " + IO);
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Waits until the session closes its end. */
    void expectHangUp() throws IOException {
        try {
            ViciPacket extra = read();
            throw new AssertionError("expected the session to close its socket, got " + extra);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException expected) {
            // the session hung up: end of stream, or a reset
        }
    }

    /** Closes charon's end of the connection. */
    void hangUp() throws IOException {
        peer.close();
    }

    /** Reads the next packet, within {@link #IO}. */
    ViciPacket read() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(ViciLimits.LENGTH_PREFIX_BYTES);
        fill(header);
        ByteBuffer body = ByteBuffer.allocate(ViciCodec.segmentLength(header.flip().getInt()));
        fill(body);
        return ViciCodec.decodePacket(body.array());
    }

    private void fill(ByteBuffer buffer) throws IOException {
        long deadline = System.nanoTime() + IO.toNanos();
        while (buffer.hasRemaining()) {
            int n = peer.read(buffer);
            if (n < 0) {
                throw new EOFException("the session closed its socket");
            }
            if (n == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("fake charon got no packet within " + IO);
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        }
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(IO.toMillis(), TimeUnit.MILLISECONDS);
        for (AutoCloseable c : new AutoCloseable[] {selector, peer, server}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
