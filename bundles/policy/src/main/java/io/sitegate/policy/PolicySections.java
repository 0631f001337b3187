package io.sitegate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.internal.features.FeatureSpec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a policy section into the {@link ConfigSection} its capability validates and applies (see the
 * package documentation for the shapes). The schema has checked the shapes already; this checks them again
 * so that a section from anywhere else (a file given to {@code policy-check}) is held to the same rules.
 */
public final class PolicySections {
    /** The sections whose value is one PID's properties. */
    public static final Set<String> SINGLETONS = Set.of("cellular", "dns", "filter");

    /** The sections whose value is factory configurations by instance name. */
    public static final Set<String> FACTORIES = Set.of("modem", "tunnels");

    /**
     * The section that is not ConfigAdmin configuration: feature repositories and features, carried as one
     * pseudo-PID ({@code repositories}, {@code install}, {@code remove}) so that it is applied, journaled and
     * restored like the others.
     */
    public static final String FEATURES = "features";

    /** Every section a document may have. */
    public static final Set<String> ALL = Set.of("cellular", "dns", "filter", "modem", "tunnels", FEATURES);

    private static final Pattern INSTANCE = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Set<String> FEATURE_KEYS = Set.of("repositories", "install", "remove");
    private static final Pattern REPOSITORY = Pattern.compile("(mvn|file|https):[^\\s,]{1,1020}");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    private PolicySections() {
    }

    /**
     * The configuration a section carries.
     *
     * @param section the section's name ({@code dns}, {@code tunnels})
     * @param node    the section's JSON
     * @param pid     the capability's PID, or its factory PID when {@code factory}
     * @param factory whether the section is instance name to properties ({@code pid~<instance>})
     * @throws PolicyVerificationException {@code SCHEMA} when the shape, an instance name, a property name
     *                                     or a value is not allowed (for {@code features}: a repository URL or a
     *                                     feature spec, named); {@code UNKNOWN_SECTION} for an unknown section
     */
    public static ConfigSection toConfigSection(String section, JsonNode node, String pid, boolean factory)
            throws PolicyVerificationException {
        if (!ALL.contains(section)) {
            throw new PolicyVerificationException(PolicyRefusal.Code.UNKNOWN_SECTION,
                    "section '" + PolicyRefusal.quote(section) + "' is not a configuration section");
        }
        requireObject(node, section);
        if (FEATURES.equals(section)) {
            return features(node, pid);
        }
        Map<String, Map<String, String>> configurations = new TreeMap<>();
        if (!factory) {
            configurations.put(pid, properties(section, node));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> instance = it.next();
                String name = instance.getKey();
                if (!INSTANCE.matcher(name).matches()) {
                    throw schema(section + ": instance name '" + PolicyRefusal.quote(name)
                            + "' must be 1-32 of a-z, 0-9 and '-'");
                }
                requireObject(instance.getValue(), section + "." + name);
                configurations.put(pid + "~" + name, properties(section + "." + name, instance.getValue()));
            }
        }
        return new ConfigSection(section, configurations);
    }

    /**
     * The {@code features} section as one pseudo-PID: {@code repositories}, {@code install}, {@code remove},
     * each list joined with {@code ,}. Every item is checked here so that the refusal names it.
     */
    private static ConfigSection features(JsonNode node, String pid) throws PolicyVerificationException {
        Map<String, Object> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!FEATURE_KEYS.contains(key)) {
                throw schema("features: '" + PolicyRefusal.quote(key) + "' is not allowed; known: repositories, install, remove");
            }
            if (!e.getValue().isArray()) {
                throw schema("features." + key + ": must be an array of strings");
            }
            List<String> items = new ArrayList<>();
            for (JsonNode item : e.getValue()) {
                if (!item.isTextual()) {
                    throw schema("features." + key + ": must be an array of strings");
                }
                String v = item.textValue();
                if ("repositories".equals(key)) {
                    if (!REPOSITORY.matcher(v).matches()) {
                        throw schema("features.repositories: '" + PolicyRefusal.quote(v)
                                + "' is not an mvn:, file: or https: URL (without spaces or ',')");
                    }
                } else {
                    try {
                        FeatureSpec.parse(v);
                    } catch (IllegalArgumentException bad) {
                        throw schema("features." + key + ": " + PolicyRefusal.quote(bad.getMessage()));
                    }
                }
                items.add(v);
            }
            values.put(key, items);
        }
        return ConfigSection.of(FEATURES, pid, values);
    }

    private static Map<String, String> properties(String where, JsonNode object) throws PolicyVerificationException {
        Map<String, Object> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            // ConfigSection silently drops framework keys (service.pid, *.target, ...): a policy must not
            // carry a value that would vanish without a word.
            if (!PROPERTY.matcher(key).matches() || ConfigSection.isFramework(key)) {
                throw schema(where + ": property name '" + PolicyRefusal.quote(key) + "' is not allowed");
            }
            values.put(key, value(where + "." + key, e.getValue()));
        }
        // the same normal form as a .cfg file or ConfigAdmin: trimmed, lists joined with ',', blanks dropped
        return ConfigSection.normalise(values);
    }

    private static Object value(String where, JsonNode v) throws PolicyVerificationException {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>(v.size());
            for (JsonNode item : v) {
                if (!item.isTextual() || item.textValue().indexOf(',') >= 0) {
                    throw schema(where + ": an array holds strings without ','");
                }
                items.add(item.textValue());
            }
            return items;
        }
        throw schema(where + ": a value is a string, an integer, a boolean or an array of strings, not "
                + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static void requireObject(JsonNode node, String where) throws PolicyVerificationException {
        if (node == null || !node.isObject()) {
            throw schema(where + ": must be an object");
        }
    }

    private static PolicyVerificationException schema(String reason) {
        return new PolicyVerificationException(PolicyRefusal.Code.SCHEMA, reason);
    }
}
