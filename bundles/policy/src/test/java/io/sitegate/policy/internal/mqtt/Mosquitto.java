package io.sitegate.policy.internal.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto (Debian's 2.0.11, {@code apt-get install mosquitto}) on 127.0.0.1: a mutual-TLS
 * listener (certificate CN as user name, ACL {@code sitegate/%u/#}, user {@code operator} may use
 * all of {@code sitegate/#}) and a plain listener for the lab case. Started, killed with SIGKILL
 * and started again on the same ports.
 */
final class Mosquitto implements AutoCloseable {
    final int tlsPort;
    final int plainPort;
    private final Path conf;
    private final Path log;
    private Process process;

    Mosquitto(TestPki pki, Path dir) throws IOException {
        this.tlsPort = freePort();
        this.plainPort = freePort();
        this.conf = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user operator\ntopic readwrite sitegate/#\n\npattern readwrite sitegate/%u/#\n");
        Files.writeString(conf, String.join("\n",
                "user root",
                "per_listener_settings true",
                "persistence false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "log_timestamp_format %H:%M:%S",
                "",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.cert("ca"),
                "certfile " + pki.cert("server"),
                "keyfile " + pki.key("server"),
                "require_certificate true",
                "use_identity_as_username true",
                "acl_file " + acl,
                "",
                "listener " + plainPort + " 127.0.0.1",
                "allow_anonymous true",
                ""));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String tlsUri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    String plainUri() {
        return "tcp://127.0.0.1:" + plainPort;
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tlsPort), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on " + tlsPort + ": " + Files.readString(log));
    }

    /** SIGKILL: no goodbye to the clients. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
