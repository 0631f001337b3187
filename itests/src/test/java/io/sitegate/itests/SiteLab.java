package io.sitegate.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole site of {@code tools/lab/site.sh}, driven from a test: the LAN client, the gateway's shell, the modem
 * simulator, the cloud's {@code sitegate-ctl}, and a recorder of everything the broker carries
 * ({@code mosquitto_sub} on {@code sitegate/#} in the cloud namespace, with the time each message arrived).
 */
final class SiteLab {
    final String prefix;
    final Path dir;
    final Path script;
    private Process recorder;

    SiteLab(String prefix, Path dir) {
        this.prefix = prefix;
        this.dir = dir.toAbsolutePath();
        this.script = Paths.get(System.getProperty("sitegate.lab.site", "../tools/lab/site.sh")).toAbsolutePath();
    }

    /** What a command printed (stdout and stderr), with its exit code. */
    record Result(int code, String out) {
        boolean ok() {
            return code == 0;
        }
    }

    Result site(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString(), args[0], prefix, dir.toString()));
        command.addAll(List.of(args).subList(1, args.length));
        return exec(command, timeoutSeconds);
    }

    static Result exec(List<String> command, int timeoutSeconds) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SITEGATE_DIST", System.getProperty("sitegate.distribution", ""));
            env.put("SITEGATE_MODEMSIM_JAR", Paths.get(System.getProperty("sitegate.modemsim.jar", "")).toAbsolutePath().toString());
            env.put("SITEGATE_CTL_JAR", Paths.get(System.getProperty("sitegate.ctl.jar", "")).toAbsolutePath().toString());
            env.put("JAVA_HOME", System.getProperty("java.home"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null"));
            pb.environment().putAll(env);
            Path out = Files.createTempFile("site-", ".out");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s: " + Files.readString(out));
            }
            String text = Files.readString(out).replaceAll("\u001B\\[[0-9;]*m", "");
            Files.delete(out);
            return new Result(p.exitValue(), text);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(command + ": " + e, e);
        }
    }

    void up() {
        site(60, "down");
        Result r = exec(List.of("env", "SITE_CONFIRM_WINDOW=10", script.toString(), "up", prefix, dir.toString(), "--no-gateway"), 180);
        if (!r.ok()) {
            throw new AssertionError("site.sh up failed:\n" + r.out());
        }
    }

    void down() {
        stopRecorder();
        site(60, "down");
    }

    Map<String, String> env() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("site.env"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("no site.env: " + e);
        }
        return m;
    }

    Path gatewayHome() {
        return Paths.get(env().get("GW_HOME"));
    }

    // ------------------------------------------------------------------ the gateway

    Result gateway(String what) {
        return site(150, "gateway", what);
    }

    /** A Karaf shell command as the lab's admin operator. */
    String ssh(String command) {
        return site(60, "ssh", command).out();
    }

    String awaitShell(String what, String command, long timeoutMs, Predicate<String> condition) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = ssh(command);
            if (condition.test(last)) {
                return last;
            }
            sleep(500);
        }
        throw new AssertionError("timed out (" + timeoutMs + " ms) waiting for " + what + "; last '" + command + "':\n" + last
                + "\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(gatewayHome().resolve("data/log/karaf.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    // ------------------------------------------------------------------ the LAN client, the cloud, the modem

    Result lan(int timeoutSeconds, String shell) {
        return site(timeoutSeconds, "exec", "lan", "sh", "-c", shell);
    }

    Result cloud(int timeoutSeconds, String shell) {
        return site(timeoutSeconds, "exec", "cloud", "sh", "-c", shell);
    }

    /** The LAN client asks the gateway's forwarder; the answer's addresses, or the status when there are none. */
    String resolve(String name) {
        Result r = lan(15, "dig +time=2 +tries=1 @10.77.1.1 " + name + " | awk '/status:/{print $6} /^" + name.replace(".", "\\.")
                + "\\.[[:space:]].*IN[[:space:]]+A[[:space:]]/{print $5}'");
        List<String> lines = List.of(r.out().trim().split("\\s+"));
        List<String> addresses = lines.stream().filter(l -> l.matches("[0-9.]+")).toList();
        return addresses.isEmpty() ? String.join(" ", lines).replace(",", "") : String.join(" ", addresses);
    }

    /**
     * What an application on the LAN does: resolve the name through the gateway, connect to the echo service at once,
     * send a line; true when the line comes back.
     */
    boolean echo(String name, int port) {
        String token = "site-" + System.nanoTime();
        Result r = lan(15, "a=$(dig +short +time=2 +tries=1 @10.77.1.1 " + name + " | grep -E '^[0-9.]+$' | head -1); [ -n \"$a\" ] || exit 3; "
                + "echo " + token + " | timeout 4 socat -T2 - TCP:$a:" + port + ",connect-timeout=2");
        return r.ok() && r.out().contains(token);
    }

    /** As {@link #echo} to an address, without DNS. */
    boolean echoAddress(String address, int port) {
        String token = "site-" + System.nanoTime();
        Result r = lan(15, "echo " + token + " | timeout 4 socat -T2 - TCP:" + address + ":" + port + ",connect-timeout=2");
        return r.ok() && r.out().contains(token);
    }

    List<String> sim(String line) {
        Result r = site(20, "sim", line);
        if (!r.ok()) {
            throw new AssertionError("simulator refused '" + line + "': " + r.out());
        }
        List<String> out = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            if (l.startsWith("data: ")) {
                out.add(l.substring(6));
            }
        }
        return out;
    }

    /** sitegate-ctl on the cloud side with the operator's certificate. */
    Result ctl(int timeoutSeconds, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        return site(timeoutSeconds, all);
    }

    /** Signs a policy document with the lab's key and publishes it retained to the group's topic. */
    void publishGroupPolicy(String json, String name) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".json"), json);
        Path jws = dir.resolve(name + ".jws");
        Map<String, String> env = env();
        Result signed = ctl(60, "sign", "--key", env.get("POLICY_KEY"), "--kid", env.get("POLICY_KID"), file.toString(), "--out", jws.toString());
        if (!signed.ok()) {
            throw new AssertionError("sign " + name + ": " + signed.out());
        }
        Result published = ctl(60, "publish", "--group", env.get("GW_GROUP"), jws.toString());
        if (!published.ok()) {
            throw new AssertionError("publish " + name + ": " + published.out());
        }
    }

    // ------------------------------------------------------------------ what the cloud received

    /** One message the broker carried: when it arrived at the cloud, its topic and payload. */
    record Message(double at, String topic, String payload) {
        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"?([^\",}]*)").matcher(payload);
            return m.find() ? m.group(1) : "";
        }
    }

    void startRecorder() throws IOException {
        Map<String, String> env = env();
        Path log = dir.resolve("cloud-recorder.log");
        Files.deleteIfExists(log);
        // a watchdog shell: the subscriber ends with this JVM, however it ends (its stdin closes)
        String cmd = "ip netns exec " + prefix + "-cloud mosquitto_sub -h 10.99.0.10 -p 8883 -V mqttv5 --cafile " + env.get("BROKER_CA")
                + " --cert " + env.get("OPERATOR_CERT") + " --key " + env.get("OPERATOR_CERT_KEY")
                + " -i site-recorder -t 'sitegate/#' -F '@s.@N %t %p' >> " + log + " 2>&1 </dev/null & m=$!; cat >/dev/null; kill $m";
        recorder = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopRecorder));
    }

    void stopRecorder() {
        if (recorder != null) {
            try {
                recorder.getOutputStream().close();
            } catch (IOException e) {
                // gone already
            }
            recorder.destroy();
            recorder = null;
        }
    }

    List<Message> messages() {
        List<Message> out = new ArrayList<>();
        try {
            Path log = dir.resolve("cloud-recorder.log");
            if (!Files.exists(log)) {
                return out;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] p = line.split(" ", 3);
                if (p.length == 3 && p[0].matches("\\d+\\.\\d+")) {
                    out.add(new Message(Double.parseDouble(p[0]), p[1], p[2]));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    List<Message> messages(String topic, Predicate<Message> which) {
        return messages().stream().filter(m -> m.topic().equals(topic) && which.test(m)).toList();
    }

    Message awaitMessage(String what, String topic, long timeoutMs, Predicate<Message> which) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            List<Message> found = messages(topic, which);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            sleep(200);
        }
        List<Message> all = messages();
        throw new AssertionError("the cloud did not receive " + what + " on " + topic + " within " + timeoutMs + " ms; last messages: "
                + all.subList(Math.max(0, all.size() - 6), all.size()) + "\n" + logTail());
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out (" + timeoutMs + " ms) waiting for " + what);
            }
            sleep(250);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
