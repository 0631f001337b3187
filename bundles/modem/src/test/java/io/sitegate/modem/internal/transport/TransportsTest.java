package io.sitegate.modem.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sitegate.modem.AtChannelClosedException;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtTransport;
import io.sitegate.modem.ChannelState;
import io.sitegate.modem.TransportClosedException;
import io.sitegate.modem.internal.session.AtSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {

    @Test
    void parsesPortStrings() {
        assertThat(Transports.fromPort("tcp://127.0.0.1:4001").describe()).isEqualTo("tcp://127.0.0.1:4001");
        assertThat(Transports.fromPort("/dev/ttyUSB2").describe()).isEqualTo("serial:/dev/ttyUSB2@115200");
        assertThat(Transports.fromPort("serial:/dev/ttyS1?baud=9600&flow=rtscts").describe()).isEqualTo("serial:/dev/ttyS1@9600");
        assertThatThrownBy(() -> Transports.fromPort("tcp://host")).hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> Transports.fromPort("COM3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transports.fromPort("/dev/ttyS1?flow=xonxoff")).hasMessageContaining("flow");
    }

    @Test
    void tcpRoundTripAndPeerCloseSurfacesAsFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtTransport tcp = new TcpTransport("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2));
            tcp.open();
            try (Socket peer = server.accept(); AtSession session = new AtSession(tcp, Set.of())) {
                Thread modem = new Thread(() -> serveOnce(peer));
                modem.start();
                assertThat(session.execute(AtCommand.of("AT+CGMI")).lines()).containsExactly("Quectel");
                modem.join(2000);
                peer.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (session.state() == ChannelState.OPEN && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(session.state()).isEqualTo(ChannelState.FAILED);
                assertThatThrownBy(() -> session.execute(AtCommand.of("AT"))).isInstanceOf(AtChannelClosedException.class);
            }
        }
    }

    @Test
    void tcpConnectFailureNamesTheEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TcpTransport tcp = new TcpTransport("127.0.0.1", port, Duration.ofSeconds(1));
        assertThatThrownBy(tcp::open).hasMessageContaining("tcp://127.0.0.1:" + port);
    }

    @Test
    void serialOverPtyRoundTripAndUnplug(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat not installed");
        Path host = dir.resolve("host");
        Path modemSide = dir.resolve("modem");
        Process socat = new ProcessBuilder("/usr/bin/socat", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + modemSide)
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(Files.exists(host) && Files.exists(modemSide)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            SerialTransport serial = new SerialTransport(new SerialSettings(host.toRealPath().toString(), 115200,
                    SerialSettings.FlowControl.NONE));
            serial.open();
            try (AtSession session = new AtSession(serial, Set.of());
                 var modemIn = Files.newInputStream(modemSide); var modemOut = Files.newOutputStream(modemSide)) {
                Thread modem = new Thread(() -> {
                    try {
                        byte[] buf = new byte[64];
                        int n = modemIn.read(buf);
                        if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("AT+CIMI")) {
                            modemOut.write("\r\n262011234567890\r\n\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII));
                            modemOut.flush();
                        }
                    } catch (Exception ignored) {
                        // the test asserts on the session side
                    }
                });
                modem.start();
                assertThat(session.execute(AtCommand.of("AT+CIMI")).lines()).containsExactly("262011234567890");
                modem.join(2000);
                socat.destroy(); // the pty pair disappears, as a modem does on USB unplug
                socat.waitFor(5, TimeUnit.SECONDS);
                long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (session.state() == ChannelState.OPEN && System.nanoTime() < gone) {
                    Thread.sleep(20);
                }
                assertThat(session.state()).isEqualTo(ChannelState.FAILED);
                assertThat(session.failure()).get().isInstanceOf(TransportClosedException.class);
            }
        } finally {
            socat.destroyForcibly();
        }
    }

    private static void serveOnce(Socket peer) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = peer.getOutputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            if (line.toString().equals("AT+CGMI")) {
                out.write("AT+CGMI\r\r\nQuectel\r\n\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII)); // with echo
                out.flush();
            }
        } catch (Exception ignored) {
            // the test asserts on the session side
        }
    }
}
