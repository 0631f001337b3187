package io.sitegate.policy.internal.features;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Dependency;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.FeaturesService.Option;
import org.apache.karaf.features.Repository;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * {@link FeatureRuntime} over Karaf 4.4's FeaturesService.
 *
 * <p>The options are chosen so that updating one capability leaves the others serving (Karaf 4.4.10,
 * {@code features/core/.../internal/service/Deployer.java#deploy} and {@code FeaturesServiceImpl#installFeatures}):
 * <ul>
 * <li>{@link Option#NoAutoRefreshBundles}: the Deployer skips its refresh step, in which it stops and
 *     refreshes every bundle wired to a bundle that was updated or uninstalled, and every bundle whose
 *     optional imports the new bundles would now satisfy. Without it, a new library bundle can restart the
 *     DNS forwarder or the tunnel supervisor mid-update. The cost: a bundle keeps its old wiring until the
 *     next refresh, which is what we want for the capabilities not being updated.</li>
 * <li>{@link Option#Upgrade} (install only): the request for another version of the same feature is dropped
 *     ({@code computeFeaturesToRemoveOnUpdate}), so {@code foo/1.0.1} replaces {@code foo/1.0.0} in one
 *     provisioning round instead of both staying installed.</li>
 * </ul>
 * Not chosen: {@code NoAutoStartBundles} (the new capability must start), {@code NoAutoManageBundles}
 * (Karaf must own the bundles it installs, to uninstall them on rollback), {@code DeleteConfigurations}
 * (an uninstall must not delete configuration a later reinstall or rollback needs).
 */
final class KarafFeatureRuntime implements FeatureRuntime {
    static final EnumSet<Option> INSTALL = EnumSet.of(Option.NoAutoRefreshBundles, Option.Upgrade);
    static final EnumSet<Option> UNINSTALL = EnumSet.of(Option.NoAutoRefreshBundles);
    private static final int MAX_DEPTH = 16;

    private final FeaturesService features;
    private final BundleContext context;

    KarafFeatureRuntime(FeaturesService features, BundleContext context) {
        this.features = features;
        this.context = context;
    }

    @Override
    public Set<String> repositories() throws Exception {
        Set<String> out = new TreeSet<>();
        for (Repository r : features.listRepositories()) {
            out.add(r.getURI().toString());
        }
        return out;
    }

    @Override
    public void addRepository(URI uri) throws Exception {
        features.addRepository(uri, false);
    }

    @Override
    public void removeRepository(URI uri) throws Exception {
        features.removeRepository(uri, false);
    }

    @Override
    public Set<String> required() throws Exception {
        Set<String> out = new TreeSet<>();
        for (Feature f : features.listRequiredFeatures()) {
            out.add(f.getId());
        }
        return out;
    }

    @Override
    public Optional<Resolved> find(FeatureSpec spec) throws Exception {
        Optional<Feature> f = highest(spec.name(), spec.exactVersion().orElse(null));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        List<String> locations = new ArrayList<>();
        collect(f.get(), locations, new HashSet<>(), 0);
        return Optional.of(new Resolved(f.get().getId(), List.copyOf(locations)));
    }

    private Optional<Feature> highest(String name, String version) throws Exception {
        Feature[] found = version == null ? features.getFeatures(name) : features.getFeatures(name, version);
        return found == null ? Optional.empty()
                : Arrays.stream(found).max(Comparator.comparing(KarafFeatureRuntime::version));
    }

    private void collect(Feature f, List<String> locations, Set<String> seen, int depth) throws Exception {
        if (!seen.add(f.getId()) || depth > MAX_DEPTH) {
            return;
        }
        for (BundleInfo b : f.getBundles()) {
            locations.add(b.getLocation());
        }
        for (Dependency d : f.getDependencies()) {
            // a dependency's version is a range or empty; getFeatures matches both
            String range = d.getVersion() == null || d.getVersion().isEmpty() || "0.0.0".equals(d.getVersion()) ? null : d.getVersion();
            Optional<Feature> dep = highest(d.getName(), range);
            if (dep.isPresent()) {
                collect(dep.get(), locations, seen, depth + 1);
            }
        }
    }

    private static Version version(Feature f) {
        String c = FeatureSpec.canonical(f.getVersion());
        return c == null ? Version.emptyVersion : Version.parseVersion(c);
    }

    @Override
    public void install(Set<String> ids) throws Exception {
        features.installFeatures(ids, INSTALL);
    }

    @Override
    public void uninstall(Set<String> ids) throws Exception {
        features.uninstallFeatures(ids, UNINSTALL);
    }

    @Override
    public Set<String> bundleLocations() {
        Set<String> out = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            out.add(b.getLocation());
        }
        return out;
    }
}
