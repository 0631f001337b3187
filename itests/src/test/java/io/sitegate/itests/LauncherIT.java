package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The distribution started the way a gateway starts it: bin/sitegate-launch, outside Pax Exam (which
 * uses its own launcher). Boots twice: the first clean stop writes the class archive, the second boot
 * uses it; both must reach READY with a clean log.
 */
public class LauncherIT {
    private static Path home;
    private static Path key;
    private static int port;

    @BeforeClass
    public static void unpack() throws Exception {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "launcher");
        run(List.of("rm", "-rf", dir.toString()), 30);
        Files.createDirectories(dir);
        run(List.of("tar", "xzf", System.getProperty("sitegate.distribution"), "-C", dir.toString()), 60);
        home = dir.resolve("sitegate-karaf-" + System.getProperty("sitegate.version"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("sshPort = 8101", "sshPort = " + port));
        key = dir.resolve("operator-key");
        run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString()), 30);
        String added = run(List.of(home.resolve("bin/sitegate-add-key").toString(), "operator", key + ".pub", "admin"), 30);
        assertTrue(added, added.contains("added ecdsa-sha2-nistp256 key for 'operator' as admin"));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (home != null) {
            run(List.of(home.resolve("bin/stop").toString()), 60);
        }
    }

    @Test
    public void bootsToReadyStopsCleanlyAndReusesItsClassArchive() throws Exception {
        Path archive = home.resolve("data/cds/sitegate.jsa");
        assertFalse("no archive before the first stop", Files.exists(archive));

        bootToReady();
        stopAndWait();
        assertTrue("the first clean stop writes the class archive", Files.size(archive) > 1_000_000);

        bootToReady();
        String status = ssh("sitegate:status");
        assertTrue(status, status.contains("Ready: yes (first ready"));
        stopAndWait();

        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertFalse("no class loading errors", log.contains("NoClassDefFoundError") || log.contains("ClassNotFoundException"));
        assertEquals("ready logged once per boot", 2, log.split("Sitegate ready ", -1).length - 1);
        assertFalse("no BouncyCastle JCE provider registered", log.contains("created instance of org.bouncycastle"));
    }

    private static void bootToReady() throws Exception {
        String out = run(List.of(home.resolve("bin/sitegate-launch").toString(), "start"), 30);
        long deadline = System.currentTimeMillis() + 90_000;
        String last = out;
        while (System.currentTimeMillis() < deadline) {
            last = ssh("sitegate:status --check");
            if (last.contains("READY") && !last.contains("NOT READY")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within 90 s: " + last + "\n" + tail(home.resolve("data/log/karaf.log")));
    }

    private static void stopAndWait() throws Exception {
        String pid = Files.readString(home.resolve("data/sitegate.pid")).trim();
        run(List.of(home.resolve("bin/stop").toString()), 60);
        long deadline = System.currentTimeMillis() + 60_000;
        while (Files.exists(Paths.get("/proc", pid)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertFalse("process " + pid + " exited", Files.exists(Paths.get("/proc", pid)));
    }

    private static String ssh(String command) throws Exception {
        return run(List.of("ssh", "-p", String.valueOf(port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
                "-o", "IdentitiesOnly=yes", "-i", key.toString(), "operator@127.0.0.1", command), 60);
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
