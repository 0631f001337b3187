package io.sitegate.policy.internal.apply;

import io.sitegate.core.config.ConfigSection;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a gateway falls back to when its last-known-good cannot be restored: the shipped defaults of each
 * section, with the cloud connection settings carried over from the last-known-good so that the gateway
 * can still reach its cloud (an APN, a tunnel endpoint, a DNS upstream the broker is resolved through).
 *
 * <p>A carry-over entry is {@code section/property}: the property is copied, from every configuration of
 * the section's last-known-good that has it, into the same configuration of the defaults (created when the
 * defaults lack it). {@code section/*} carries the whole last-known-good section over.
 */
final class FallbackPlan {
    private FallbackPlan() {
    }

    /**
     * The sections to put in force for every section in {@code lkg}. A section without shipped defaults
     * falls back to its last-known-good's carried-over properties alone.
     */
    static Map<String, ConfigSection> sections(Map<String, ConfigSection> lkg, Map<String, ConfigSection> defaults,
            Set<String> carryOver) {
        Map<String, ConfigSection> out = new TreeMap<>();
        for (Map.Entry<String, ConfigSection> e : lkg.entrySet()) {
            String name = e.getKey();
            ConfigSection known = e.getValue();
            if (carryOver.contains(name + "/*")) {
                out.put(name, known);
                continue;
            }
            ConfigSection base = defaults.getOrDefault(name, new ConfigSection(name, Map.of()));
            Map<String, Map<String, String>> pids = new TreeMap<>();
            base.configurations().forEach((pid, values) -> pids.put(pid, new TreeMap<>(values)));
            known.configurations().forEach((pid, values) -> values.forEach((property, value) -> {
                if (carryOver.contains(name + "/" + property)) {
                    pids.computeIfAbsent(pid, p -> new TreeMap<>()).put(property, value);
                }
            }));
            out.put(name, new ConfigSection(name, pids));
        }
        return out;
    }
}
