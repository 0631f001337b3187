package io.sitegate.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The tunnel lab ({@code tools/lab/tunnels.sh}): namespaces with a LAN client, the gateway's side (its charon), three
 * OpenVPN servers, an IKE responder and a cloud host. Brought up by the test JVM, used from the container.
 */
final class TunnelLab {
    private final String prefix;
    private final Path dir;
    private final Path script;

    TunnelLab(String prefix, Path dir, Path script) {
        this.prefix = prefix;
        this.dir = dir;
        this.script = script;
    }

    /** The repository's {@code tools/lab/tunnels.sh}, found upwards from the working directory. */
    static Path script() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("tools/lab/tunnels.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("tools/lab/tunnels.sh not found above " + Paths.get("").toAbsolutePath());
        }
        return p.resolve("tools/lab/tunnels.sh");
    }

    String prefix() {
        return prefix;
    }

    Path dir() {
        return dir;
    }

    /** Runs {@code tunnels.sh <command> <prefix> <dir> [args]}; fails with its output unless it exits 0. */
    String run(String command, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), command, prefix, dir.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, 120);
    }

    /** {@code lab.env} as a map. */
    Map<String, String> env() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("lab.env"), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replaceAll("^\"|\"$", "").replaceAll("^'|'$", ""));
            }
        }
        return m;
    }

    /** A command inside one of the lab's namespaces ({@code lan}, {@code gw}, ...). */
    Result in(String namespace, int timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + namespace));
        cmd.addAll(List.of(command));
        return result(cmd, timeoutSeconds);
    }

    record Result(int exit, String output) {
    }

    static String exec(List<String> cmd, int timeoutSeconds) {
        Result r = result(cmd, timeoutSeconds);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    static Result result(List<String> cmd, int timeoutSeconds) {
        try {
            File out = File.createTempFile("lab", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out)
                        .redirectInput(new File("/dev/null")).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", cmd) + ": no end within " + timeoutSeconds + " s\n" + Files.readString(out.toPath()));
                }
                return new Result(p.exitValue(), Files.readString(out.toPath()));
            } finally {
                Files.deleteIfExists(out.toPath());
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
