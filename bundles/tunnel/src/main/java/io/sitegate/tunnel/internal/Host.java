package io.sitegate.tunnel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The commands the tunnels run on the router ({@code ip}, {@code ping}, the daemons), in their network namespace
 * when one is configured. A seam: unit tests give a recording fake.
 */
public interface Host {

    /** What a finished command said. */
    record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a command to its end (output and errors together, the first 8 KiB); a command over the timeout is killed. */
    Result run(List<String> command, Duration timeout);

    /** Starts a long-running command (a daemon), output and errors together. */
    Process start(List<String> command) throws IOException;

    /** {@code command} run inside {@code namespace} ({@code ip netns exec}), or as it is. */
    static List<String> in(Optional<String> namespace, List<String> command) {
        if (namespace.isEmpty()) {
            return command;
        }
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", namespace.get()));
        l.addAll(command);
        return l;
    }

    /** An {@code ip} command for {@code namespace} ({@code ip -n <ns> ...}). */
    static List<String> ip(Optional<String> namespace, String... args) {
        List<String> l = new ArrayList<>(List.of("ip"));
        namespace.ifPresent(ns -> l.addAll(List.of("-n", ns)));
        l.addAll(List.of(args));
        return l;
    }

    /** The real host: processes started with {@link ProcessBuilder}. */
    Host SYSTEM = new Host() {
        @Override
        public Result run(List<String> command, Duration timeout) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                // the commands run here print little (far below the pipe's 64 KiB): wait first, then read
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", command) + ": no answer within " + timeout.toMillis() + " ms");
                }
                byte[] out;
                try (var in = p.getInputStream()) {
                    out = in.readNBytes(8192);
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
        }

        @Override
        public Process start(List<String> command) throws IOException {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        }
    };
}
