package io.sitegate.itests;

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
import java.util.function.Predicate;

/**
 * The built distribution unpacked into a folder of its own and started the way a gateway starts it,
 * with bin/sitegate-launch (Pax Exam uses its own launcher), reached over SSH with an operator key on
 * a free port.
 */
final class LaunchedGateway {
    final Path dir;
    final Path home;
    private final Path key;
    private final int port;

    private LaunchedGateway(Path dir, Path home, Path key, int port) {
        this.dir = dir;
        this.home = home;
        this.key = key;
        this.port = port;
    }

    /** Unpacks a fresh copy under {@code sitegate.it.dir/<name>} with an admin key for user 'operator'. */
    static LaunchedGateway unpack(String name) throws Exception {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), name);
        run(List.of("rm", "-rf", dir.toString()), 30);
        Files.createDirectories(dir);
        run(List.of("tar", "xzf", System.getProperty("sitegate.distribution"), "-C", dir.toString()), 60);
        Path home = dir.resolve("sitegate-karaf-" + System.getProperty("sitegate.version"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("sshPort = 8101", "sshPort = " + port));
        Path key = dir.resolve("operator-key");
        run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString()), 30);
        String added = run(List.of(home.resolve("bin/sitegate-add-key").toString(), "operator", key + ".pub", "admin"), 30);
        assertTrue(added, added.contains("added ecdsa-sha2-nistp256 key for 'operator' as admin"));
        return new LaunchedGateway(dir, home, key, port);
    }

    /** {@code bin/sitegate-launch start}; returns what it printed. */
    String start() throws Exception {
        return run(List.of(home.resolve("bin/sitegate-launch").toString(), "start"), 30);
    }

    /** {@code bin/sitegate-launch start} as another (system) user, through runuser; returns what it printed. */
    String startAs(String user) throws Exception {
        return run(List.of("runuser", "-u", user, "--", home.resolve("bin/sitegate-launch").toString(), "start"), 30);
    }

    /** The pid of the running gateway, from data/sitegate.pid. */
    String pid() throws Exception {
        String pid = Files.readString(home.resolve("data/sitegate.pid")).trim();
        assertTrue(pid, pid.matches("\\d+"));
        return pid;
    }

    /** {@code bin/stop}, then waits for the process to exit (asserted). */
    void stop() throws Exception {
        String pid = pid();
        run(List.of(home.resolve("bin/stop").toString()), 60);
        assertFalse("process " + pid + " exited", awaitExit(pid, 60_000));
    }

    /** {@code kill -9}, then waits for the process to be gone (asserted). */
    void killNine() throws Exception {
        String pid = pid();
        run(List.of("kill", "-9", pid), 10);
        assertFalse("process " + pid + " killed", awaitExit(pid, 20_000));
    }

    /** For @AfterClass: stops a running gateway whatever happened, kill -9 as a last resort. */
    void stopQuietly() throws Exception {
        if (!Files.exists(home.resolve("data/sitegate.pid"))) {
            return;
        }
        String pid = Files.readString(home.resolve("data/sitegate.pid")).trim();
        run(List.of(home.resolve("bin/stop").toString()), 60);
        if (awaitExit(pid, 30_000)) {
            run(List.of("kill", "-9", pid), 10);
        }
    }

    /** Whether the process is still there after waiting up to {@code timeoutMs}. */
    private static boolean awaitExit(String pid, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (Files.exists(Paths.get("/proc", pid)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        return Files.exists(Paths.get("/proc", pid));
    }

    /** Runs a shell command over SSH as 'operator'; output without colour codes. */
    String ssh(String command) throws Exception {
        return run(List.of("ssh", "-p", String.valueOf(port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
                "-o", "IdentitiesOnly=yes", "-i", key.toString(), "operator@127.0.0.1", command), 60);
    }

    /** Repeats an SSH command until its output satisfies the condition (90 s at most). */
    String awaitShell(String what, String command, Predicate<String> condition) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = ssh(command);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last '" + command + "':\n" + last + "\n" + tail());
    }

    /** The last 30 lines of data/log/karaf.log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("data/log/karaf.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
    }
}
