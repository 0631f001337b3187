package io.sitegate.policy.internal.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitegate.core.Health;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.internal.apply.Journal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The retained {@code online} status a gateway publishes on {@code sitegate/{gw}/status}: who it is (gateway id,
 * groups, IMEI and ICCID when a modem knows them), what runs (Sitegate's version, the policy in force and its
 * phase), its health, and the sections in force, which {@code sitegate-ctl diff} compares a policy with. Values
 * of secret-looking properties are hidden; Sitegate keeps secrets in files, so they should only ever be paths.
 */
final class StatusReport {
    /** Properties whose value is never published, whatever it holds. */
    static final Pattern SECRET = Pattern.compile("(?i).*(password|passphrase|secret|psk|pin|token)$");
    static final String HIDDEN = "<hidden>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    /** The modem identity for the status, when one is known. */
    record Identity(String imei, String iccid) {
    }

    static byte[] online(String gateway, Collection<String> groups, Optional<Identity> identity, String version,
            Journal journal, Map<String, Health> health, Map<String, ConfigSection> sections, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", "online");
        n.put("gateway", gateway);
        groups.forEach(n.putArray("groups")::add);
        if (groups.isEmpty()) {
            n.putArray("groups");
        }
        identity.ifPresent(id -> {
            n.put("imei", id.imei());
            if (!id.iccid().isEmpty()) {
                n.put("iccid", id.iccid());
            }
        });
        n.put("sitegate", version);
        if (journal != null) {
            n.put("policyVersion", journal.inForceVersion());
            n.put("policyTarget", journal.inForceVersion() == 0 ? "" : journal.target());
            n.put("policyPhase", journal.phase().name());
            ObjectNode marks = n.putObject("highWaterMarks");
            journal.highWaterMarks().forEach(marks::put);
        } else {
            n.put("policyVersion", -1);
        }
        ObjectNode h = n.putObject("health");
        health.values().forEach(x -> h.put(x.capability(), x.state().name()));
        ObjectNode s = n.putObject("sections");
        sections.forEach((name, section) -> {
            ObjectNode pids = s.putObject(name);
            section.configurations().forEach((pid, values) -> {
                ObjectNode props = pids.putObject(pid);
                values.forEach((k, v) -> props.put(k, SECRET.matcher(k).matches() ? HIDDEN : v));
            });
        });
        n.put("at", now.toString());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a status of strings cannot fail to serialise", e);
        }
    }
}
