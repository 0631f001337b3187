package io.sitegate.tunnel.internal.openvpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management client against a fake OpenVPN on a UNIX socket: each test plays OpenVPN's side line by line
 * (management-notes "OUTPUT FORMAT": SUCCESS/ERROR lines, END after multi-line output, real-time messages at any
 * time, also in the middle of a command's answer).
 */
class ManagementClientTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private SocketChannel openvpn;
    private BufferedReader fromClient;
    private OutputStream toClient;
    private ManagementClient client;
    private final BlockingQueue<ManagementMessage> messages = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect() throws Exception {
        Path socket = dir.resolve("mgmt.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        client = ManagementClient.connect(socket, messages::add);
        openvpn = server.accept();
        fromClient = new BufferedReader(new InputStreamReader(Channels.newInputStream(openvpn), StandardCharsets.UTF_8));
        toClient = Channels.newOutputStream(openvpn);
        send(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info");
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        openvpn.close();
        server.close();
    }

    private void send(String... lines) throws IOException {
        toClient.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        toClient.flush();
    }

    private ManagementMessage message() throws InterruptedException {
        ManagementMessage m = messages.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a real-time message within 5 s").isNotNull();
        return m;
    }

    @Test
    void aCommandGetsItsAnswerAndRealTimeMessagesGoToTheListener() throws Exception {
        Thread openvpnSide = new Thread(() -> {
            try {
                assertThat(fromClient.readLine()).isEqualTo("state on");
                send(">STATE:1733300000,CONNECTING,,,,,,,", "SUCCESS: real-time state notification set to ON");
                assertThat(fromClient.readLine()).isEqualTo("bytecount 5");
                send("ERROR: bytecount not allowed here");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        openvpnSide.start();

        assertThat(client.command(ManagementCommands.stateOn(), LONG))
                .isEqualTo(new ManagementClient.Reply(true, "real-time state notification set to ON", List.of()));
        assertThat(client.command(ManagementCommands.bytecount(5), LONG))
                .isEqualTo(new ManagementClient.Reply(false, "bytecount not allowed here", List.of()));
        openvpnSide.join(5000);

        assertThat(message()).isInstanceOf(ManagementMessage.Other.class);
        assertThat(((ManagementMessage.State) message()).state()).isEqualTo("CONNECTING");
    }

    @Test
    void multiLineOutputEndsAtEndWithRealTimeMessagesInBetween() throws Exception {
        Thread openvpnSide = new Thread(() -> {
            try {
                assertThat(fromClient.readLine()).isEqualTo("state all");
                send("1733300000,CONNECTING,,,,,,,", ">BYTECOUNT:10,20", "1733300002,CONNECTED,SUCCESS,10.8.0.6,198.51.100.7,1194,,,",
                        "END");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        openvpnSide.start();

        ManagementClient.Reply r = client.commandLines("state all", LONG);

        assertThat(r.success()).isTrue();
        assertThat(r.lines()).hasSize(2).last().asString().contains("CONNECTED");
        message(); // the welcome
        assertThat(message()).isEqualTo(new ManagementMessage.ByteCount(10, 20));
        openvpnSide.join(5000);
    }

    @Test
    void noAnswerInTimeClosesTheClientSoALateAnswerIsNeverTakenForTheNextCommand() throws Exception {
        assertThatThrownBy(() -> client.command("signal SIGUSR1", Duration.ofMillis(200)))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("signal SIGUSR1");
        assertThat(fromClient.readLine()).isEqualTo("signal SIGUSR1");
        assertThat(fromClient.readLine()).as("the client hung up: the late answer has nobody to reach").isNull();

        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.command("state on", SECOND)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void openVpnGoingAwayMidCommandIsAClearErrorAndNoThreadIsLeft() throws Exception {
        Thread openvpnSide = new Thread(() -> {
            try {
                fromClient.readLine();
                openvpn.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        openvpnSide.start();

        assertThatThrownBy(() -> client.command("hold release", LONG)).isInstanceOf(IOException.class)
                .hasMessageContaining("OpenVPN closed the connection");
        openvpnSide.join(5000);
        client.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sitegate-openvpn-mgmt-"));
    }

    @Test
    void unexpectedLinesAreReportedAndTheSessionGoesOn() throws Exception {
        send(">BYTECOUNT:not,numbers", ">STATE:", ">HOLD:Waiting for hold release:10");

        assertThat(message()).isInstanceOf(ManagementMessage.Other.class); // the welcome
        assertThat(message()).isEqualTo(new ManagementMessage.Hold("Waiting for hold release:10", java.util.Optional.of(10)));
        assertThat(client.isOpen()).isTrue();
        Thread openvpnSide = new Thread(() -> {
            try {
                fromClient.readLine();
                send("something that is no answer");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        openvpnSide.start();
        assertThatThrownBy(() -> client.command("hold release", LONG)).isInstanceOf(ManagementProtocolException.class)
                .hasMessageContaining("unexpected answer to 'hold release'");
        assertThat(client.isOpen()).isFalse();
        openvpnSide.join(5000);
    }

    @Test
    void anEndlessLineClosesTheClient() throws Exception {
        byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i <= ManagementClient.MAX_LINE / chunk.length; i++) {
            toClient.write(chunk);
        }
        toClient.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.isOpen()).isFalse();
        assertThat(client.closeReason()).contains("longer than");
    }

    @Test
    void aCommandIsOneLineAndTheSecretIsNotInTheTimeoutMessage() {
        assertThatThrownBy(() -> client.command("state on\nsignal SIGTERM", SECOND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.command(ManagementCommands.password("Auth", "s3cret"), Duration.ofMillis(100)))
                .isInstanceOf(SocketTimeoutException.class).message().doesNotContain("s3cret").contains("<redacted>");
    }

    @Test
    void aMissingSocketSaysWhichPath() {
        Path missing = dir.resolve("none.sock");
        assertThatThrownBy(() -> ManagementClient.connect(missing, m -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }
}
