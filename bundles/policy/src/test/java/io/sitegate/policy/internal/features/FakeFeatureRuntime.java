package io.sitegate.policy.internal.features;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A FeaturesService as the section sees it: repositories that exist (by URL) with their features, the ones
 * registered, the features installed on request. Installs behave like Karaf's with {@code Upgrade}: another
 * version of the same name is replaced. Faults are injected per feature or per repository.
 */
final class FakeFeatureRuntime implements FeatureRuntime {
    /** Repository URL to feature id to bundle locations. */
    final Map<String, Map<String, List<String>>> available = new LinkedHashMap<>();
    final Set<String> registered = new TreeSet<>();
    final Set<String> required = new TreeSet<>();
    final Set<String> bundles = new HashSet<>();
    /** Features whose install fails as a resolution failure would. */
    final Set<String> unresolvable = new HashSet<>();
    /** Fails every uninstall (to break an undo). */
    boolean uninstallFails;
    final List<String> calls = new ArrayList<>();

    FakeFeatureRuntime repository(String url, String id, String... bundleLocations) {
        available.computeIfAbsent(url, k -> new LinkedHashMap<>()).put(id, List.of(bundleLocations));
        return this;
    }

    @Override
    public Set<String> repositories() {
        return new TreeSet<>(registered);
    }

    @Override
    public void addRepository(URI uri) throws Exception {
        calls.add("addRepository " + uri);
        if (!available.containsKey(uri.toString())) {
            throw new java.io.FileNotFoundException(uri.getPath() + " (No such file or directory)");
        }
        registered.add(uri.toString());
    }

    @Override
    public void removeRepository(URI uri) {
        calls.add("removeRepository " + uri);
        registered.remove(uri.toString());
    }

    @Override
    public Set<String> required() {
        return new TreeSet<>(required);
    }

    @Override
    public Optional<Resolved> find(FeatureSpec spec) {
        Resolved best = null;
        for (String url : registered) {
            for (Map.Entry<String, List<String>> f : available.get(url).entrySet()) {
                if (spec.matches(f.getKey()) && (best == null || best.id().compareTo(f.getKey()) < 0)) {
                    best = new Resolved(f.getKey(), f.getValue());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public void install(Set<String> specs) throws Exception {
        calls.add("install " + specs);
        Set<String> next = new TreeSet<>(required);
        for (String spec : specs) {
            Resolved r = find(FeatureSpec.parse(spec)).orElseThrow(() -> new IllegalArgumentException("No matching features for " + spec));
            if (unresolvable.contains(r.id())) {
                throw new Exception("Unable to resolve root: missing requirement [root] osgi.identity; osgi.identity=" + r.id()
                        + "; type=karaf.feature\nmore lines");
            }
            next.removeIf(id -> FeatureSpec.nameOf(id).equals(FeatureSpec.nameOf(r.id())));
            next.add(r.id());
        }
        required.clear();
        required.addAll(next);
        for (String id : next) {
            find(FeatureSpec.parse(id)).ifPresent(r -> bundles.addAll(r.bundleLocations()));
        }
    }

    @Override
    public void uninstall(Set<String> ids) throws Exception {
        calls.add("uninstall " + ids);
        if (uninstallFails) {
            throw new Exception("the framework is shutting down");
        }
        for (String id : ids) {
            if (!required.remove(id)) {
                throw new IllegalArgumentException("Feature named '" + id + "' is not installed");
            }
        }
    }

    @Override
    public Set<String> bundleLocations() {
        return new HashSet<>(bundles);
    }
}
