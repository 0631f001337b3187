package io.sitegate.policy.internal.features;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the features section needs of Karaf's FeaturesService, and no more: so that the section's logic is
 * tested without a Karaf, and every call that may provision bundles is in one place. Every method may take
 * long (downloads, resolution) and must not be called while holding a lock another thread needs.
 */
interface FeatureRuntime {

    /** The feature repositories registered now, as URIs. */
    Set<String> repositories() throws Exception;

    /** Registers a repository; fails (nothing registered) when it cannot be read or parsed. */
    void addRepository(URI uri) throws Exception;

    /** Unregisters a repository, installing or uninstalling nothing. */
    void removeRepository(URI uri) throws Exception;

    /** The features installed because they were asked for (not as a dependency), as {@code name/version}. */
    Set<String> required() throws Exception;

    /**
     * The feature a spec names among the registered repositories: its {@code name/version} (the highest
     * version for a name alone), and the locations of its bundles and of its dependencies' bundles.
     */
    Optional<Resolved> find(FeatureSpec spec) throws Exception;

    /** Installs or upgrades features ({@code name} or {@code name/version}), one provisioning round. */
    void install(Set<String> features) throws Exception;

    /** Uninstalls features ({@code name/version}), one provisioning round. */
    void uninstall(Set<String> features) throws Exception;

    /** The locations of the bundles installed in the framework now. */
    Set<String> bundleLocations();

    /**
     * A feature found in a registered repository.
     *
     * @param id              {@code name/version}
     * @param bundleLocations its bundles and those of the features it depends on
     */
    record Resolved(String id, List<String> bundleLocations) {
    }
}
