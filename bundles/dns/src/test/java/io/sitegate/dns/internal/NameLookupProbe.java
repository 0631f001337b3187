package io.sitegate.dns.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the configuration parsers resolve host names. It runs the parsers in a child JVM whose
 * resolver is a hosts file ({@code jdk.net.hosts.file}) that maps every name below to a documentation
 * address: a parser that accepts one of them has looked it up. No query leaves the machine.
 */
final class NameLookupProbe {

    /** Strings that {@link java.net.InetAddress#getByName} treats as host names, not as literals. */
    static final List<String> HOST_NAMES = List.of("999.1.1.1", "1.2.3.4.5", "256.0.0.1", "10.0.0.256", "cafe",
            "dead.beef", "face.b00c");

    private NameLookupProbe() {
    }

    /**
     * Parses each value as {@code kind} (upstream, listen, sinkhole4, sinkhole6) in a child JVM.
     *
     * @return the values that were accepted
     */
    static List<String> accepted(String kind, String... values) throws Exception {
        Path hosts = Files.createTempFile("sitegate-hosts", ".txt");
        try {
            Files.writeString(hosts, "192.0.2.77 " + String.join(" ", HOST_NAMES) + "\n", StandardCharsets.UTF_8);
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.net.hosts.file=" + hosts, "-cp", classPath, NameLookupProbe.class.getName(), kind));
            command.addAll(List.of(values));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("probe failed: " + new String(out, StandardCharsets.UTF_8));
            }
            List<String> accepted = new ArrayList<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("ACCEPTED\t")) {
                    accepted.add(line.split("\t")[1]);
                }
            }
            return accepted;
        } finally {
            Files.deleteIfExists(hosts);
        }
    }

    public static void main(String[] args) {
        String kind = args[0];
        for (int i = 1; i < args.length; i++) {
            String v = args[i];
            try {
                Object parsed = switch (kind) {
                    case "upstream" -> UpstreamSpec.parse(v);
                    case "listen" -> ListenSpec.parse(v);
                    case "sinkhole4" -> DnsConfig.from(Map.of("firewall.sinkhole4", v)).firewall().sinkhole4();
                    case "sinkhole6" -> DnsConfig.from(Map.of("firewall.sinkhole6", v)).firewall().sinkhole6();
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                };
                System.out.println("ACCEPTED\t" + v + "\t" + parsed);
            } catch (IllegalArgumentException e) {
                System.out.println("REFUSED\t" + v + "\t" + e.getMessage());
            }
        }
        System.out.flush();
    }
}
