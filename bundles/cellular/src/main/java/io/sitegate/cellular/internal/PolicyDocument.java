package io.sitegate.cellular.internal;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last valid cellular policy as stored in the state store (key {@code cellular.policy}), so that a
 * gateway booting with a broken configuration keeps enforcing it. It stores the policy's own flat
 * values, not a rendering of the parsed policy: reading it back goes through the same
 * {@link CellularPolicyParser}, so a stored policy is never trusted more than a configuration.
 * <pre>
 * format=1
 * source=etc/io.sitegate.cellular.cfg
 * appliedAt=2025-03-14T09:30:00Z
 * binding.mode=auto
 * rat.allowed=lte,lte-m        (lists joined with commas)
 * </pre>
 */
public final class PolicyDocument {
    /** The state store key. */
    public static final String KEY = "cellular.policy";
    static final int FORMAT = 1;
    private static final String NAME = "cellular policy";
    private static final Set<String> FIELDS;

    static {
        Set<String> fields = new HashSet<>(CellularPolicyParser.KEYS);
        fields.add("source");
        fields.add("appliedAt");
        FIELDS = Set.copyOf(fields);
    }

    /**
     * What was stored.
     *
     * @param values    the policy values, as {@link CellularPolicyParser#parse} reads them
     * @param source    where the policy came from
     * @param appliedAt when it was applied
     */
    public record Stored(Map<String, String> values, String source, Instant appliedAt) {
    }

    private PolicyDocument() {
    }

    /** Only the policy's own keys, each flattened to one string (lists joined with commas). */
    public static Map<String, String> policyValues(Map<String, ?> properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : CellularPolicyParser.KEYS) {
            Object raw = properties.get(key);
            if (raw != null) {
                values.put(key, flatten(raw));
            }
        }
        return values;
    }

    private static String flatten(Object raw) {
        List<String> items = new ArrayList<>();
        if (raw instanceof Collection<?> c) {
            c.forEach(o -> items.add(String.valueOf(o).trim()));
        } else if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                items.add(String.valueOf(Array.get(raw, i)).trim());
            }
        } else {
            return String.valueOf(raw).trim();
        }
        return String.join(",", items);
    }

    /** The document for a policy that was just applied. */
    public static byte[] encode(Map<String, ?> properties, String source, Instant appliedAt) {
        Map<String, String> fields = new LinkedHashMap<>(policyValues(properties));
        fields.put("source", source);
        fields.put("appliedAt", appliedAt.toString());
        return StateDocument.write(FORMAT, fields);
    }

    /**
     * Reads a stored policy back (its values are validated by the parser, not here).
     *
     * @throws MalformedStateException naming the field
     */
    public static Stored decode(byte[] document) throws MalformedStateException {
        StateDocument doc = StateDocument.read(NAME, document, FORMAT, FIELDS);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : CellularPolicyParser.KEYS) {
            doc.optional(key).ifPresent(v -> values.put(key, v));
        }
        return new Stored(values, doc.required("source"), doc.instant("appliedAt"));
    }
}
