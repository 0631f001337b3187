package io.sitegate.policy.internal.features;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One change of repositories and features, carried out all or nothing: repositories registered, features
 * installed or upgraded (one provisioning round), features uninstalled (one round), repositories unregistered.
 * When a step fails, what was done is undone (repositories re-registered, the installed features brought back to
 * what they were, new repositories unregistered) and the failure is reported with Karaf's message.
 *
 * @param addRepositories    to register
 * @param install            to install or upgrade ({@code name} or {@code name/version})
 * @param uninstall          to uninstall ({@code name/version}), those still installed when the step comes
 * @param removeRepositories to unregister
 */
record FeatureChange(Set<String> addRepositories, Set<String> install, Set<String> uninstall, Set<String> removeRepositories) {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureChange.class);

    /** What a change did to the features installed on request: before and after, {@code name/version}. */
    record Outcome(Set<String> before, Set<String> after, Set<String> addedRepositories, Set<String> removedRepositories) {
        /** The record of a policy that held {@code previous} and has now made this change. */
        FeatureRecord compose(FeatureRecord previous) {
            Set<String> plus = minus(after, before);
            Set<String> gone = minus(before, after);
            Set<String> install = new TreeSet<>(minus(previous.install(), gone));
            install.addAll(minus(plus, previous.remove()));
            Set<String> remove = new TreeSet<>(minus(previous.remove(), plus));
            remove.addAll(minus(gone, previous.install()));
            Set<String> repositories = new TreeSet<>(previous.repositories());
            repositories.addAll(addedRepositories);
            repositories.removeAll(removedRepositories);
            return new FeatureRecord(repositories, install, remove);
        }
    }

    boolean isEmpty() {
        return addRepositories.isEmpty() && install.isEmpty() && uninstall.isEmpty() && removeRepositories.isEmpty();
    }

    /**
     * Carries the change out.
     *
     * @param guard checked after the new repositories are registered and before anything is installed
     * @throws ConfigRefusedException when a step failed; everything done is undone
     * @throws IllegalStateException  when the undo failed too: the caller must restore its last-known-good
     */
    Outcome run(FeatureRuntime runtime, Guard guard) throws ConfigRefusedException, InterruptedException {
        Set<String> before;
        try {
            before = runtime.required();
        } catch (Exception e) {
            throw refused("the installed features cannot be read", e);
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        boolean provisioned = false;
        try {
            for (String url : addRepositories) {
                runtime.addRepository(URI.create(url));
                added.add(url);
            }
            List<ConfigProblem> problems = guard.check();
            if (!problems.isEmpty()) {
                undo(runtime, before, added, removed, false);
                throw new ConfigRefusedException(FeatureRecord.PID, problems);
            }
            if (!install.isEmpty()) {
                provisioned = true;
                runtime.install(install);
            }
            Set<String> stillInstalled = new LinkedHashSet<>(uninstall);
            stillInstalled.retainAll(runtime.required());
            if (!stillInstalled.isEmpty()) {
                provisioned = true;
                runtime.uninstall(stillInstalled);
            }
            for (String url : removeRepositories) {
                runtime.removeRepository(URI.create(url));
                removed.add(url);
            }
            return new Outcome(before, runtime.required(), Set.copyOf(added), Set.copyOf(removed));
        } catch (ConfigRefusedException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            undo(runtime, before, added, removed, provisioned);
            throw refused("Karaf refused the change, nothing of it stays in force", e);
        }
    }

    /** What to check once the new repositories are registered. */
    @FunctionalInterface
    interface Guard {
        List<ConfigProblem> check() throws Exception;
    }

    private static void undo(FeatureRuntime runtime, Set<String> before, List<String> added, List<String> removed, boolean provisioned) {
        List<String> failures = new ArrayList<>();
        for (String url : removed) {
            try {
                runtime.addRepository(URI.create(url));
            } catch (Exception e) {
                failures.add("re-registering " + url + ": " + message(e));
            }
        }
        if (provisioned) {
            try {
                Set<String> now = runtime.required();
                Set<String> extra = minus(now, before);
                Set<String> missing = minus(before, now);
                if (!extra.isEmpty()) {
                    runtime.uninstall(extra);
                }
                if (!missing.isEmpty()) {
                    runtime.install(missing);
                }
            } catch (Exception e) {
                failures.add("bringing the features back to " + before + ": " + message(e));
            }
        }
        for (int i = added.size() - 1; i >= 0; i--) {
            try {
                runtime.removeRepository(URI.create(added.get(i)));
            } catch (Exception e) {
                failures.add("unregistering " + added.get(i) + ": " + message(e));
            }
        }
        if (!failures.isEmpty()) {
            LOG.error("features: undoing a failed change failed: {}", failures);
            throw new IllegalStateException("features: undoing a failed change failed: " + String.join("; ", failures));
        }
    }

    private static ConfigRefusedException refused(String what, Exception e) {
        LOG.warn("features: {}: {}", what, message(e));
        return new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "", what + ": " + message(e))));
    }

    /** Karaf's message, or the exception's type when it has none; the first line only (a resolution error is long). */
    static String message(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
