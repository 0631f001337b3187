package io.sitegate.policy.internal.features;

import io.sitegate.core.config.ConfigSection;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code features} section as plain data, in both of its uses:
 * <ul>
 * <li>a policy's request: the repositories to register, the features to install or upgrade, the features to
 *     uninstall, each as given;</li>
 * <li>what the policy has put in force (the snapshot): the repositories it registered, the features it made
 *     installed and the ones it uninstalled, each {@code name/version}, as a delta from the distribution, so
 *     that restoring another record knows exactly what to undo.</li>
 * </ul>
 * As a {@link ConfigSection} it is one pseudo-PID {@value #PID} with the keys {@code repositories},
 * {@code install} and {@code remove}, lists joined with {@code ,} (so the engine's journal stores it unchanged).
 *
 * @param repositories feature repository URLs
 * @param install      features to install ({@code name} or {@code name/version})
 * @param remove       features to uninstall
 */
public record FeatureRecord(Set<String> repositories, Set<String> install, Set<String> remove) {
    /** The section's name, and its one pseudo-PID. */
    public static final String PID = "features";
    /** The keys of the pseudo-PID. */
    public static final Set<String> KEYS = Set.of("repositories", "install", "remove");
    /** Nothing registered, installed or removed. */
    public static final FeatureRecord EMPTY = new FeatureRecord(Set.of(), Set.of(), Set.of());

    public FeatureRecord {
        repositories = frozen(repositories);
        install = frozen(install);
        remove = frozen(remove);
    }

    /** The record a section holds; keys other than {@link #KEYS} are the caller's to refuse. */
    public static FeatureRecord of(ConfigSection section) {
        Map<String, String> values = section.values(PID);
        return new FeatureRecord(split(values.get("repositories")), split(values.get("install")), split(values.get("remove")));
    }

    /** As a section of the one pseudo-PID; empty lists are left out. */
    public ConfigSection toSection() {
        Map<String, String> values = new TreeMap<>();
        put(values, "repositories", repositories);
        put(values, "install", install);
        put(values, "remove", remove);
        return new ConfigSection(PID, Map.of(PID, values));
    }

    /** For the state store. */
    byte[] toBytes() {
        Properties p = new Properties();
        p.putAll(toSection().values(PID));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "features put in force by policy (sitegate)");
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** From {@link #toBytes()}. */
    static FeatureRecord fromBytes(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the features record is not readable: " + e.getMessage(), e);
        }
        return new FeatureRecord(split(p.getProperty("repositories")), split(p.getProperty("install")), split(p.getProperty("remove")));
    }

    private static void put(Map<String, String> values, String key, Set<String> items) {
        if (!items.isEmpty()) {
            values.put(key, String.join(",", items));
        }
    }

    private static Set<String> split(String joined) {
        Set<String> out = new LinkedHashSet<>();
        if (joined != null) {
            Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static Set<String> frozen(Collection<String> items) {
        // sorted: two records of the same features are equal and print the same
        return java.util.Collections.unmodifiableSet(new TreeSet<>(items == null ? Set.of() : items));
    }
}
