package io.sitegate.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real upstream DNS server for the forwarder: an {@code unbound} process that answers authoritatively
 * from local data (no recursion: every name outside its zones is NXDOMAIN), on 127.0.0.x addresses and a
 * free high port, over UDP and TCP, or over TLS (RFC 7858) with a certificate from a {@link TestCa}.
 *
 * <p>Started in the test JVM (configuration), like the modem simulators. The tests inside the container
 * stop and restart an upstream through a small control channel of the test JVM ({@link #serveControl()}
 * there, {@link Control} in the container), one line per connection: {@code stop <name>} or
 * {@code start <name>}, answered {@code ok} once done or {@code error: <why>}.
 */
final class DnsUpstream {

    /**
     * A zone served authoritatively ({@code local-zone: static}): its records, in presentation format with
     * absolute names; names below it that have no record are NXDOMAIN, with the zone's SOA if it has one.
     */
    record Zone(String name, List<String> records) {
    }

    /** {@code sh -c} script: $1 unbound, $2 configuration, $3 pid file. Stops unbound when its stdin closes. */
    private static final String WATCHDOG = String.join("\n",
            "\"$1\" -d -c \"$2\" </dev/null &",
            "server=$!",
            "echo $server > \"$3\"",
            "cat > /dev/null",
            "kill $server",
            "wait $server");
    private static final Map<String, DnsUpstream> STARTED = new ConcurrentHashMap<>();
    private static ServerSocket control;

    private final String name;
    private final List<String> addresses;
    private final int port;
    private final String tlsName;
    private final Path dir;
    private final Path conf;
    private final Path pidFile;
    private Process watchdog;
    private int starts;

    private DnsUpstream(String name, List<String> addresses, int port, String tlsName, Path dir) {
        this.name = name;
        this.addresses = List.copyOf(addresses);
        this.port = port;
        this.tlsName = tlsName;
        this.dir = dir;
        this.conf = dir.resolve("unbound.conf");
        this.pidFile = dir.resolve("unbound.pid");
    }

    /**
     * Writes {@code <parent>/<name>/unbound.conf} and starts unbound, on a port free on every address; returns
     * once it serves. It is stopped when this JVM ends, however it ends.
     *
     * @param tls the server certificate for DNS over TLS on that port, or null for plain UDP and TCP
     */
    static DnsUpstream start(Path parent, String name, List<String> addresses, TestCa.ServerCertificate tls,
                             String tlsName, List<Zone> zones) {
        try {
            Path dir = parent.resolve(name).toAbsolutePath();
            Files.createDirectories(dir);
            DnsUpstream upstream = new DnsUpstream(name, addresses, freePort(addresses), tls == null ? null : tlsName, dir);
            Files.write(upstream.conf, upstream.configuration(tls, zones), StandardCharsets.UTF_8);
            upstream.stopLeftover();
            upstream.launch();
            STARTED.put(name, upstream);
            return upstream;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the DNS upstream " + name + ": " + e, e);
        }
    }

    /** What the control channel knows it by. */
    String name() {
        return name;
    }

    /** The first address. */
    String address() {
        return addresses.get(0);
    }

    int port() {
        return port;
    }

    /** As the forwarder's configuration names it: {@code udp://a:p} or {@code tls://a:p#name}, on the first address. */
    String spec() {
        return spec(address());
    }

    /** As the forwarder's configuration names it, on one of the upstream's addresses. */
    String spec(String address) {
        return tlsName == null ? "udp://" + address + ":" + port : "tls://" + address + ":" + port + "#" + tlsName;
    }

    private List<String> configuration(TestCa.ServerCertificate tls, List<Zone> zones) {
        List<String> c = new ArrayList<>(List.of("server:"));
        for (String a : addresses) {
            c.add("  interface: " + a + "@" + port);
        }
        c.add("  port: " + port);
        if (tls != null) {
            c.add("  tls-port: " + port);
            c.add("  tls-service-key: \"" + tls.key().toAbsolutePath() + "\"");
            c.add("  tls-service-pem: \"" + tls.certificate().toAbsolutePath() + "\"");
        }
        c.addAll(List.of(
                "  do-daemonize: no",
                "  use-systemd: no",
                "  username: \"\"",
                "  chroot: \"\"",
                "  directory: \"" + dir + "\"",
                "  pidfile: \"\"",
                "  use-syslog: no",
                "  logfile: \"\"",
                "  log-queries: yes",
                "  verbosity: 1",
                "  num-threads: 1",
                "  so-reuseport: no",
                "  do-ip6: no",
                "  module-config: \"iterator\"",
                "  access-control: 127.0.0.0/8 allow",
                // no recursion to the internet: a name outside the zones below is NXDOMAIN
                "  local-zone: \".\" static"));
        for (Zone z : zones) {
            c.add("  local-zone: \"" + z.name() + ".\" static");
            for (String r : z.records()) {
                if (r.contains("'")) {
                    throw new IllegalArgumentException("unbound local-data cannot hold a single quote: " + r);
                }
                c.add("  local-data: '" + r + "'");
            }
        }
        c.addAll(List.of("remote-control:", "  control-enable: no"));
        return c;
    }

    private synchronized void launch() throws IOException {
        if (watchdog != null && watchdog.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        Path log = dir.resolve("unbound-" + ++starts + ".log");
        watchdog = new ProcessBuilder("sh", "-c", WATCHDOG, "dns-upstream-" + name, "unbound", conf.toString(),
                pidFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process started = watchdog;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "stop-dns-upstream-" + name));
        long deadline = System.currentTimeMillis() + 20_000;
        try {
            while (!Files.readString(log).contains("start of service")) {
                if (!watchdog.isAlive() || System.currentTimeMillis() > deadline) {
                    stop(watchdog);
                    throw new IllegalStateException("unbound " + name + " did not start: " + Files.readString(log));
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(watchdog);
            throw new IllegalStateException("interrupted while starting unbound " + name, e);
        }
    }

    /** Stops unbound; it no longer answers on its port once this returns. */
    synchronized void stop() {
        if (watchdog != null) {
            stop(watchdog);
            watchdog = null;
        }
    }

    /** Starts it again, same addresses, port and data; returns once it serves. */
    synchronized void restart() throws IOException {
        launch();
    }

    /** Closing the watchdog's stdin makes it stop unbound with SIGTERM and wait for it. */
    private static void stop(Process watchdog) {
        try {
            watchdog.getOutputStream().close();
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            watchdog.destroyForcibly();
        }
    }

    /** Stops the unbound a previous run left behind with this configuration (its watchdog killed by SIGKILL). */
    private void stopLeftover() throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).strip();
        Files.delete(pidFile);
        if (!pid.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid))
                .filter(h -> h.info().commandLine().map(c -> c.contains("unbound") && c.contains(conf.toString()))
                        .orElse(false))
                .ifPresent(h -> {
                    h.destroy();
                    h.onExit().join();
                });
    }

    /** A port free for UDP and TCP on every address. */
    private static int freePort(List<String> addresses) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
                candidate = s.getLocalPort();
            }
            if (freeEverywhere(addresses, candidate)) {
                return candidate;
            }
        }
        throw new IOException("no port free on all of " + addresses);
    }

    private static boolean freeEverywhere(List<String> addresses, int port) {
        for (String a : addresses) {
            try (ServerSocket tcp = new ServerSocket();
                 DatagramSocket udp = new DatagramSocket(null)) {
                tcp.bind(new InetSocketAddress(a, port));
                udp.bind(new InetSocketAddress(a, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    // --- the control channel ---

    /** Starts (once per JVM) the control channel of the upstreams started in this JVM; returns its port. */
    static synchronized int serveControl() {
        if (control == null) {
            try {
                control = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException("cannot open the DNS upstream control channel: " + e, e);
            }
            Thread t = new Thread(DnsUpstream::acceptCommands, "dns-upstream-control");
            t.setDaemon(true);
            t.start();
        }
        return control.getLocalPort();
    }

    private static void acceptCommands() {
        while (true) {
            try (Socket s = control.accept()) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println(execute(in.readLine()));
            } catch (IOException e) {
                if (control.isClosed()) {
                    return;
                }
            }
        }
    }

    private static String execute(String line) {
        String[] words = line == null ? new String[0] : line.trim().split("\\s+");
        if (words.length != 2) {
            return "error: expected 'stop <name>' or 'start <name>', got '" + line + "'";
        }
        DnsUpstream upstream = STARTED.get(words[1]);
        if (upstream == null) {
            return "error: no upstream " + words[1] + " (" + STARTED.keySet() + ")";
        }
        try {
            switch (words[0]) {
                case "stop" -> upstream.stop();
                case "start" -> upstream.restart();
                default -> {
                    return "error: unknown command " + words[0];
                }
            }
            return "ok";
        } catch (IOException | RuntimeException e) {
            return "error: " + e;
        }
    }

    /** The client of the control channel, used inside the container. */
    static final class Control {
        private final int port;

        Control(int port) {
            this.port = port;
        }

        /** Stops the upstream called {@code name}; it no longer answers once this returns. */
        void stop(String name) {
            send("stop " + name);
        }

        /** Starts the upstream called {@code name} again; it answers once this returns. */
        void start(String name) {
            send("start " + name);
        }

        private void send(String command) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(30_000);
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.println(command);
                String answer = in.readLine();
                if (!"ok".equals(answer)) {
                    throw new AssertionError("DNS upstream control refused '" + command + "': " + answer);
                }
            } catch (IOException e) {
                throw new AssertionError("DNS upstream control on port " + port + " failed for '" + command + "': " + e, e);
            }
        }
    }
}
