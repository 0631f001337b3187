package io.sitegate.policy.internal.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.internal.FileStateStore;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicySections;
import io.sitegate.policy.PolicyVerificationException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simulated gateway: a state directory and six capabilities whose configuration survives a restart,
 * and, per boot, a fresh state store, health registry, clock and engine over them.
 */
final class Gateway {
    static final String TARGET = "gw-0042";
    static final List<String> ALL = SectionPlan.ORDER;
    static final Set<String> CARRY_OVER = Set.of("modem/apn", "tunnels/*");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final FaultInjector faults = new FaultInjector();
    final Map<String, FakeSection> sections = new LinkedHashMap<>();
    final Map<String, ConfigSection> defaults = new TreeMap<>();
    Duration window = ApplyEngine.DEFAULT_CONFIRM_WINDOW;
    ManualTime time;
    FakeHealth health;
    FaultyStore store;
    ApplyEngine engine;

    Gateway(Path dir) throws StateStoreException {
        this.dir = dir;
        section("cellular", "io.sitegate.cellular", false);
        section("modem", "io.sitegate.modem", true);
        section("dns", "io.sitegate.dns", false);
        section("tunnels", "io.sitegate.tunnel", true);
        section("filter", "io.sitegate.filter", false);
        section("features", "features", false);
        defaults.put("cellular", ConfigSection.of("cellular", "io.sitegate.cellular", Map.of("rat", "auto")));
        defaults.put("modem", ConfigSection.of("modem", "io.sitegate.modem~wan0", Map.of("port", "/dev/ttyUSB2")));
        defaults.put("dns", ConfigSection.of("dns", "io.sitegate.dns", Map.of("upstreams", "9.9.9.9:53")));
        defaults.put("tunnels", new ConfigSection("tunnels", Map.of()));
        defaults.put("filter", ConfigSection.of("filter", "io.sitegate.filter", Map.of("allow", "0.0.0.0/0")));
        defaults.put("features", new ConfigSection("features", Map.of()));
        boot();
    }

    private void section(String name, String pid, boolean factory) {
        sections.put(name, new FakeSection(name, pid, factory, faults));
    }

    /** A restart: what is on disk and in the capabilities stays, everything in memory is new. */
    ApplyEngine boot() throws StateStoreException {
        time = new ManualTime();
        FileStateStore files = new FileStateStore(dir, (key, problem, recovered) -> { }, time);
        files.open();
        store = new FaultyStore(files, faults);
        health = new FakeHealth(time);
        engine = new ApplyEngine(store, name -> Optional.ofNullable(sections.get(name)), health, time, window,
                () -> defaults, CARRY_OVER, TARGET);
        return engine;
    }

    /** A policy whose every value is marked with {@code tag}, with the named sections. */
    static PolicyDocument policy(long version, String tag, Collection<String> names) {
        return policy(version, tag, names, TARGET);
    }

    /** The same, for another target ({@code group:<name>}). */
    static PolicyDocument policy(long version, String tag, Collection<String> names, String target) {
        Map<String, JsonNode> s = new TreeMap<>();
        for (String name : names) {
            s.put(name, section(name, tag));
        }
        return new PolicyDocument(version, Instant.parse("2026-12-04T09:00:00Z"), Instant.parse("2027-01-04T09:00:00Z"),
                target, "cloud-2026", s);
    }

    static JsonNode section(String name, String tag) {
        ObjectNode n = JSON.createObjectNode();
        switch (name) {
            case "cellular" -> n.put("rat", "lte-" + tag).put("imeiLock", true).put("dataQuotaMb", 2048);
            case "modem" -> n.putObject("wan0").put("port", "/dev/ttyUSB2").put("apn", "iot-" + tag + ".example");
            case "dns" -> n.putArray("upstreams").add("10.8.0.1:53").add("dns-" + tag + ":53");
            case "tunnels" -> {
                n.putObject("primary").put("type", "ipsec").put("remote", "vpn-" + tag + ".example");
                n.putObject("backup").put("type", "openvpn").put("remote", "ovpn-" + tag + ".example");
            }
            case "filter" -> n.putArray("allow").add("10.0.0.0/8").add("host-" + tag);
            case "features" -> n.putArray("install").add("probe-" + tag + "/1.0.0");
            default -> n.put("anything", tag);
        }
        return n;
    }

    /** What a section holds once {@code doc}'s section is in force. */
    ConfigSection expected(PolicyDocument doc, String name) {
        FakeSection s = sections.get(name);
        try {
            return PolicySections.toConfigSection(name, doc.section(name).orElseThrow(), s.pid(), s.factory());
        } catch (PolicyVerificationException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether every named section holds exactly what {@code doc} says. */
    boolean holds(PolicyDocument doc, Collection<String> names) {
        return names.stream().allMatch(n -> sections.get(n).current.equals(expected(doc, n)));
    }

    /** Whether every named section holds exactly the given sections. */
    boolean holds(Map<String, ConfigSection> expected, Collection<String> names) {
        return names.stream().allMatch(n -> sections.get(n).current.equals(expected.get(n)));
    }

    Map<String, ConfigSection> state() {
        Map<String, ConfigSection> m = new TreeMap<>();
        sections.forEach((n, s) -> m.put(n, s.current));
        return m;
    }

    void clearCalls() {
        faults.trace.clear();
        sections.values().forEach(s -> s.calls.clear());
    }
}
