package io.sitegate.policy.internal.features;

import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;
import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's {@code features} section: feature repositories registered, features installed, upgraded and
 * uninstalled through Karaf's FeaturesService, without refreshing the bundles of the other capabilities
 * (see {@link KarafFeatureRuntime} for the options).
 *
 * <p>The section is one pseudo-PID {@code features} ({@link FeatureRecord}). A policy's section is a request
 * (install these, remove those); the snapshot is what policies have put in force, as a delta from the
 * distribution, kept in the state store under {@value #KEY}; restore undoes the difference between two such
 * records. Features the distribution installed are touched only when a policy names them. Before Karaf is
 * touched, what it holds is written down ({@value #PENDING}); a restore first brings Karaf back to that when a
 * change was cut short by a power loss or its undo failed, so the record and Karaf never disagree for long.
 *
 * <p>No lock is held around a FeaturesService call: the apply engine serialises applies, and a provisioning
 * round may take long.
 */
@Component(service = ConfigurableSection.class, property = ConfigurableSection.SECTION + "=" + FeatureRecord.PID)
public final class FeaturesSection implements ConfigurableSection {
    /** Where the record of what policies put in force lives. */
    static final String KEY = "policy.features";
    /** What Karaf held before a change in progress. */
    static final String PENDING = "policy.features.pending";
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesSection.class);

    private final FeatureRuntime runtime;
    private final StateStore store;

    @Activate
    public FeaturesSection(BundleContext context, @Reference FeaturesService features, @Reference StateStore store) {
        this(new KarafFeatureRuntime(features, context), store);
    }

    FeaturesSection(FeatureRuntime runtime, StateStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    @Override
    public String name() {
        return FeatureRecord.PID;
    }

    @Override
    public String pid() {
        return FeatureRecord.PID;
    }

    @Override
    public boolean factory() {
        return false;
    }

    @Override
    public List<ConfigProblem> validate(ConfigSection proposed) {
        List<ConfigProblem> problems = new ArrayList<>(FeatureRules.shape(proposed));
        if (!problems.isEmpty()) {
            return problems;
        }
        FeatureRecord request = FeatureRecord.of(proposed);
        try {
            boolean allKnown = runtime.repositories().containsAll(request.repositories());
            problems.addAll(FeatureRules.installable(request, runtime, allKnown));
        } catch (Exception e) {
            problems.add(new ConfigProblem(FeatureRecord.PID, "", "", "the feature repositories cannot be read: " + FeatureChange.message(e)));
        }
        return problems;
    }

    @Override
    public List<ConfigChange> diff(ConfigSection proposed) {
        FeatureRecord request = FeatureRecord.of(proposed);
        List<ConfigChange> changes = new ArrayList<>();
        try {
            Set<String> registered = runtime.repositories();
            Set<String> required = runtime.required();
            for (String url : request.repositories()) {
                if (!registered.contains(url)) {
                    changes.add(new ConfigChange(FeatureRecord.PID, "repositories", "+ repository " + url));
                }
            }
            for (String spec : request.install()) {
                FeatureSpec s = FeatureSpec.parse(spec);
                if (required.stream().anyMatch(s::matches)) {
                    continue;
                }
                Set<String> others = versionsOf(s.name(), required);
                changes.add(new ConfigChange(FeatureRecord.PID, "install", "+ feature " + spec
                        + (others.isEmpty() ? "" : " (upgrade from " + String.join(", ", others) + ")")));
            }
            for (String spec : request.remove()) {
                FeatureSpec s = FeatureSpec.parse(spec);
                required.stream().filter(s::matches).forEach(id -> changes.add(new ConfigChange(FeatureRecord.PID, "remove", "- feature " + id)));
            }
        } catch (Exception e) {
            changes.add(new ConfigChange(FeatureRecord.PID, "", "? the installed features cannot be read: " + FeatureChange.message(e)));
        }
        return changes;
    }

    @Override
    public ConfigSection apply(ConfigSection proposed, String source) throws ConfigRefusedException, InterruptedException {
        List<ConfigProblem> problems = validate(proposed);
        if (!problems.isEmpty()) {
            throw new ConfigRefusedException(FeatureRecord.PID, problems);
        }
        FeatureRecord request = FeatureRecord.of(proposed);
        FeatureRecord previous = record();
        FeatureChange change;
        try {
            Set<String> registered = runtime.repositories();
            Set<String> required = runtime.required();
            Set<String> add = FeatureChange.minus(request.repositories(), registered);
            Set<String> install = new TreeSet<>();
            for (String spec : request.install()) {
                if (required.stream().noneMatch(FeatureSpec.parse(spec)::matches)) {
                    install.add(spec);
                }
            }
            Set<String> uninstall = new TreeSet<>();
            for (String spec : request.remove()) {
                required.stream().filter(FeatureSpec.parse(spec)::matches).forEach(uninstall::add);
            }
            change = new FeatureChange(add, install, uninstall, Set.of());
        } catch (Exception e) {
            throw new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "",
                    "the installed features cannot be read: " + FeatureChange.message(e))));
        }
        // features only a new repository defines are checked for the agent's bundles once it is registered
        run(change, previous, () -> FeatureRules.installable(request, runtime, true));
        LOG.info("features: {} applied by {}", change, source);
        return snapshot();
    }

    @Override
    public ConfigSection snapshot() {
        return record().toSection();
    }

    @Override
    public void restore(ConfigSection snapshot) throws ConfigRefusedException, InterruptedException {
        repairPending();
        FeatureRecord target = FeatureRecord.of(snapshot);
        FeatureRecord current = record();
        if (target.equals(current)) {
            return;
        }
        Set<String> install = new TreeSet<>(FeatureChange.minus(target.install(), current.install()));
        install.addAll(FeatureChange.minus(current.remove(), target.remove()));
        Set<String> uninstall = new TreeSet<>(FeatureChange.minus(current.install(), target.install()));
        uninstall.addAll(FeatureChange.minus(target.remove(), current.remove()));
        FeatureChange change;
        try {
            Set<String> registered = runtime.repositories();
            change = new FeatureChange(FeatureChange.minus(FeatureChange.minus(target.repositories(), current.repositories()), registered),
                    install, uninstall, retain(FeatureChange.minus(current.repositories(), target.repositories()), registered));
        } catch (Exception e) {
            throw new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "",
                    "the feature repositories cannot be read: " + FeatureChange.message(e))));
        }
        run(change, current, List::of);
        LOG.info("features: restored {}", change);
    }

    private void run(FeatureChange change, FeatureRecord previous, FeatureChange.Guard guard)
            throws ConfigRefusedException, InterruptedException {
        if (change.isEmpty()) {
            return;
        }
        markPending();
        FeatureChange.Outcome outcome;
        try {
            outcome = change.run(runtime, guard);
        } catch (ConfigRefusedException e) {
            clearPending(); // undone: Karaf is as it was
            throw e;
        }
        FeatureRecord next = outcome.compose(previous);
        try {
            store.write(KEY, next.toBytes());
        } catch (StateStoreException e) {
            // a change the record does not know of could never be undone: undo it now
            FeatureChange back = new FeatureChange(outcome.removedRepositories(), FeatureChange.minus(outcome.before(), outcome.after()),
                    FeatureChange.minus(outcome.after(), outcome.before()), outcome.addedRepositories());
            back.run(runtime, List::of);
            clearPending();
            throw new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "",
                    "the record of the change cannot be written, so it was undone: " + e.getMessage())));
        }
        clearPending();
    }

    /**
     * Before Karaf is touched, what it holds is written down ({@value #PENDING}: every registered repository and
     * every feature installed on request), so that a power loss between Karaf's change and the record's write,
     * or an undo that failed, is repaired by the next {@link #restore}, which the engine's recovery calls.
     */
    private void markPending() throws ConfigRefusedException {
        try {
            store.write(PENDING, new FeatureRecord(runtime.repositories(), runtime.required(), Set.of()).toBytes());
        } catch (Exception e) {
            throw new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "",
                    "nothing was changed: the features in force cannot be written down first: " + FeatureChange.message(e))));
        }
    }

    private void clearPending() {
        try {
            store.delete(PENDING);
        } catch (StateStoreException e) {
            // harmless: the next restore brings Karaf back to a state it is already in
            LOG.warn("features: the pending mark cannot be cleared: {}", e.getMessage());
        }
    }

    /** Brings Karaf back to what it held before a change that was interrupted or whose undo failed. */
    private void repairPending() throws ConfigRefusedException, InterruptedException {
        Optional<StoredState> mark;
        try {
            mark = store.read(PENDING);
        } catch (StateStoreException e) {
            throw new IllegalStateException("features: the pending mark cannot be read: " + e.getMessage(), e);
        }
        if (mark.isEmpty()) {
            return;
        }
        FeatureRecord before = FeatureRecord.fromBytes(mark.get().content());
        FeatureChange back;
        try {
            Set<String> repositories = runtime.repositories();
            Set<String> required = runtime.required();
            back = new FeatureChange(FeatureChange.minus(before.repositories(), repositories), FeatureChange.minus(before.install(), required),
                    FeatureChange.minus(required, before.install()), FeatureChange.minus(repositories, before.repositories()));
        } catch (Exception e) {
            throw new ConfigRefusedException(FeatureRecord.PID, List.of(new ConfigProblem(FeatureRecord.PID, "", "",
                    "the installed features cannot be read: " + FeatureChange.message(e))));
        }
        if (!back.isEmpty()) {
            LOG.warn("features: a change was interrupted; bringing Karaf back to what it held before: {}", back);
            back.run(runtime, List::of);
        }
        clearPending();
    }

    /** What policies have put in force; nothing when none has. */
    FeatureRecord record() {
        try {
            Optional<StoredState> s = store.read(KEY);
            return s.map(st -> FeatureRecord.fromBytes(st.content())).orElse(FeatureRecord.EMPTY);
        } catch (StateStoreException e) {
            throw new IllegalStateException("features: the record of what policies installed cannot be read: " + e.getMessage(), e);
        }
    }

    private static Set<String> versionsOf(String name, Set<String> ids) {
        Set<String> out = new TreeSet<>();
        ids.stream().filter(id -> FeatureSpec.nameOf(id).equals(name)).forEach(id -> out.add(id.substring(name.length() + 1)));
        return out;
    }

    private static Set<String> retain(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.retainAll(b);
        return out;
    }
}
