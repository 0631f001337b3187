package io.sitegate.core.config;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One capability's configuration section: the properties of each of its ConfigAdmin PIDs
 * ({@code io.sitegate.dns}, or {@code io.sitegate.modem~wan0} for a factory configuration), in the
 * normal form of {@link #normalise}: string values, lists joined with commas, no framework properties.
 * Immutable; two sections are equal when they configure the same thing.
 *
 * @param name           the section ({@code dns}, {@code cellular}, {@code modem})
 * @param configurations properties by PID
 */
public record ConfigSection(String name, Map<String, Map<String, String>> configurations) {

    /** Properties ConfigAdmin, File Install or DS add, which are not configuration. */
    private static final Set<String> FRAMEWORK = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename", "component.name", "component.id");

    public ConfigSection {
        Objects.requireNonNull(name, "name");
        Map<String, Map<String, String>> copy = new TreeMap<>();
        configurations.forEach((pid, values) -> copy.put(pid, Collections.unmodifiableMap(new TreeMap<>(normalise(values)))));
        configurations = Collections.unmodifiableMap(copy);
    }

    /**
     * Whether a property is put there by ConfigAdmin, File Install or Declarative Services rather than
     * configured: {@code service.pid}, {@code component.name}, {@code osgi.ds.satisfying.condition.target},
     * a reference's {@code <name>.target}, {@code felix.fileinstall.filename}, private {@code .} and {@code :} keys.
     */
    public static boolean isFramework(String key) {
        return FRAMEWORK.contains(key) || key.startsWith(":") || key.startsWith(".") || key.startsWith("osgi.ds.")
                || key.startsWith("component.") || key.startsWith("felix.fileinstall.") || key.endsWith(".target");
    }

    /** A section of one PID. */
    public static ConfigSection of(String name, String pid, Map<String, ?> values) {
        return new ConfigSection(name, Map.of(pid, normalise(values)));
    }

    /** The properties of one PID, empty when the section does not have it. */
    public Map<String, String> values(String pid) {
        return configurations.getOrDefault(pid, Map.of());
    }

    /**
     * The normal form of configuration properties: framework properties dropped, blank values dropped
     * (a blank value means the default), scalars as trimmed strings, arrays and collections as their
     * trimmed elements joined with {@code ,}.
     */
    public static Map<String, String> normalise(Map<String, ?> properties) {
        Map<String, String> out = new TreeMap<>();
        if (properties == null) {
            return out;
        }
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (key == null || isFramework(key)) {
                continue;
            }
            String value = text(e.getValue());
            if (value != null && !value.isEmpty()) {
                out.put(key, value);
            }
        }
        return out;
    }

    /** {@link #normalise(Map)} of the properties as ConfigAdmin hands them out. */
    public static Map<String, String> normaliseProperties(java.util.Dictionary<String, ?> properties) {
        Map<String, Object> m = new TreeMap<>();
        if (properties != null) {
            for (java.util.Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                m.put(k, properties.get(k));
            }
        }
        return normalise(m);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> c) {
            return join(c.toArray());
        }
        if (value.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(value);
            Object[] items = new Object[n];
            for (int i = 0; i < n; i++) {
                items[i] = java.lang.reflect.Array.get(value, i);
            }
            return join(items);
        }
        return String.valueOf(value).trim();
    }

    private static String join(Object[] items) {
        StringBuilder b = new StringBuilder();
        for (Object o : items) {
            String s = o == null ? "" : String.valueOf(o).trim();
            if (s.isEmpty()) {
                continue;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(s);
        }
        return b.toString();
    }
}
