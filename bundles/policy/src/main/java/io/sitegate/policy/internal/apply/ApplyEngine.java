package io.sitegate.policy.internal.apply;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.Registration;
import io.sitegate.core.SafeText;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.internal.apply.ApplyResult.Outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a verified policy as one transaction through the capabilities' {@link ConfigurableSection}s:
 * validate every section, persist the candidate and the last-known-good, apply in a fixed order, wait for
 * the health that matters within the confirm window, then confirm or restore the last-known-good.
 *
 * <p>Every step that touches a capability is preceded by a journal write ({@link Journal}, one
 * {@link StateStore} document), so that {@link #recover()} at the next boot finds the gateway on the old
 * policy or the new one, never a mix. A restore that fails falls back to the shipped defaults with the
 * cloud connection settings carried over, so the gateway stays reachable.
 *
 * <p>One transaction at a time. {@link #recover()} must run once (at activation) before the first apply.
 * Errors ({@link Error}) are never caught: a dying JVM is what recovery is for.
 */
public final class ApplyEngine {
    /** The confirm window when none is configured. */
    public static final Duration DEFAULT_CONFIRM_WINDOW = Duration.ofSeconds(120);
    /** How often the health is looked at during the confirm window, besides every health change. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    /** The longest reason written into a result (an ack must stay small). */
    static final String INTERRUPTED = "interrupted by a restart";
    private static final Logger LOG = LoggerFactory.getLogger(ApplyEngine.class);

    private final StateStore store;
    private final Function<String, Optional<ConfigurableSection>> capabilities;
    private final HealthRegistry health;
    private final ConfirmTimer timer;
    private final Duration confirmWindow;
    private final Duration poll;
    private final String ownTarget;

    private final Rollback rollback;
    private Journal journal;
    private Pending pending;

    /**
     * @param store         where the journal lives
     * @param capabilities  the capability offering a section, by section name
     * @param health        the registry the confirm condition is judged on
     * @param timer         runs the confirm window's checks and measures the window: a scheduler counts
     *                      monotonic time, whereas the wall clock of a gateway without a battery-backed clock
     *                      jumps by years when NTP first answers
     * @param confirmWindow how long the health may take after the last section is applied
     * @param defaults      the shipped defaults per section, for the fallback
     * @param carryOver     what the fallback keeps from the last-known-good ({@code section/property},
     *                      {@code section/*}): the cloud connection settings
     */
    public ApplyEngine(StateStore store, Function<String, Optional<ConfigurableSection>> capabilities, HealthRegistry health,
            ConfirmTimer timer, Duration confirmWindow, Supplier<Map<String, ConfigSection>> defaults,
            Set<String> carryOver) {
        this(store, capabilities, health, timer, confirmWindow, defaults, carryOver, null);
    }

    /**
     * @param ownTarget the gateway's own target: its policy overrides its groups' section by section
     *                  ({@link Layers}); {@code null}: every policy is applied as it is
     */
    public ApplyEngine(StateStore store, Function<String, Optional<ConfigurableSection>> capabilities, HealthRegistry health,
            ConfirmTimer timer, Duration confirmWindow, Supplier<Map<String, ConfigSection>> defaults,
            Set<String> carryOver, String ownTarget) {
        this.ownTarget = ownTarget;
        this.store = Objects.requireNonNull(store, "store");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.health = Objects.requireNonNull(health, "health");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (confirmWindow.isNegative()) {
            throw new IllegalArgumentException("confirm window " + confirmWindow + " is negative");
        }
        this.confirmWindow = confirmWindow;
        this.poll = DEFAULT_POLL;
        this.rollback = new Rollback(capabilities, Objects.requireNonNull(defaults, "defaults"), Set.copyOf(carryOver),
                this::write);
    }

    /** The journal as last written or read. */
    public synchronized Journal journal() throws StateStoreException {
        if (journal == null) {
            journal = JournalCodec.read(store);
        }
        return journal;
    }

    /**
     * The highest version confirmed for {@code target}, for the verifier. When the journal cannot be read
     * it is {@link Long#MAX_VALUE}: every policy is refused rather than a replay accepted.
     */
    public long highWaterMark(String target) {
        try {
            return journal().highWaterMark(target);
        } catch (StateStoreException e) {
            LOG.error("policy journal unreadable, refusing every policy: {}", e.getMessage());
            return Long.MAX_VALUE;
        }
    }

    /** Whether a policy is in its confirm window. */
    public synchronized boolean confirming() {
        return pending != null;
    }

    /** A dry run: what the policy would change, and every reason it would be refused. Applies nothing. */
    public synchronized PolicyCheck check(PolicyDocument doc) throws StateStoreException {
        SectionPlan plan = SectionPlan.of(Layers.effective(doc, ownTarget, journal().layers()), capabilities);
        List<String> problems = new ArrayList<>(plan.problems());
        versionProblem(doc).ifPresent(p -> problems.add(0, p));
        return new PolicyCheck(doc.version(), plan.changes(), problems);
    }

    /**
     * Applies a verified policy as one transaction. The stage completes when the transaction is final:
     * at once when refused or rolled back during apply, after the health came or the confirm window ended
     * otherwise. It completes exceptionally only when the journal cannot be written or the thread is
     * interrupted; the journal then tells {@link #recover()} what to finish.
     *
     * @param condition the health that must come within the confirm window
     * @throws StateStoreException when the journal cannot be written before anything was applied
     * @throws InterruptedException when a capability was interrupted; the journal is left unfinished and
     *                              {@link #recover()} restores the last-known-good
     */
    public synchronized CompletionStage<ApplyResult> apply(PolicyDocument doc, HealthCondition condition)
            throws StateStoreException, InterruptedException {
        Objects.requireNonNull(condition, "condition");
        Journal current = journal();
        if (pending != null) {
            return done(ApplyResult.of(Outcome.REJECTED, doc.version(), "policy version " + pending.journal.version()
                    + " is still in its confirm window", Map.of()));
        }
        if (!current.phase().terminal()) {
            return done(ApplyResult.of(Outcome.REJECTED, doc.version(), "policy version " + current.version()
                    + " was left unfinished (" + current.phase() + "); recovery must run first", Map.of()));
        }
        SectionPlan plan = SectionPlan.of(Layers.effective(doc, ownTarget, current.layers()), capabilities);
        List<String> problems = new ArrayList<>(plan.problems());
        versionProblem(doc).ifPresent(p -> problems.add(0, p));
        if (!problems.isEmpty()) {
            return done(ApplyResult.of(Outcome.REJECTED, doc.version(), String.join("; ", problems), plan.changes()));
        }
        Map<String, ConfigSection> lkg = new java.util.TreeMap<>();
        for (SectionPlan.Step step : plan.steps()) {
            lkg.put(step.name(), step.capability().snapshot());
        }
        Journal prepared = new Journal(Phase.PREPARED, doc.version(), doc.target(), doc.keyId(),
                JournalCodec.candidate(doc), current.inForceVersion(), lkg, Map.of(), "", current.highWaterMarks(),
                current.inForceVersion(), current.layers(), current.lkgLayer());
        try {
            write(prepared);
            Journal applying = prepared.phase(Phase.APPLYING, "");
            write(applying);
            return applyAndWait(applying, plan, condition);
        } catch (StateStoreException e) {
            // What the disk holds decides (a failed write may still have reached it): recover from it now.
            return done(recoverAfter(e, doc.version()));
        }
    }

    private CompletionStage<ApplyResult> applyAndWait(Journal applying, SectionPlan plan, HealthCondition condition)
            throws StateStoreException, InterruptedException {
        String source = "policy " + applying.target() + " v" + applying.version();
        List<String> touched = new ArrayList<>();
        for (SectionPlan.Step step : plan.steps()) {
            try {
                step.capability().apply(step.proposed(), source);
                touched.add(step.name());
            } catch (ConfigRefusedException e) {
                // the contract: a refused section keeps its previous configuration; only the others go back
                return done(rollback.rollBack(applying, touched, step.name() + " refused: " + e.getMessage(), plan.changes()));
            } catch (RuntimeException e) {
                touched.add(step.name()); // it may be half applied: put it back too
                return done(rollback.rollBack(applying, touched, step.name() + " failed: " + e, plan.changes()));
            }
        }
        Journal confirming = applying.phase(Phase.CONFIRMING, "");
        write(confirming);
        Pending p = new Pending(confirming, touched, plan.changes(), condition);
        pending = p;
        if (unmet(condition).isEmpty()) {
            finish(p, confirm(p));
            return p.result;
        }
        try {
            // a change is looked at from the timer's thread: the registry may call listeners under its own lock
            p.listener = health.addListener((before, after) -> timer.schedule(Duration.ZERO, () -> check(p, false)));
            p.deadline = timer.schedule(confirmWindow, () -> check(p, true));
            scheduleTick(p);
        } catch (RuntimeException e) {
            // no window without a timer (an executor shut down): nothing would ever confirm or roll back
            stop(p);
            return done(rollback.rollBack(confirming, touched, "the confirm window could not be started: " + e, plan.changes()));
        }
        return p.result;
    }

    /**
     * Looks at the pending transaction's condition again now (from the timer's thread): for a condition that
     * does not come from the health registry, such as an MQTT round trip.
     */
    public void recheck() {
        Pending p;
        synchronized (this) {
            p = pending;
        }
        if (p != null) {
            timer.schedule(Duration.ZERO, () -> check(p, false));
        }
    }

    /**
     * An operator's rollback of the policy in force: restores the last-known-good its transaction kept,
     * journaled like any rollback (a crash halfway finishes it at the next boot). The version before it is
     * in force again; the high-water mark stays, so the cloud must publish a new version to move on.
     *
     * @throws IllegalStateException when a transaction is unfinished or nothing can be rolled back
     */
    public synchronized ApplyResult rollbackInForce(String who) throws StateStoreException, InterruptedException {
        if (pending != null) {
            throw new IllegalStateException("policy version " + pending.journal.version() + " is in its confirm window");
        }
        Journal j = journal();
        if (j.phase() != Phase.CONFIRMED || j.version() == 0 || j.inForceVersion() != j.version()) {
            throw new IllegalStateException("nothing to roll back: the last transaction (version " + j.version() + ") is "
                    + j.phase() + (j.phase() == Phase.CONFIRMED ? "" : ", not a confirmed policy in force"));
        }
        String why = "rolled back by " + who + " to version " + j.lkgVersion();
        Journal rolling = j.operatorRollback(why);
        write(rolling);
        List<String> all = SectionPlan.ORDER.stream().filter(j.lkg()::containsKey).toList();
        return rollback.rollBack(rolling, all, why, Map.of());
    }

    /**
     * After a journal write failed with capabilities touched: recover from what the disk holds, as a restart
     * would. A CONFIRMED journal on disk means the write did reach it.
     */
    private ApplyResult recoverAfter(StateStoreException failure, long version) throws StateStoreException, InterruptedException {
        LOG.error("policy version {}: journal write failed, recovering from the journal on disk: {}", version, failure.getMessage());
        pending = null;
        try {
            Optional<ApplyResult> r = recoverFrom("the journal could not be written (" + failure.getMessage() + ")");
            if (r.isPresent()) {
                return r.get();
            }
            if (journal.phase() == Phase.CONFIRMED && journal.version() == version) {
                return ApplyResult.of(Outcome.APPLIED, version, "", Map.of());
            }
        } catch (StateStoreException | SectionsUnavailableException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        journal = null;
        throw failure;
    }

    /**
     * Finishes what a crash or a power loss interrupted, at boot, before any apply: a prepared transaction
     * is dropped; an applying, confirming or rolling back one is rolled back to the last-known-good; a
     * falling back one applies its fallback again.
     *
     * @return what became of the interrupted policy, for its ack; empty when nothing was interrupted
     * @throws SectionsUnavailableException when a section to restore has no capability yet; nothing touched
     */
    public synchronized Optional<ApplyResult> recover()
            throws StateStoreException, InterruptedException, SectionsUnavailableException {
        if (pending != null) {
            throw new IllegalStateException("policy version " + pending.journal.version() + " is in its confirm window");
        }
        return recoverFrom(INTERRUPTED);
    }

    private Optional<ApplyResult> recoverFrom(String interruption)
            throws StateStoreException, InterruptedException, SectionsUnavailableException {
        JournalCodec.Read read = JournalCodec.readChecked(store);
        journal = read.journal();
        Journal j = journal;
        // A corrupt current generation hides the step after the one read. Only after PREPARED does that
        // matter: the hidden APPLYING may have touched sections, so restore them as if it were there.
        Phase phase = j.phase() == Phase.PREPARED && read.recovered() ? Phase.APPLYING : j.phase();
        switch (phase) {
            case PREPARED -> {
                String why = interruption + " before anything was applied";
                write(j.ended(Phase.DISCARDED, why));
                return Optional.of(ApplyResult.of(Outcome.ROLLED_BACK, j.version(), why, Map.of()));
            }
            case APPLYING, CONFIRMING, ROLLING_BACK -> {
                requireCapabilities(j.lkg().keySet());
                String why = j.phase() != Phase.ROLLING_BACK || j.reason().isEmpty() ? interruption
                        : j.reason().startsWith(interruption) ? j.reason() // a second crash says nothing new
                        : interruption + " while rolling back (" + j.reason() + ")";
                LOG.warn("policy version {} was {} when interrupted: restoring the last-known-good", j.version(), j.phase());
                List<String> all = SectionPlan.ORDER.stream().filter(j.lkg()::containsKey).toList();
                return Optional.of(rollback.rollBack(j, all, why, Map.of()));
            }
            case FALLING_BACK -> {
                requireCapabilities(j.fallback().keySet());
                return Optional.of(rollback.finishFallback(j, Map.of()));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<String> versionProblem(PolicyDocument doc) throws StateStoreException {
        long mark = journal().highWaterMark(doc.target());
        return doc.version() <= mark ? Optional.of("version " + doc.version() + " is not above the high-water mark "
                + mark + " for '" + SafeText.escape(doc.target()) + "'") : Optional.empty();
    }

    private void requireCapabilities(Set<String> names) throws SectionsUnavailableException {
        Set<String> missing = new TreeSet<>();
        names.forEach(n -> {
            if (capabilities.apply(n).isEmpty()) {
                missing.add(n);
            }
        });
        if (!missing.isEmpty()) {
            throw new SectionsUnavailableException(missing);
        }
    }

    /** What the condition misses now; a condition that throws misses everything. */
    private Optional<String> unmet(HealthCondition condition) {
        try {
            return condition.unmet(health.snapshot());
        } catch (RuntimeException e) {
            LOG.error("the confirm condition failed: {}", e.toString());
            return Optional.of("the health could not be judged: " + e);
        }
    }

    private void scheduleTick(Pending p) {
        p.tick = timer.schedule(poll, () -> {
            check(p, false);
            synchronized (this) {
                if (pending == p) {
                    scheduleTick(p);
                }
            }
        });
    }

    /**
     * Looks at the health of a pending transaction: confirm when it is there; at the end of the window
     * ({@code last}) roll back when it is not.
     */
    private synchronized void check(Pending p, boolean last) {
        if (pending != p) {
            return;
        }
        try {
            Optional<String> unmet = unmet(p.condition);
            if (unmet.isEmpty()) {
                finish(p, confirm(p));
            } else if (last) {
                finish(p, rollback.rollBack(p.journal, p.touched, "the health that matters did not come within the confirm window of "
                        + confirmWindow.toSeconds() + " s: " + unmet.get(), p.changes));
            }
        } catch (StateStoreException e) {
            stop(p);
            try {
                p.result.complete(recoverAfter(e, p.journal.version()));
            } catch (StateStoreException | InterruptedException again) {
                p.result.completeExceptionally(again);
            }
        } catch (RuntimeException e) {
            LOG.error("policy version {}: the transaction stopped, the next recovery finishes it: {}", p.journal.version(), e.toString());
            stop(p);
            p.result.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p);
            p.result.completeExceptionally(e);
        }
    }

    private ApplyResult confirm(Pending p) throws StateStoreException {
        write(p.journal.confirmed());
        LOG.info("policy version {} for {} confirmed", p.journal.version(), p.journal.target());
        return ApplyResult.of(Outcome.APPLIED, p.journal.version(), "", p.changes);
    }

    private void finish(Pending p, ApplyResult r) {
        stop(p);
        p.result.complete(r);
    }

    private void stop(Pending p) {
        if (pending == p) {
            pending = null;
        }
        if (p.listener != null) {
            p.listener.close();
        }
        if (p.tick != null) {
            p.tick.close();
        }
        if (p.deadline != null) {
            p.deadline.close();
        }
    }

    private void write(Journal next) throws StateStoreException {
        JournalCodec.write(store, next);
        journal = next;
    }

    private static CompletionStage<ApplyResult> done(ApplyResult r) {
        return CompletableFuture.completedFuture(r);
    }

    /** A transaction in its confirm window. */
    private static final class Pending {
        final Journal journal;
        final List<String> touched;
        final Map<String, List<ConfigChange>> changes;
        final HealthCondition condition;
        final CompletableFuture<ApplyResult> result = new CompletableFuture<>();
        Registration listener;
        Registration tick;
        Registration deadline;

        Pending(Journal journal, List<String> touched, Map<String, List<ConfigChange>> changes, HealthCondition condition) {
            this.journal = journal;
            this.touched = List.copyOf(touched);
            this.changes = changes;
            this.condition = condition;
        }
    }
}
