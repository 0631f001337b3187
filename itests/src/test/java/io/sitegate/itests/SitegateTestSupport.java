package io.sitegate.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;

/**
 * Boots the built Sitegate distribution (its tar.gz, not a stock Karaf) and talks to it the way an
 * operator does: over SSH with OpenSSH's client and a key listed in etc/keys.properties.
 * Runs partly in the test JVM (configuration) and partly inside the container (tests).
 */
public abstract class SitegateTestSupport {

    /** Operator keys and the SSH port, made once in the test JVM and handed to the container. */
    protected static Option[] distribution(Option... extra) {
        try {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"));
            Files.createDirectories(dir);
            Path admin = key(dir, "admin");
            Path viewer = key(dir, "viewer");
            int sshPort = freePort();
            List<Option> options = new ArrayList<>(List.of(
                    karafDistributionConfiguration()
                            .frameworkUrl("file:" + System.getProperty("sitegate.distribution"))
                            .name("Sitegate")
                            .karafVersion("4.4.10")
                            .unpackDirectory(dir.resolve("exam").toFile())
                            .useDeployFolder(false),
                    keepRuntimeFolder(),
                    configureConsole().ignoreLocalConsole(),
                    logLevel(LogLevelOption.LogLevel.WARN),
                    editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort)),
                    editConfigurationFilePut("etc/keys.properties", "itadmin", publicKey(admin) + ",_g_:admingroup"),
                    editConfigurationFilePut("etc/keys.properties", "itviewer", publicKey(viewer) + ",_g_:viewergroup"),
                    systemProperty("sitegate.it.sshPort").value(String.valueOf(sshPort)),
                    systemProperty("sitegate.it.adminKey").value(admin.toAbsolutePath().toString()),
                    systemProperty("sitegate.it.viewerKey").value(viewer.toAbsolutePath().toString())));
            options.addAll(List.of(extra));
            return options.toArray(Option[]::new);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot prepare the distribution: " + e, e);
        }
    }

    private static Path key(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + "-key");
        if (!Files.exists(key)) {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", name,
                    "-f", key.toString()).redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return key;
    }

    private static String publicKey(Path key) throws IOException {
        return Files.readString(Paths.get(key + ".pub")).trim().split("\\s+")[1];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What an SSH command printed and how it ended. */
    public record SshResult(int exit, String output) {
    }

    protected static SshResult ssh(String user, String keyProperty, String... extraAndCommand) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", System.getProperty("sitegate.it.sshPort"),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR"));
        if (keyProperty != null) {
            cmd.addAll(List.of("-o", "IdentitiesOnly=yes", "-i", System.getProperty(keyProperty)));
        }
        cmd.addAll(List.of(extraAndCommand).subList(0, extraAndCommand.length - 1));
        cmd.add(user + "@127.0.0.1");
        cmd.add(extraAndCommand[extraAndCommand.length - 1]);
        // The SSH server starts asynchronously after the boot: wait for it to listen.
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ssh " + String.join(" ", cmd) + " did not finish in 60 s");
            }
            // Karaf colours some messages: compare plain text
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
            SshResult r = new SshResult(p.exitValue(), out);
            if (!r.output().contains("Connection refused") || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.sleep(200);
        }
    }

    protected static SshResult asAdmin(String command) throws Exception {
        return ssh("itadmin", "sitegate.it.adminKey", command);
    }

    protected static SshResult asViewer(String command) throws Exception {
        return ssh("itviewer", "sitegate.it.viewerKey", command);
    }

    protected static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
