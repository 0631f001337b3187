package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport against a local UNIX socket (and TCP on 127.0.0.1) whose other end speaks the framing
 * of strongSwan's {@code src/libcharon/plugins/vici/README.md} ("Transport protocol") by hand, like
 * charon's {@code vici_socket.c}: a 32-bit big-endian length, then the packet.
 */
class ViciSocketTransportTest {

    static final Duration SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    ServerSocketChannel server;
    SocketChannel daemon;
    ViciSocketTransport transport;
    ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() throws Exception {
        executor.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {transport, daemon, server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    void connectUnix() throws IOException {
        SocketAddress address = UnixDomainSocketAddress.of(dir.resolve("charon.vici"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        transport = ViciSocketTransport.connect(address, SECOND);
        daemon = server.accept();
    }

    @Test
    void requestResponseAndEventsOverAUnixSocket() throws Exception {
        connectUnix();

        transport.send(ViciPacket.request("version", null), SECOND);
        assertThat(readFrame()).isEqualTo(ViciPacket.request("version", null));

        ViciPacket event = ViciPacket.event("log", ViciSection.builder().put("msg", "hello").build());
        ViciPacket response = ViciPacket.response(ViciSection.builder().put("daemon", "charon").put("version", "5.9.8").build());
        write(ViciCodec.encodeFrame(event));
        write(ViciCodec.encodeFrame(response));

        assertThat(transport.receive(SECOND)).isEqualTo(event);
        assertThat(transport.receive(SECOND)).isEqualTo(response);
    }

    @Test
    void requestResponseOverTcp() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        transport = ViciSocketTransport.connect(server.getLocalAddress(), SECOND);
        daemon = server.accept();

        transport.send(ViciPacket.register("ike-updown"), SECOND);
        assertThat(readFrame()).isEqualTo(ViciPacket.register("ike-updown"));
        write(ViciCodec.encodeFrame(ViciPacket.of(ViciPacketType.EVENT_CONFIRM, null, null)));
        assertThat(transport.receive(SECOND).type()).isEqualTo(ViciPacketType.EVENT_CONFIRM);
    }

    @Test
    void aReceiveThatTimesOutMidPacketIsContinuedByTheNext() throws Exception {
        connectUnix();
        ViciPacket response = ViciPacket.response(ViciReadmeExampleTest.readmeTree());
        byte[] frame = ViciCodec.encodeFrame(response);

        assertThatThrownBy(() -> transport.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no whole VICI packet within PT0.05S");
        write(Arrays.copyOf(frame, 2));
        assertThatThrownBy(() -> transport.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
        write(Arrays.copyOfRange(frame, 2, 20));
        assertThatThrownBy(() -> transport.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
        write(Arrays.copyOfRange(frame, 20, frame.length));

        assertThat(transport.receive(SECOND)).isEqualTo(response);
        assertThat(transport.isOpen()).isTrue();
    }

    @Test
    void aHostileLengthPrefixIsRefusedAndClosesTheTransport() throws Exception {
        connectUnix();
        write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});

        assertThatThrownBy(() -> transport.receive(SECOND)).isInstanceOf(ViciProtocolException.class)
                .hasMessage("VICI segment of 4294967295 bytes exceeds strongSwan's limit of 524288 bytes (VICI_MESSAGE_SIZE_MAX)");
        assertThat(transport.isOpen()).isFalse();
    }

    @Test
    void aMalformedPacketInAGoodFrameLeavesTheStreamUsable() throws Exception {
        connectUnix();
        write(new byte[] {0, 0, 0, 2, 1, 2});
        write(ViciCodec.encodeFrame(ViciPacket.response(null)));

        assertThatThrownBy(() -> transport.receive(SECOND)).isInstanceOf(ViciProtocolException.class)
                .hasMessage("SECTION_END at offset 1 without an open section");
        assertThat(transport.receive(SECOND)).isEqualTo(ViciPacket.response(null));
    }

    @Test
    void theDaemonClosingIsAnEndOfFile() throws Exception {
        connectUnix();
        daemon.close();

        assertThatThrownBy(() -> transport.receive(SECOND)).isInstanceOf(EOFException.class)
                .hasMessage("VICI socket closed by the daemon");
    }

    @Test
    void theDaemonClosingMidPacket() throws Exception {
        connectUnix();
        write(new byte[] {0, 0, 0, 10, 1});
        daemon.close();

        assertThatThrownBy(() -> transport.receive(SECOND)).isInstanceOf(EOFException.class)
                .hasMessage("VICI socket closed by the daemon in the middle of a packet");
    }

    @Test
    void aMissingSocketIsAClearError() {
        Path missing = dir.resolve("missing.vici");

        assertThatThrownBy(() -> ViciSocketTransport.connect(UnixDomainSocketAddress.of(missing), SECOND))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot connect to VICI socket " + missing);
    }

    @Test
    void aSendTheDaemonDoesNotReadTimesOutAndClosesTheTransport() throws Exception {
        connectUnix();
        ViciPacket large = ViciPacket.request("load-cert", ViciMessageCodecTest.filler(ViciLimits.MAX_SEGMENT_LENGTH - 11));

        assertThatThrownBy(() -> transport.send(large, Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("VICI send of CMD_REQUEST timed out after PT0.2S");
        assertThat(transport.isOpen()).isFalse();
    }

    @Test
    void closingEndsABlockedReceive() throws Exception {
        connectUnix();
        Future<?> blocked = executor.submit(() -> transport.receive(Duration.ofSeconds(30)));
        Thread.sleep(100);

        transport.close();

        assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> transport.send(ViciPacket.register("log"), SECOND)).isInstanceOf(IOException.class);
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            daemon.write(b);
        }
    }

    private ViciPacket readFrame() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        readFully(header);
        ByteBuffer body = ByteBuffer.allocate(ViciCodec.segmentLength(header.flip().getInt()));
        readFully(body);
        return ViciCodec.decodePacket(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (daemon.read(b) < 0) {
                throw new EOFException();
            }
        }
    }
}
