package io.sitegate.tunnel.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of {@code tools/lab/tunnels.sh} for an IT class: {@code up} with a unique prefix in a fresh
 * directory, {@code down} on {@link #close()} and from a JVM shutdown hook (a killed or failing test run leaves no
 * namespace or daemon behind). It never skips: without root, charon or openvpn the tests fail with a message.
 */
final class TunnelLab implements AutoCloseable {

    /** The result of a command: exit code and its output (stdout and stderr together). */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    final String prefix;
    final Path dir;
    final Path script;
    final Map<String, String> env;
    private final Thread hook;
    private boolean closed;

    private TunnelLab(String prefix, Path dir, Path script, Map<String, String> env, Thread hook) {
        this.prefix = prefix;
        this.dir = dir;
        this.script = script;
        this.env = env;
        this.hook = hook;
    }

    /**
     * Builds the lab.
     *
     * @param name 1-2 letters for the prefix; the process id makes it unique per JVM
     */
    static TunnelLab up(String name) throws IOException {
        checkPrerequisites();
        Path script = repoRoot().resolve("tools/lab/tunnels.sh");
        String prefix = name + (ProcessHandle.current().pid() % 10_000);
        // under the module's target/ (kept after the run for its logs, gone with mvn clean); short: socket paths
        Path target = Path.of(System.getProperty("user.dir"), "target").toAbsolutePath();
        Path dir = Files.isDirectory(target) ? Files.createDirectories(target.resolve("tunnel-lab").resolve(prefix))
                : Files.createTempDirectory("sitegate-lab-" + prefix + "-");
        run(List.of(script.toString(), "down", prefix, dir.toString()), 30); // a stale lab of a recycled pid
        Thread hook = new Thread(() -> {
            try {
                run(List.of(script.toString(), "down", prefix, dir.toString()), 30);
            } catch (IOException e) {
                // the JVM ends: nothing more to do
            }
        }, "tunnel-lab-down-" + prefix);
        Runtime.getRuntime().addShutdownHook(hook);
        Result r = run(List.of(script.toString(), "up", prefix, dir.toString()), 60);
        if (!r.ok()) {
            throw new AssertionError("tools/lab/tunnels.sh up " + prefix + " " + dir + " failed (exit " + r.exit() + "):\n" + r.output());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("lab.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new TunnelLab(prefix, dir, script, env, hook);
    }

    /** A value of lab.env; fails when the key is missing. */
    String get(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new AssertionError("lab.env has no " + key + ": " + env.keySet());
        }
        return v;
    }

    /** Runs a lab subcommand (stop-vpn, start-vpn, restart-gw-charon, status) and fails when it fails. */
    Result lab(String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(script.toString(), command, prefix, dir.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 60);
        if (!r.ok()) {
            throw new AssertionError("tunnels.sh " + command + " failed (exit " + r.exit() + "):\n" + r.output());
        }
        return r;
    }

    /** Runs a command inside one of the lab's namespaces (the key of lab.env, e.g. LAN_NS). */
    Result inNs(String nsKey, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", get(nsKey)));
        cmd.addAll(List.of(command));
        return run(cmd, 30);
    }

    /** Runs {@code ip -n <ns> args...} and fails when it fails. */
    Result ip(String nsKey, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", get(nsKey)));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 10);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", cmd) + " failed (exit " + r.exit() + "): " + r.output());
        }
        return r;
    }

    static Result run(List<String> command, int timeoutSeconds) throws IOException {
        return run(command, null, timeoutSeconds);
    }

    /** Runs a command, optionally with input; output to a file (daemons it starts keep no pipe of ours open). */
    static Result run(List<String> command, byte[] input, int timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("sitegate-lab-cmd-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (input != null) {
                try (var in = p.getOutputStream()) {
                    in.write(input);
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Names and counts the live threads whose names start with {@code prefix}. */
    static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    private static void checkPrerequisites() throws IOException {
        Result id = run(List.of("id", "-u"), 5);
        List<String> problems = new ArrayList<>();
        if (!id.output().strip().equals("0")) {
            problems.add("the tunnel ITs need root (network namespaces); running as uid " + id.output().strip());
        }
        if (!Files.isExecutable(Path.of("/usr/lib/ipsec/charon"))) {
            problems.add("/usr/lib/ipsec/charon missing: apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/openvpn"))) {
            problems.add("/usr/sbin/openvpn missing: apt-get install openvpn");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems) + " (./sitegate test installs the packages)");
        }
    }

    private static Path repoRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/lab/tunnels.sh"))) {
                return p;
            }
        }
        throw new AssertionError("no tools/lab/tunnels.sh above " + System.getProperty("user.dir"));
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        run(List.of(script.toString(), "down", prefix, dir.toString()), 30);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }
}
