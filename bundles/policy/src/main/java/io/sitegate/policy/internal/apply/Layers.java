package io.sitegate.policy.internal.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitegate.policy.PolicyDocument;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The gateway's own policy overrides its groups' policies section by section. Each target's policy in
 * force is a layer ({@link Journal#layers()}); a new policy is merged with the others before it is applied:
 * <ul>
 * <li>a group policy leaves out the sections that the gateway's own policy in force holds;</li>
 * <li>the gateway's own policy is applied whole, and a section it no longer holds goes back to the group's
 * (when a group policy in force holds it; with several groups, the first by name).</li>
 * </ul>
 * A section that no layer holds any more keeps its configuration: a policy never resets a capability that it
 * does not name.
 */
final class Layers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Layers() {
    }

    /** {@code doc} with the sections it puts in force once merged with {@code layers}. */
    static PolicyDocument effective(PolicyDocument doc, String ownTarget, Map<String, String> layers) {
        if (ownTarget == null || ownTarget.isEmpty()) {
            return doc;
        }
        Map<String, JsonNode> own = sections(layers.get(ownTarget));
        Map<String, JsonNode> merged = new TreeMap<>(doc.sections());
        if (doc.target().equals(ownTarget)) {
            for (String name : own.keySet()) {
                if (!merged.containsKey(name)) {
                    groupSection(name, ownTarget, layers).ifPresent(node -> merged.put(name, node));
                }
            }
        } else {
            merged.keySet().removeAll(own.keySet());
        }
        return merged.equals(doc.sections()) ? doc
                : new PolicyDocument(doc.version(), doc.issuedAt(), doc.expiresAt(), doc.target(), doc.keyId(), merged);
    }

    /** The sections the gateway's own policy in force holds, which a group policy does not change. */
    static Set<String> overridden(PolicyDocument doc, String ownTarget, Map<String, String> layers) {
        if (ownTarget == null || doc.target().equals(ownTarget)) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>(doc.sections().keySet());
        names.retainAll(sections(layers.get(ownTarget)).keySet());
        return names;
    }

    private static Optional<JsonNode> groupSection(String name, String ownTarget, Map<String, String> layers) {
        for (Map.Entry<String, String> layer : new TreeMap<>(layers).entrySet()) {
            if (!layer.getKey().equals(ownTarget) && layer.getKey().startsWith(PolicyDocument.GROUP_PREFIX)) {
                JsonNode node = sections(layer.getValue()).get(name);
                if (node != null) {
                    return Optional.of(node);
                }
            }
        }
        return Optional.empty();
    }

    /** The sections of a layer's candidate JSON; none when it is absent or unreadable. */
    static Map<String, JsonNode> sections(String candidate) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (candidate == null || candidate.isEmpty()) {
            return out;
        }
        try {
            JSON.readTree(candidate).path("sections").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // written by JournalCodec.candidate: unreadable only if the journal itself is damaged, which its reader reports
        }
        return out;
    }
}
