package io.sitegate.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import io.sitegate.policy.PolicyKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ops4j.pax.exam.Option;

/**
 * A real mosquitto on 127.0.0.1 for the policy agent's tests, started in the test JVM (from a {@code @Configuration}),
 * with a policy signing key whose public half the gateway trusts. Mutual TLS uses a CA made for the run with openssl:
 * the gateway's certificate (CN {@code sitegate}, its id) may use its own topics and read its groups', the operator's
 * ({@code operator.crt}) everything. mosquitto runs under a watchdog shell that stops it when the test JVM ends,
 * however it ends (its stdin closes).
 */
final class PolicyBroker {
    final Path dir;
    final int port;
    private final Process watchdog;

    private PolicyBroker(Path dir, int port, Process watchdog) {
        this.dir = dir;
        this.port = port;
        this.watchdog = watchdog;
    }

    static PolicyBroker start(String name, boolean mutualTls) throws Exception {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), name).toAbsolutePath();
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String conf;
        if (mutualTls) {
            pki(dir, "ca", null, null);
            pki(dir, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            pki(dir, "sitegate", "sitegate", "extendedKeyUsage=clientAuth\n");
            pki(dir, "operator", "operator", "extendedKeyUsage=clientAuth\n");
            Path acl = Files.writeString(dir.resolve("acl"), "user operator\ntopic readwrite sitegate/#\n\n"
                    + "pattern readwrite sitegate/%u/#\npattern read sitegate/group/#\n");
            // user root: mosquitto started as root would otherwise drop to 'mosquitto', which cannot read the keys
            conf = String.join("\n", "user root", "per_listener_settings true", "listener " + port + " 127.0.0.1",
                    "cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"), "keyfile " + dir.resolve("server.key"),
                    "require_certificate true", "use_identity_as_username true", "acl_file " + acl, "");
        } else {
            conf = "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
        }
        Path confFile = Files.writeString(dir.resolve("mosquitto.conf"), conf);
        Process p = new ProcessBuilder("sh", "-c", "mosquitto -c \"$1\" </dev/null & m=$!; cat >/dev/null; kill $m; wait $m", "sh",
                confFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        PolicyBroker broker = new PolicyBroker(dir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        return broker;
    }

    /**
     * The distribution options of an agent on this broker (confirm window 8 s), trusting a new key {@code it} whose
     * private half is at {@code <props>.key}; the port and folder are {@code <props>.port} and {@code <props>.dir}.
     */
    Option[] agentOptions(String props, boolean mutualTls, Option... extra) throws Exception {
        KeyPair keys = PolicyKeys.generate();
        Path pub = Files.writeString(dir.resolve("it.pem"), PolicyKeys.toPem(keys.getPublic()));
        Path priv = Files.writeString(dir.resolve("it.key"), PolicyKeys.toPem(keys.getPrivate()));
        String cfg = "etc/io.sitegate.policy.cfg";
        List<Option> options = new ArrayList<>(List.of(
                replaceConfigurationFile("etc/policy-keys/it.pem", pub.toFile()),
                editConfigurationFilePut(cfg, "confirmWindow", "8"),
                systemProperty(props + ".port").value(String.valueOf(port)),
                systemProperty(props + ".key").value(priv.toString()),
                systemProperty(props + ".dir").value(dir.toString())));
        if (mutualTls) {
            options.add(editConfigurationFilePut(cfg, "broker", "ssl://127.0.0.1:" + port));
            options.add(editConfigurationFilePut(cfg, "tls.ca", dir.resolve("ca.crt").toString()));
            options.add(editConfigurationFilePut(cfg, "tls.cert", dir.resolve("sitegate.crt").toString()));
            options.add(editConfigurationFilePut(cfg, "tls.key", dir.resolve("sitegate.key").toString()));
        } else {
            options.add(editConfigurationFilePut(cfg, "broker", "tcp://127.0.0.1:" + port));
            options.add(editConfigurationFilePut(cfg, "allowPlainTcp", "true"));
        }
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    void stop() {
        try {
            watchdog.getOutputStream().close(); // the watchdog stops mosquitto
            watchdog.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            watchdog.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A CA ({@code subject} null) or a certificate it issues, with the openssl CLI: EC P-256, PKCS#8 PEM. */
    private static void pki(Path dir, String name, String subject, String extensions) throws Exception {
        List<List<String>> steps = new ArrayList<>();
        String key = dir.resolve(name + ".key").toString();
        String crt = dir.resolve(name + ".crt").toString();
        if (subject == null) {
            steps.add(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=Sitegate policy test CA"));
        } else {
            String csr = dir.resolve(name + ".csr").toString();
            Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions);
            steps.add(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", csr, "-subj", "/CN=" + subject));
            steps.add(List.of("openssl", "x509", "-req", "-in", csr, "-CA", dir.resolve("ca.crt").toString(), "-CAkey",
                    dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext.toString()));
        }
        for (List<String> step : steps) {
            Process p = new ProcessBuilder(step).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue("openssl: " + out, p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        }
    }
}
