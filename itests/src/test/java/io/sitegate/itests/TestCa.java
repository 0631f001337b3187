package io.sitegate.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the {@code openssl} command in a directory of its own, and
 * the server certificates it issues (EC P-256, valid two days). Used in the test JVM to give a DNS-over-TLS
 * upstream a certificate, and to make a second, unrelated CA that such a certificate does not chain to.
 */
final class TestCa {

    /** A server key and certificate, both PEM files. */
    record ServerCertificate(Path key, Path certificate) {
    }

    private final Path dir;
    private final Path key;
    private final Path certificate;

    private TestCa(Path dir) {
        this.dir = dir;
        this.key = dir.resolve("ca.key");
        this.certificate = dir.resolve("ca.pem");
    }

    /** Makes a new CA (a new key every time) in {@code dir}, replacing whatever was there. */
    static TestCa create(Path dir, String commonName) {
        TestCa ca = new TestCa(dir);
        try {
            Files.createDirectories(dir);
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", ca.key.toString(), "-out", ca.certificate.toString(), "-days", "2",
                    "-subj", "/CN=" + commonName,
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            return ca;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test CA " + commonName + " in " + dir + ": " + e, e);
        }
    }

    /** The CA certificate (PEM): what a client that trusts this CA is given. */
    Path certificate() {
        return certificate;
    }

    /** Issues a TLS server certificate for {@code dnsName} (its only subject alternative name). */
    ServerCertificate issue(String dnsName) {
        try {
            Path serverKey = dir.resolve(dnsName + ".key");
            Path csr = dir.resolve(dnsName + ".csr");
            Path serverCert = dir.resolve(dnsName + ".pem");
            Path extensions = dir.resolve(dnsName + ".ext");
            Files.write(extensions, List.of(
                    "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical,digitalSignature",
                    "extendedKeyUsage=serverAuth",
                    "subjectAltName=DNS:" + dnsName), StandardCharsets.US_ASCII);
            openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", serverKey.toString(), "-out", csr.toString(), "-subj", "/CN=" + dnsName);
            openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", certificate.toString(), "-CAkey", key.toString(),
                    "-set_serial", String.valueOf(System.nanoTime() & Long.MAX_VALUE),
                    "-out", serverCert.toString(), "-days", "2", "-extfile", extensions.toString());
            return new ServerCertificate(serverKey, serverCert);
        } catch (IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + dnsName + ": " + e, e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
