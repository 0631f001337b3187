package io.sitegate.itests;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A DNSSEC-signed zone and a validating resolver that serves it, for {@link DnssecIT}: the zone is signed
 * with {@code dnssec-keygen}/{@code dnssec-signzone} (package bind9-utils), one signature is then damaged on
 * purpose ({@link #TAMPERED}), and an {@code unbound} with the validator loads the signed file as an
 * {@code auth-zone} for its own resolution ({@code for-upstream: yes, for-downstream: no}) and trusts the
 * zone's key-signing key: it answers with RRSIGs and NSEC records for DO, sets AD on what it validated,
 * and returns the damaged record only to a query with CD. {@link #anchorFile()} is the same key as
 * {@code delv -a} reads it ({@code trust-anchors { ... static-key ... }}).
 *
 * <p>Started in the test JVM; stopped when it ends (the watchdog's stdin closes), however it ends.
 */
final class SignedZoneUpstream {

    static final String ZONE = "dnssec.it.example";
    /** A name whose RRSIG no longer matches its data. */
    static final String TAMPERED = "bad." + ZONE;

    private static final String WATCHDOG = String.join("\n",
            "\"$1\" -d -c \"$2\" </dev/null &",
            "server=$!",
            "cat > /dev/null",
            "kill $server",
            "wait $server");

    private final String address;
    private final int port;
    private final Path anchorFile;

    private SignedZoneUpstream(String address, int port, Path anchorFile) {
        this.address = address;
        this.port = port;
        this.anchorFile = anchorFile;
    }

    /** Signs the zone into {@code dir}, starts the resolver on {@code address} and returns once it serves. */
    static SignedZoneUpstream start(Path dir, String address, List<String> records) {
        try {
            Path d = dir.toAbsolutePath();
            if (Files.exists(d)) {
                try (var files = Files.list(d)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f); // old keys would be signed with too (dnssec-signzone -S)
                    }
                }
            }
            Files.createDirectories(d);
            List<String> zone = new ArrayList<>(List.of("$TTL 300",
                    ZONE + ". 300 IN SOA ns." + ZONE + ". hostmaster." + ZONE + ". 1 3600 900 604800 300",
                    ZONE + ". 300 IN NS ns." + ZONE + ".",
                    "ns." + ZONE + ". 300 IN A 192.0.2.53",
                    TAMPERED + ". 300 IN A 192.0.2.13"));
            zone.addAll(records);
            Files.write(d.resolve("zone.db"), zone, StandardCharsets.UTF_8);
            run(d, "dnssec-keygen", "-q", "-K", d.toString(), "-a", "ECDSAP256SHA256", "-f", "KSK", "-n", "ZONE", ZONE + ".");
            run(d, "dnssec-keygen", "-q", "-K", d.toString(), "-a", "ECDSAP256SHA256", "-n", "ZONE", ZONE + ".");
            run(d, "dnssec-signzone", "-S", "-K", d.toString(), "-O", "full", "-o", ZONE + ".", "-f", "signed.db", "zone.db");
            Path signed = d.resolve("signed.db");
            Files.write(signed, tamper(Files.readAllLines(signed)), StandardCharsets.UTF_8);
            Path anchor = d.resolve("anchor.conf");
            Files.writeString(anchor, anchor(d), StandardCharsets.UTF_8);
            int port = freePort(address);
            Path conf = d.resolve("unbound.conf");
            Files.write(conf, List.of(
                    "server:",
                    "  interface: " + address + "@" + port,
                    "  port: " + port,
                    "  do-daemonize: no",
                    "  use-systemd: no",
                    "  username: \"\"",
                    "  chroot: \"\"",
                    "  directory: \"" + d + "\"",
                    "  pidfile: \"\"",
                    "  use-syslog: no",
                    "  logfile: \"\"",
                    "  verbosity: 1",
                    "  val-log-level: 2",
                    "  num-threads: 1",
                    "  so-reuseport: no",
                    "  do-ip6: no",
                    "  module-config: \"validator iterator\"",
                    "  trust-anchor-file: \"" + d.resolve("ksk.dnskey") + "\"",
                    "  access-control: 127.0.0.0/8 allow",
                    "auth-zone:",
                    "  name: \"" + ZONE + ".\"",
                    "  zonefile: \"" + signed + "\"",
                    "  for-downstream: no",
                    "  for-upstream: yes",
                    "  fallback-enabled: no",
                    "remote-control:",
                    "  control-enable: no"), StandardCharsets.UTF_8);
            launch(d, conf);
            return new SignedZoneUpstream(address, port, anchor);
        } catch (IOException e) {
            throw new IllegalStateException("cannot sign and serve " + ZONE + ": " + e, e);
        }
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    /** The zone's trust anchor in delv's format. */
    Path anchorFile() {
        return anchorFile;
    }

    /** Damages the signature of {@link #TAMPERED}'s A record: one base64 character changed. */
    private static List<String> tamper(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean done = false;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 12 && f[0].equals(TAMPERED + ".") && f[3].equals("RRSIG") && f[4].equals("A")) {
                char c = f[12].charAt(5);
                f[12] = f[12].substring(0, 5) + (c == 'A' ? 'B' : 'A') + f[12].substring(6);
                line = String.join(" ", f);
                done = true;
            }
            out.add(line);
        }
        if (!done) {
            throw new IllegalStateException("no RRSIG of " + TAMPERED + " A in the signed zone");
        }
        return out;
    }

    /** The KSK as unbound's trust-anchor-file and delv's trust-anchors statement. */
    private static String anchor(Path d) throws IOException {
        for (Path key : (Iterable<Path>) Files.list(d).filter(p -> p.toString().endsWith(".key"))::iterator) {
            for (String line : Files.readAllLines(key)) {
                String[] f = line.trim().split("\\s+");
                // name [ttl] IN DNSKEY 257 3 13 base64...
                int i = List.of(f).indexOf("DNSKEY");
                if (!line.startsWith(";") && i > 0 && f[i + 1].equals("257")) {
                    Files.writeString(d.resolve("ksk.dnskey"), line + "\n");
                    String keyData = String.join("", List.of(f).subList(i + 4, f.length));
                    return "trust-anchors {\n  " + ZONE + ". static-key " + f[i + 1] + " " + f[i + 2] + " " + f[i + 3]
                            + " \"" + keyData + "\";\n};\n";
                }
            }
        }
        throw new IllegalStateException("no key-signing key in " + d);
    }

    private static void run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed (is bind9-utils installed?): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void launch(Path dir, Path conf) throws IOException {
        Path log = dir.resolve("unbound.log");
        Process watchdog = new ProcessBuilder("sh", "-c", WATCHDOG, "signed-zone-upstream", "unbound", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                watchdog.getOutputStream().close();
                watchdog.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                watchdog.destroyForcibly();
            }
        }, "stop-signed-zone-upstream"));
        long deadline = System.currentTimeMillis() + 20_000;
        try {
            while (!Files.readString(log).contains("start of service")) {
                if (!watchdog.isAlive() || System.currentTimeMillis() > deadline) {
                    watchdog.destroyForcibly();
                    throw new IllegalStateException("unbound did not start: " + Files.readString(log));
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watchdog.destroyForcibly();
            throw new IllegalStateException("interrupted while starting unbound", e);
        }
    }

    /** A port free for UDP and TCP on {@code address}, below the ephemeral range. */
    static int freePort(String address) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket t = new ServerSocket(port, 1, InetAddress.getByName(address));
                 DatagramSocket u = new DatagramSocket(new InetSocketAddress(address, port))) {
                return port;
            } catch (IOException e) {
                // taken: another
            }
        }
        throw new IOException("no free port on " + address);
    }
}
