package io.sitegate.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A verified policy document: signed by a trusted key, valid against the schema, in its validity window,
 * for this gateway, and newer than the last one accepted for its target.
 *
 * @param version   strictly increasing per target
 * @param issuedAt  when the cloud issued it; not before this (less the clock skew)
 * @param expiresAt not after this (plus the clock skew)
 * @param target    the gateway id, or {@code group:<name>}
 * @param keyId     the {@code kid} of the key that signed it
 * @param sections  section name to its JSON (see the package documentation for the shapes); copied in,
 *                  and {@link #section} hands out copies, so a document cannot be changed after verification
 */
public record PolicyDocument(long version, Instant issuedAt, Instant expiresAt, String target, String keyId,
        Map<String, JsonNode> sections) {

    /** The group prefix of a {@link #target}. */
    public static final String GROUP_PREFIX = "group:";

    public PolicyDocument {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(keyId, "keyId");
        Map<String, JsonNode> copy = new TreeMap<>();
        sections.forEach((name, node) -> copy.put(name, node.deepCopy()));
        sections = Collections.unmodifiableMap(copy);
    }

    /** The section names, in order. A copy of each node is available from {@link #section}. */
    @Override
    public Map<String, JsonNode> sections() {
        Map<String, JsonNode> copy = new TreeMap<>();
        sections.forEach((name, node) -> copy.put(name, node.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** A copy of one section's JSON, empty when the document does not have it. */
    public Optional<JsonNode> section(String name) {
        JsonNode node = sections.get(name);
        return node == null ? Optional.empty() : Optional.of(node.deepCopy());
    }

    /** Whether the document names a group rather than one gateway. */
    public boolean forGroup() {
        return target.startsWith(GROUP_PREFIX);
    }
}
