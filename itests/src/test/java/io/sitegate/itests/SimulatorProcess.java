package io.sitegate.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modem simulator ({@code tools/modem-sim}) as a child process of the test JVM, serving one end of a
 * real socat pty pair, and the client of its control channel. Started in the test JVM (configuration);
 * the control client half is used inside the container, where only the control port is known.
 */
public final class SimulatorProcess {

    private static final Pattern CONTROL = Pattern.compile("control channel on 127\\.0\\.0\\.1:(\\d+)");
    /** {@code sh -c} script: $1 java, $2 jar, $3 link, $4 vendor, $5 script, $6 journal, $7 pid file. */
    private static final String WATCHDOG = String.join("\n",
            "\"$1\" -jar \"$2\" --socat \"$3\" --vendor \"$4\" --script \"$5\" --control 0 --journal \"$6\" </dev/null &",
            "sim=$!",
            "echo $sim > \"$7\"",
            "cat > /dev/null",
            "kill $sim",
            "wait $sim");
    private static final List<Process> RUNNING = new CopyOnWriteArrayList<>();

    private final String link;
    private final int controlPort;

    private SimulatorProcess(String link, int controlPort) {
        this.link = link;
        this.controlPort = controlPort;
    }

    /** The control client of a simulator already running (inside the container). */
    public static SimulatorProcess control(int controlPort) {
        return new SimulatorProcess(null, controlPort);
    }

    /**
     * Starts {@code java -jar sitegate-modem-sim.jar --socat <dir>/<name> ...} with the scenario lines as
     * its script, waits for its control channel, and kills it (and so its socat) when the JVM exits.
     */
    public static SimulatorProcess start(Path dir, String name, String vendor, String... scenario) {
        try {
            Files.createDirectories(dir);
            Path jar = Paths.get(System.getProperty("sitegate.modemsim.jar",
                    "../tools/modem-sim/target/sitegate-modem-sim.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("modem simulator jar missing: " + jar.toAbsolutePath());
            }
            Path script = dir.resolve(name + ".scenario");
            Files.write(script, List.of(scenario), StandardCharsets.UTF_8);
            Path log = dir.resolve(name + ".log");
            Path journal = dir.resolve(name + ".journal");
            Files.deleteIfExists(journal);
            Path link = dir.resolve(name).toAbsolutePath();
            Path pidFile = dir.resolve(name + ".pid");
            stopLeftover(pidFile, link);
            String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            // Failsafe halts its JVM at the end (see itests/pom.xml), so shutdown hooks do not run. The simulator
            // is started by a small shell that waits for its stdin, a pipe from this JVM, to close: however this
            // JVM ends, the shell then stops the simulator (which stops its socat).
            Process p = new ProcessBuilder("sh", "-c", WATCHDOG, "modem-sim-" + name, javaBin,
                    jar.toAbsolutePath().toString(), link.toString(), vendor, script.toString(), journal.toString(),
                    pidFile.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RUNNING.add(p); // its stdin must stay open (and reachable) as long as this JVM lives
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(p), "stop-modem-sim-" + name));
            long deadline = System.currentTimeMillis() + 20_000;
            while (true) {
                Optional<Integer> port = controlPort(log);
                if (port.isPresent() && Files.exists(link)) {
                    return new SimulatorProcess(link.toString(), port.get());
                }
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    stop(p);
                    throw new IllegalStateException("modem simulator " + name + " did not start: "
                            + Files.readString(log));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the modem simulator " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the modem simulator " + name, e);
        }
    }

    private static Optional<Integer> controlPort(Path log) throws IOException {
        Matcher m = CONTROL.matcher(Files.readString(log));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * Stops the simulator a previous run left behind on this link (a watchdog shell killed by SIGKILL), found
     * by the pid it recorded, if that process is still the simulator on this link.
     */
    private static void stopLeftover(Path pidFile, Path link) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).strip();
        Files.delete(pidFile);
        if (!pid.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid))
                .filter(h -> h.info().commandLine().map(c -> c.contains("sitegate-modem-sim")
                        && c.contains("--socat " + link + " ")).orElse(false))
                .ifPresent(h -> {
                    h.destroy();
                    h.onExit().join();
                });
    }

    /** Closing the watchdog's stdin makes it stop the simulator with SIGTERM and wait for it. */
    private static void stop(Process watchdog) {
        try {
            watchdog.getOutputStream().close();
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            watchdog.destroyForcibly();
        }
    }

    /** The pty the gateway opens. */
    public String link() {
        return link;
    }

    public int controlPort() {
        return controlPort;
    }

    /**
     * Sends one control line; returns its {@code data:} lines.
     *
     * @throws AssertionError when the simulator answers {@code error: ...} or not at all
     */
    public List<String> send(String line) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            s.setSoTimeout(10_000);
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println(line);
            List<String> data = new ArrayList<>();
            String answer;
            while ((answer = in.readLine()) != null) {
                if (answer.equals("ok")) {
                    return data;
                }
                if (answer.startsWith("data: ")) {
                    data.add(answer.substring("data: ".length()));
                } else {
                    throw new AssertionError("simulator refused '" + line + "': " + answer);
                }
            }
            throw new AssertionError("simulator closed the control channel after '" + line + "'");
        } catch (IOException e) {
            throw new AssertionError("simulator control on port " + controlPort + " failed for '" + line + "': " + e, e);
        }
    }

    /** Every command line the simulated module received since the last {@link #clearJournal()}. */
    public List<String> journal() {
        return send("get journal");
    }

    public void clearJournal() {
        send("clear journal");
    }

    /** The {@code get state} dump. */
    public List<String> state() {
        return send("get state");
    }

    /** One {@code key=value} of the state dump (values without blanks only). */
    public String stateValue(String key) {
        Pattern p = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S*)");
        for (String line : state()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no '" + key + "' in the simulator state " + state());
    }

    /** What the module sent as SMS, one {@code <number> <text>} per message. */
    public List<String> smsSent() {
        return send("get sms-sent");
    }
}
