package io.sitegate.policy.internal.features;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every reason a {@code features} section cannot be applied. Nothing here registers, downloads or installs.
 *
 * <p>What is checked before anything is applied: the shape (one pseudo-PID, its three keys), each URL's
 * scheme, that a {@code file:} repository is a readable file, each feature spec, a feature both installed
 * and removed or installed in two versions, the removal of a feature the gateway needs to stay reachable, and,
 * for the features the already registered repositories define, that they do not install or update the core or
 * policy bundle (the agent would be refreshed in the middle of its own transaction).
 *
 * <p>What is left to apply (and its undo, then the whole policy's rollback): whether a new repository parses
 * and resolves, and the same bundle check for the features only a new repository defines, which cannot be
 * looked up before the repository is registered, a side effect validate must not have.
 */
final class FeatureRules {
    /** Features the gateway cannot lose: its core, its operators' access, its cloud link; and the set of them all. */
    static final Set<String> INDISPENSABLE = Set.of("sitegate", "sitegate-core", "sitegate-access", "sitegate-policy");
    static final Set<String> SCHEMES = Set.of("mvn", "file", "https");
    /** The bundles the policy agent runs on: updating either refreshes the agent itself. */
    private static final Pattern AGENT_BUNDLE = Pattern.compile("io\\.sitegate[./](core|policy)([/_-]|$)");

    private FeatureRules() {
    }

    /** The problems of the section's shape and values, without asking Karaf. */
    static List<ConfigProblem> shape(ConfigSection proposed) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String pid : proposed.configurations().keySet()) {
            if (!FeatureRecord.PID.equals(pid)) {
                problems.add(new ConfigProblem(pid, "", "", "the features section has one part, '" + FeatureRecord.PID + "'"));
            }
        }
        for (String key : proposed.values(FeatureRecord.PID).keySet()) {
            if (!FeatureRecord.KEYS.contains(key)) {
                problems.add(new ConfigProblem(FeatureRecord.PID, key, "", "unknown property; known: repositories, install, remove"));
            }
        }
        FeatureRecord request = FeatureRecord.of(proposed);
        request.repositories().forEach(url -> repositoryProblem(url).ifPresent(
                why -> problems.add(new ConfigProblem(FeatureRecord.PID, "repositories", url, why))));
        Map<String, String> installed = new HashMap<>();
        for (String spec : request.install()) {
            specProblem(spec).ifPresentOrElse(why -> problems.add(new ConfigProblem(FeatureRecord.PID, "install", spec, why)), () -> {
                String previous = installed.put(FeatureSpec.nameOf(spec), spec);
                if (previous != null) {
                    problems.add(new ConfigProblem(FeatureRecord.PID, "install", spec, "'" + previous + "' is installed too: one version per feature"));
                }
            });
        }
        for (String spec : request.remove()) {
            Optional<String> bad = specProblem(spec);
            String name = FeatureSpec.nameOf(spec);
            if (bad.isPresent()) {
                problems.add(new ConfigProblem(FeatureRecord.PID, "remove", spec, bad.get()));
            } else if (INDISPENSABLE.contains(name)) {
                problems.add(new ConfigProblem(FeatureRecord.PID, "remove", spec, "the gateway needs '" + name
                        + "' to stay reachable (core, operator access, cloud link): it is never removed by policy"));
            } else if (installed.containsKey(name)) {
                problems.add(new ConfigProblem(FeatureRecord.PID, "remove", spec, "'" + installed.get(name) + "' is installed by the same section"));
            }
        }
        return problems;
    }

    /**
     * The problems Karaf's registered repositories show: a feature they do not define (only when the section
     * registers no new repository), a feature that would install or update a bundle the agent runs on.
     */
    static List<ConfigProblem> installable(FeatureRecord request, FeatureRuntime runtime, boolean allRepositoriesKnown) throws Exception {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> locations = runtime.bundleLocations();
        for (String spec : request.install()) {
            Optional<FeatureRuntime.Resolved> found = runtime.find(FeatureSpec.parse(spec));
            if (found.isEmpty()) {
                if (allRepositoriesKnown) {
                    problems.add(new ConfigProblem(FeatureRecord.PID, "install", spec, "no registered feature repository defines it"));
                }
                continue;
            }
            agentBundle(found.get(), locations).ifPresent(loc -> problems.add(new ConfigProblem(FeatureRecord.PID, "install", spec,
                    "it would install or update " + loc + ", a bundle the policy agent runs on: the agent would be refreshed in the"
                            + " middle of its own transaction; update the core and the agent with a new distribution")));
        }
        return problems;
    }

    /** A bundle of the feature that the agent runs on and that is not installed at that location already. */
    static Optional<String> agentBundle(FeatureRuntime.Resolved feature, Set<String> installedLocations) {
        return feature.bundleLocations().stream()
                .filter(loc -> AGENT_BUNDLE.matcher(loc).find() && !installedLocations.contains(loc)).findFirst();
    }

    static Optional<String> repositoryProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            return Optional.of("a feature repository is an mvn:, file: or https: URL");
        }
        if ("file".equals(uri.getScheme())) {
            try {
                Path path = Path.of(uri);
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    return Optional.of("no readable file " + path);
                }
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return Optional.of("a file: URL is an absolute path, file:/dir/features.xml (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> specProblem(String spec) {
        try {
            FeatureSpec.parse(spec);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
