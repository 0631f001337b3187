package io.sitegate.policy.internal.features;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.framework.Version;

/**
 * A feature named by a policy: {@code name} (any version) or {@code name/version} (exactly that version).
 * Version ranges are not accepted: what a policy puts in force must not depend on what a repository offers
 * later, and a range holds a {@code ,}, the list separator of the section's normal form.
 *
 * @param name    the feature's name
 * @param version the exact version, empty for any
 */
public record FeatureSpec(String name, String version) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Parses {@code name} or {@code name/version}.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static FeatureSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a feature is name or name/version, not empty");
        }
        int slash = spec.indexOf('/');
        String name = slash < 0 ? spec : spec.substring(0, slash);
        String version = slash < 0 ? "" : spec.substring(slash + 1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature '" + spec + "': the name must be 1-128 of A-Z, a-z, 0-9, '.', '_', '-'"
                    + " starting with a letter or digit");
        }
        if (slash >= 0) {
            if (version.startsWith("[") || version.startsWith("(")) {
                throw new IllegalArgumentException("feature '" + spec + "': a version range is not accepted, name an exact version");
            }
            if (!VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("feature '" + spec + "': the version must be an OSGi version such as 1.2.0");
            }
            if (canonical(version) == null) {
                throw new IllegalArgumentException("feature '" + spec + "': '" + version + "' is not a version (1.2.0, 1.2.0.qualifier, 1.2.0-SNAPSHOT)");
            }
        }
        return new FeatureSpec(name, version);
    }

    /** The exact version, when one is named. */
    public Optional<String> exactVersion() {
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    /** The name of the feature {@code id} ({@code name/version}). */
    public static String nameOf(String id) {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /** Whether the feature {@code id} ({@code name/version}) is this one. */
    public boolean matches(String id) {
        int slash = id.indexOf('/');
        String otherName = slash < 0 ? id : id.substring(0, slash);
        String otherVersion = slash < 0 ? "" : id.substring(slash + 1);
        return otherName.equals(name) && (version.isEmpty() || version.equals(otherVersion)
                || Objects.equals(canonical(version), canonical(otherVersion)));
    }

    /**
     * The version in OSGi form, as Karaf compares it: a Maven {@code 1.2.0-SNAPSHOT} is {@code 1.2.0.SNAPSHOT};
     * null when it is not a version.
     */
    static String canonical(String version) {
        for (String v : new String[] {version, version.replaceFirst("-", ".")}) {
            try {
                return Version.parseVersion(v).toString();
            } catch (IllegalArgumentException e) {
                // try the Maven form next
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return version.isEmpty() ? name : name + "/" + version;
    }
}
