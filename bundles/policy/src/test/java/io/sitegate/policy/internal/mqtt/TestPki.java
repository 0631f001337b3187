package io.sitegate.policy.internal.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the openssl CLI: the broker's CA, a server certificate for 127.0.0.1
 * (IP SAN), client certificates (CN = gateway id) and a second, untrusted CA with its own client
 * certificate. EC P-256 keys, PKCS#8 PEM.
 */
final class TestPki {
    final Path dir;

    TestPki(Path dir) {
        this.dir = dir;
    }

    static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki p = new TestPki(dir);
        p.ca("ca", "Sitegate Test CA");
        p.ca("other-ca", "Some Other CA");
        p.issue("ca", "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        p.issue("ca", "gw1", "gw1", "extendedKeyUsage=clientAuth\n");
        p.issue("ca", "operator", "operator", "extendedKeyUsage=clientAuth\n");
        p.issue("other-ca", "gw1-other", "gw1", "extendedKeyUsage=clientAuth\n");
        return p;
    }

    Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private void ca(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", cert(name).toString(), "-days", "2", "-subj", "/CN=" + cn);
    }

    private void issue(String ca, String name, String cn, String extensions) throws IOException, InterruptedException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", cert(ca).toString(), "-CAkey", key(ca).toString(),
                "-CAcreateserial", "-out", cert(name).toString(), "-days", "2", "-extfile", ext.toString());
    }

    void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: "
                    + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
