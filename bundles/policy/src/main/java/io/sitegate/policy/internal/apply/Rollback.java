package io.sitegate.policy.internal.apply;

import io.sitegate.core.SafeText;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.policy.internal.apply.ApplyResult.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back: restore the last-known-good of the sections a transaction touched, and when a restore
 * fails, fall back to the shipped defaults with the cloud connection settings carried over. Each step is
 * journaled first, so that a restart repeats it (restores and fallback applies are idempotent).
 */
final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    /** Writes the journal durably. */
    @FunctionalInterface
    interface JournalWriter {
        void write(Journal next) throws StateStoreException;
    }

    private final Function<String, Optional<ConfigurableSection>> capabilities;
    private final Supplier<Map<String, ConfigSection>> defaults;
    private final Set<String> carryOver;
    private final JournalWriter journal;

    Rollback(Function<String, Optional<ConfigurableSection>> capabilities, Supplier<Map<String, ConfigSection>> defaults,
            Set<String> carryOver, JournalWriter journal) {
        this.capabilities = capabilities;
        this.defaults = defaults;
        this.carryOver = carryOver;
        this.journal = journal;
    }

    /** Restores the last-known-good of {@code touched} (newest first); a failing restore falls back. */
    ApplyResult rollBack(Journal from, List<String> touched, String reason, Map<String, List<ConfigChange>> changes)
            throws StateStoreException, InterruptedException {
        Journal rolling = from.phase(Phase.ROLLING_BACK, reason);
        try {
            journal.write(rolling);
        } catch (StateStoreException e) {
            // informational only: APPLYING and CONFIRMING on disk are recovered exactly like ROLLING_BACK
            LOG.error("policy version {}: cannot record the rollback, restoring anyway: {}", from.version(), e.getMessage());
        }
        // Newest first. A section can check its last-known-good against another section's state (the filter refuses
        // a rule set that would cut a tunnel endpoint in force): while that other section still holds the new
        // policy, the restore is refused. So every section is tried, and the refused ones once more after the others
        // are back (found by the site lab: a broken tunnel endpoint made the filter's restore fail and the whole
        // group policy fall back to the defaults).
        List<String> refused = new ArrayList<>();
        for (int i = touched.size() - 1; i >= 0; i--) {
            if (restore(touched.get(i), rolling).isPresent()) {
                refused.add(touched.get(i));
            }
        }
        List<String> failures = new ArrayList<>();
        for (String name : refused) {
            restore(name, rolling).ifPresent(failures::add);
        }
        if (!failures.isEmpty()) {
            LOG.error("policy version {}: {}; falling back to the shipped defaults", from.version(), failures);
            Map<String, ConfigSection> shipped;
            try {
                shipped = defaults.get();
            } catch (RuntimeException e) {
                shipped = Map.of();
            }
            Journal falling = rolling.fallingBack(FallbackPlan.sections(rolling.lkg(), shipped, carryOver),
                    reason + "; " + String.join("; ", failures));
            journal.write(falling);
            return finishFallback(falling, changes);
        }
        journal.write(rolling.ended(Phase.ROLLED_BACK, reason));
        LOG.warn("policy version {} rolled back: {}", from.version(), SafeText.escape(reason));
        return ApplyResult.of(Outcome.ROLLED_BACK, from.version(), reason, changes);
    }

    /** Restores one section's last-known-good; the failure, if any. */
    private Optional<String> restore(String name, Journal rolling) throws InterruptedException {
        try {
            capabilities.apply(name).orElseThrow(() -> new IllegalStateException("no capability offers it"))
                    .restore(rolling.lkg().get(name));
            return Optional.empty();
        } catch (ConfigRefusedException | RuntimeException e) {
            return Optional.of("restoring " + name + " failed: " + e.getMessage());
        }
    }

    /** Puts the journal's fallback sections in force, in apply order, as far as they go. */
    ApplyResult finishFallback(Journal falling, Map<String, List<ConfigChange>> changes)
            throws StateStoreException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (String name : SectionPlan.ORDER) {
            ConfigSection section = falling.fallback().get(name);
            if (section == null) {
                continue;
            }
            try {
                capabilities.apply(name).orElseThrow(() -> new IllegalStateException("no capability offers it"))
                        .apply(section, "fallback");
            } catch (ConfigRefusedException | RuntimeException e) {
                failures.add("fallback of " + name + " failed: " + e.getMessage());
            }
        }
        String reason = falling.reason() + (failures.isEmpty() ? "" : "; " + String.join("; ", failures));
        journal.write(falling.ended(Phase.FALLBACK, reason));
        LOG.error("policy version {}: fell back to the shipped defaults: {}", falling.version(), SafeText.escape(reason));
        return ApplyResult.of(Outcome.FALLBACK, falling.version(), reason, changes);
    }

}
