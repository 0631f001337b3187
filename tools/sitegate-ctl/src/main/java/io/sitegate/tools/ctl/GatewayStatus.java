package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A gateway's retained {@code sitegate/<gw>/status}: online with groups, policy in force, health and sections,
 * or offline (the LWT).
 */
record GatewayStatus(String gateway, boolean online, List<String> groups, long policyVersion, String policyTarget,
                     Map<String, String> health, Map<String, Map<String, Map<String, String>>> sections) {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The health entries a rollout watches: the ones a bad policy can break. */
    private static final Pattern WATCHED = Pattern.compile("modem.*|cellular|tunnel.*|dns|mqtt");

    /** The status in an MQTT payload; the topic's gateway id when the payload names none. */
    static GatewayStatus parse(String topicGateway, byte[] payload) throws IOException {
        JsonNode n = JSON.readTree(payload);
        if (n == null || !n.isObject()) {
            throw new IOException("status of " + topicGateway + " is not a JSON object");
        }
        String gw = n.path("gateway").asText(topicGateway);
        boolean online = "online".equals(n.path("state").asText());
        List<String> groups = new ArrayList<>();
        n.path("groups").forEach(g -> groups.add(g.asText()));
        Map<String, String> health = new LinkedHashMap<>();
        n.path("health").fields().forEachRemaining(e -> health.put(e.getKey(), e.getValue().asText()));
        Map<String, Map<String, Map<String, String>>> sections = new TreeMap<>();
        n.path("sections").fields().forEachRemaining(s -> {
            Map<String, Map<String, String>> pids = new TreeMap<>();
            s.getValue().fields().forEachRemaining(p -> {
                Map<String, String> props = new TreeMap<>();
                p.getValue().fields().forEachRemaining(v -> props.put(v.getKey(), v.getValue().isTextual() ? v.getValue().textValue() : v.getValue().toString()));
                pids.put(p.getKey(), props);
            });
            sections.put(s.getKey(), pids);
        });
        return new GatewayStatus(gw, online, List.copyOf(groups), n.path("policyVersion").asLong(0),
                n.path("policyTarget").asText(""), health, sections);
    }

    /** The health entries that are not UP, as {@code name: STATE}. */
    List<String> notUp() {
        List<String> bad = new ArrayList<>();
        health.forEach((k, v) -> {
            if (!"UP".equals(v)) {
                bad.add(k + ": " + v);
            }
        });
        return bad;
    }

    /** The watched entries (modem*, cellular, tunnel*, dns, mqtt) that are DOWN or DEGRADED. */
    List<String> watchedNotUp() {
        List<String> bad = new ArrayList<>();
        health.forEach((k, v) -> {
            if (WATCHED.matcher(k).matches() && !"UP".equals(v)) {
                bad.add(k + ": " + v);
            }
        });
        return bad;
    }

    /** The gateway id in {@code sitegate/<gw>/status} or {@code sitegate/<gw>/ack}; null for other topics. */
    static String gatewayOf(String topic) {
        String[] p = topic.split("/");
        return p.length == 3 && p[0].equals("sitegate") && !p[1].equals("group") ? p[1] : null;
    }
}
