package io.sitegate.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * ISC {@code dig} as the DNS client of the tests: one query ({@code +tries=1}, no retry over TCP after a
 * truncated reply unless asked for with {@code +tcp}), its output read from {@code +noall +comments +answer
 * +authority}. Works in the test JVM and in the container alike.
 */
final class Dig {

    /** What {@link Reply#status()} is when no reply came at all. */
    static final String NO_REPLY = "NO REPLY";

    private static final Pattern STATUS = Pattern.compile("->>HEADER<<- opcode: \\S+, status: ([A-Z]+),");
    private static final Pattern FLAGS = Pattern.compile("^;; flags:([^;]*);", Pattern.MULTILINE);
    private static final Pattern SECTION = Pattern.compile("^;; ([A-Z]+) SECTION:$");

    private Dig() {
    }

    /** One resource record as dig prints it; {@code data} has single spaces between its fields. */
    record Rr(String name, long ttl, String type, String data) {

        /** The record without its TTL, for comparing answers given at different times. */
        String withoutTtl() {
            return name.toLowerCase(Locale.ROOT) + " " + type + " " + data;
        }
    }

    /**
     * A reply.
     *
     * @param status    the RCODE mnemonic ({@code NOERROR}, {@code NXDOMAIN}, ...) or {@link #NO_REPLY}
     * @param flags     the header flags ({@code qr}, {@code aa}, {@code tc}, {@code rd}, {@code ra}, ...)
     * @param answer    the answer section
     * @param authority the authority section
     * @param output    what dig printed, for assertion messages
     */
    record Reply(String status, Set<String> flags, List<Rr> answer, List<Rr> authority, String output) {

        boolean truncated() {
            return flags.contains("tc");
        }

        /** The answer records of one type, without TTL, sorted: compares two answers as RRsets. */
        Set<String> answerSet() {
            return answer.stream().map(Rr::withoutTtl).collect(Collectors.toCollection(TreeSet::new));
        }

        /** The data of the answer records of this type ({@code 192.0.2.10}, {@code "text"}), sorted. */
        Set<String> data(String type) {
            return answer.stream().filter(r -> r.type().equals(type)).map(Rr::data)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public String toString() {
            return "dig reply " + status + " " + flags + "\n" + output;
        }
    }

    /**
     * Asks {@code server:port} for {@code name type}.
     *
     * @param options more dig options, e.g. {@code +tcp}, {@code +noedns}
     */
    static Reply query(String server, int port, String name, String type, String... options) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server, "-p", String.valueOf(port), name, type,
                "+time=4", "+tries=1", "+retry=0", "+ignore", "+noall", "+comments", "+answer", "+authority"));
        cmd.addAll(Arrays.asList(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 20 s");
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running dig", e);
        }
    }

    /** Reads dig's {@code +noall +comments +answer +authority} output. */
    static Reply parse(String output) {
        Matcher status = STATUS.matcher(output);
        if (!status.find()) {
            // "connection timed out; no servers could be reached", "communications error ... connection refused"
            return new Reply(NO_REPLY, Set.of(), List.of(), List.of(), output);
        }
        Set<String> flags = new TreeSet<>();
        Matcher f = FLAGS.matcher(output);
        if (f.find()) {
            flags.addAll(Arrays.asList(f.group(1).trim().split("\\s+")));
            flags.remove("");
        }
        List<Rr> answer = new ArrayList<>();
        List<Rr> authority = new ArrayList<>();
        List<Rr> section = null;
        for (String line : output.split("\n")) {
            String l = line.strip();
            Matcher s = SECTION.matcher(l);
            if (s.matches()) {
                section = switch (s.group(1)) {
                    case "ANSWER" -> answer;
                    case "AUTHORITY" -> authority;
                    default -> null;
                };
                continue;
            }
            if (l.isEmpty() || l.startsWith(";")) {
                if (l.startsWith(";;")) {
                    section = null; // a comment line ends a section
                }
                continue;
            }
            if (section != null) {
                section.add(record(l));
            }
        }
        return new Reply(status.group(1), flags, List.copyOf(answer), List.copyOf(authority), output);
    }

    private static Rr record(String line) {
        String[] f = line.split("\\s+", 5);
        if (f.length < 5) {
            throw new AssertionError("not a resource record: '" + line + "'");
        }
        return new Rr(f[0], Long.parseLong(f[1]), f[3], f[4].replaceAll("\\s+", " "));
    }
}
