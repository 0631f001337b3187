package io.sitegate.tools.ctl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto on 127.0.0.1 for {@link FleetIT}: a plain listener and a mutual-TLS listener with a CA made
 * here by the openssl CLI (as the policy bundle's ITs do). It runs under a watchdog shell that stops it when
 * this JVM ends, however it ends (its stdin closes).
 */
final class FleetBroker implements AutoCloseable {
    final int plainPort;
    final int tlsPort;
    final Path dir;
    private final Process watchdog;

    FleetBroker(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.plainPort = freePort();
        this.tlsPort = freePort();
        ca("ca", "Fleet IT CA");
        issue("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue("operator", "operator", "extendedKeyUsage=clientAuth\n");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user root", "per_listener_settings true", "persistence false", "log_dest stderr", "log_type error", "log_type warning",
                "max_queued_messages 10000",
                "listener " + plainPort + " 127.0.0.1", "allow_anonymous true", "max_connections -1",
                "listener " + tlsPort + " 127.0.0.1", "cafile " + cert("ca"), "certfile " + cert("server"),
                "keyfile " + key("server"), "require_certificate true", "use_identity_as_username true",
                "allow_anonymous false", ""));
        watchdog = new ProcessBuilder("sh", "-c", "mosquitto -c \"$1\" </dev/null & m=$!; cat >/dev/null; kill $m; wait $m", "sh",
                conf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tlsPort), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !watchdog.isAlive()) {
                    close();
                    throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    List<String> plain() {
        return List.of("--broker", "tcp://127.0.0.1:" + plainPort, "--plain");
    }

    List<String> tls() {
        return List.of("--broker", "ssl://127.0.0.1:" + tlsPort, "--ca", cert("ca").toString(), "--cert", cert("operator").toString(),
                "--key", key("operator").toString());
    }

    private void ca(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", cert(name).toString(), "-days", "2", "-subj", "/CN=" + cn);
    }

    private void issue(String name, String cn, String extensions) throws IOException, InterruptedException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", cert("ca").toString(), "-CAkey", key("ca").toString(),
                "-CAcreateserial", "-out", cert(name).toString(), "-days", "2", "-extfile", ext.toString());
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            watchdog.getOutputStream().close(); // the watchdog stops mosquitto
        } catch (IOException e) {
            watchdog.destroyForcibly();
        }
        watchdog.waitFor(10, TimeUnit.SECONDS);
    }
}
