package io.sitegate.policy.internal.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.PolicyDocument;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The journal as a JSON document in the {@link StateStore}, under {@link #KEY}. */
final class JournalCodec {
    /** The state store key of the journal. */
    static final String KEY = "policy.journal";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalCodec() {
    }

    /**
     * The journal as read.
     *
     * @param journal   the journal
     * @param recovered whether the current generation was corrupt and this is the previous one: the
     *                  transaction may be one step further than the journal says
     */
    record Read(Journal journal, boolean recovered) {
    }

    /** The journal on disk; {@link Journal#empty()} when none was ever written. */
    static Journal read(StateStore store) throws StateStoreException {
        return readChecked(store).journal();
    }

    static Read readChecked(StateStore store) throws StateStoreException {
        Optional<StoredState> stored = store.read(KEY);
        if (stored.isEmpty()) {
            return new Read(Journal.empty(), false);
        }
        try {
            return new Read(decode(stored.get().content()), stored.get().recovered());
        } catch (RuntimeException | JsonProcessingException e) {
            throw new StateStoreException("policy journal '" + KEY + "' is not readable: " + e.getMessage(), e);
        }
    }

    static void write(StateStore store, Journal journal) throws StateStoreException {
        store.write(KEY, encode(journal));
    }

    static byte[] encode(Journal j) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("phase", j.phase().name());
        root.put("version", j.version());
        root.put("target", j.target());
        root.put("keyId", j.keyId());
        root.put("candidate", j.candidate());
        root.put("lkgVersion", j.lkgVersion());
        root.set("lkg", sections(j.lkg()));
        root.set("fallback", sections(j.fallback()));
        root.put("reason", j.reason());
        ObjectNode marks = root.putObject("highWaterMarks");
        j.highWaterMarks().forEach(marks::put);
        root.put("inForceVersion", j.inForceVersion());
        ObjectNode layers = root.putObject("layers");
        j.layers().forEach(layers::put);
        root.put("lkgLayer", j.lkgLayer());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Journal decode(byte[] bytes) throws JsonProcessingException {
        JsonNode root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        if (root.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("unknown journal format " + root.path("format"));
        }
        Map<String, Long> marks = new TreeMap<>();
        root.path("highWaterMarks").fields().forEachRemaining(e -> marks.put(e.getKey(), e.getValue().asLong()));
        Map<String, String> layers = new TreeMap<>();
        root.path("layers").fields().forEachRemaining(e -> layers.put(e.getKey(), e.getValue().asText()));
        return new Journal(Phase.valueOf(root.path("phase").asText()), root.path("version").asLong(),
                root.path("target").asText(), root.path("keyId").asText(), root.path("candidate").asText(),
                root.path("lkgVersion").asLong(), sections(root.path("lkg")), sections(root.path("fallback")),
                root.path("reason").asText(), marks, root.path("inForceVersion").asLong(), layers,
                root.path("lkgLayer").asText());
    }

    /** The verified document as JSON: what was applied, for the record and for {@code policy-status}. */
    static String candidate(PolicyDocument doc) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", doc.version());
        root.put("issuedAt", doc.issuedAt().toString());
        root.put("expiresAt", doc.expiresAt().toString());
        root.put("target", doc.target());
        root.put("keyId", doc.keyId());
        ObjectNode sections = root.putObject("sections");
        doc.sections().forEach(sections::set);
        return root.toString();
    }

    private static ObjectNode sections(Map<String, ConfigSection> sections) {
        ObjectNode out = JSON.createObjectNode();
        sections.forEach((name, section) -> {
            ObjectNode pids = out.putObject(name);
            section.configurations().forEach((pid, values) -> {
                ObjectNode props = pids.putObject(pid);
                values.forEach(props::put);
            });
        });
        return out;
    }

    private static Map<String, ConfigSection> sections(JsonNode node) {
        Map<String, ConfigSection> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            Map<String, Map<String, String>> pids = new TreeMap<>();
            section.getValue().fields().forEachRemaining(pid -> {
                Map<String, String> values = new TreeMap<>();
                pid.getValue().fields().forEachRemaining(p -> values.put(p.getKey(), p.getValue().asText()));
                pids.put(pid.getKey(), values);
            });
            out.put(section.getKey(), new ConfigSection(section.getKey(), pids));
        }
        return out;
    }
}
