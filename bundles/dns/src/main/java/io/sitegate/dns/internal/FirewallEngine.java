package io.sitegate.dns.internal;

import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS firewall: rules from several sources compiled into an immutable {@link RuleSnapshot}, which
 * query threads read without locking. Changes are serialised on one lock, build a new snapshot and
 * swap it in with one volatile write, so a query sees either the old rules or the new ones.
 *
 * <p>The {@code operator} source is kept in the {@link StateStore} (see {@link OperatorRuleDocument}).
 * In that source a pattern has at most one rule: {@code allow} replaces a {@code deny} of the same
 * pattern and the other way round, so the operator's last word counts.
 */
public final class FirewallEngine implements DnsFirewall {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallEngine.class);

    private final StateStore store;
    private final Object changeLock = new Object();
    private volatile RuleSnapshot snapshot;

    /**
     * Creates the engine and loads the operator's rules from the store. A stored document that
     * cannot be read or is invalid is logged and ignored: the firewall starts without operator
     * rules rather than not at all.
     *
     * @param store where the operator's rules are kept; null keeps them in memory only
     */
    public FirewallEngine(FirewallMode mode, StateStore store) {
        this.store = store;
        RuleSnapshot initial = RuleSnapshot.empty(Objects.requireNonNull(mode, "mode"));
        OperatorRuleDocument stored = loadOperatorRules();
        if (stored != null) {
            initial = initial.withSource(SOURCE_OPERATOR,
                    RuleSnapshot.SourceRules.compile(SOURCE_OPERATOR, stored.allow(), stored.deny(),
                            RuleSnapshot.SourceRules.NONE));
        }
        snapshot = initial;
    }

    @Override
    public FirewallMode mode() {
        return snapshot.mode();
    }

    /** Changes what happens to names no rule matches. */
    public void setMode(FirewallMode mode) {
        Objects.requireNonNull(mode, "mode");
        synchronized (changeLock) {
            if (snapshot.mode() != mode) {
                snapshot = snapshot.withMode(mode);
            }
        }
    }

    /**
     * A number that changes whenever the rules or the mode change, so decisions cached with it can
     * be recognised as stale.
     */
    public long generation() {
        return snapshot.generation();
    }

    /**
     * Decides a name: any letter case, final dot optional. Allocates nothing; does not count a hit
     * (the caller calls {@link Decision#hit()} when it acts on the decision).
     */
    public Decision decide(String name) {
        return snapshot.decide(name);
    }

    /** Like {@link #decide(String)} for the shell: surrounding white space is ignored, no hit counted. */
    @Override
    public FirewallVerdict check(String name) {
        return decide(name.strip()).toVerdict();
    }

    @Override
    public List<FirewallRule> rules() {
        return snapshot.rules().stream().map(CompiledRule::toApi).toList();
    }

    /**
     * Replaces every rule of one source. Every pattern is validated before anything changes;
     * replacing the {@code operator} source also stores it.
     *
     * @throws IllegalArgumentException naming the first invalid pattern; the rules are then unchanged
     * @throws UncheckedIOException     when the operator's rules cannot be stored; they are then unchanged
     */
    @Override
    public void replaceRules(String source, Set<String> allow, Set<String> deny) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("invalid rule source '" + source + "'");
        }
        Set<String> allowPatterns = normalizeAll(source, "allow", Objects.requireNonNull(allow, "allow"));
        Set<String> denyPatterns = normalizeAll(source, "deny", Objects.requireNonNull(deny, "deny"));
        synchronized (changeLock) {
            apply(source, allowPatterns, denyPatterns);
        }
    }

    @Override
    public void allow(String pattern) {
        changeOperatorRule(DomainPatterns.normalize(pattern), true);
    }

    @Override
    public void deny(String pattern) {
        changeOperatorRule(DomainPatterns.normalize(pattern), false);
    }

    @Override
    public boolean removeOperatorRule(String pattern) {
        String p = DomainPatterns.normalize(pattern);
        synchronized (changeLock) {
            RuleSnapshot.SourceRules current = snapshot.source(SOURCE_OPERATOR);
            if (!current.allow().containsKey(p) && !current.deny().containsKey(p)) {
                return false;
            }
            Set<String> allow = new HashSet<>(current.allow().keySet());
            Set<String> deny = new HashSet<>(current.deny().keySet());
            allow.remove(p);
            deny.remove(p);
            apply(SOURCE_OPERATOR, allow, deny);
            return true;
        }
    }

    private void changeOperatorRule(String pattern, boolean allowRule) {
        synchronized (changeLock) {
            RuleSnapshot.SourceRules current = snapshot.source(SOURCE_OPERATOR);
            Set<String> allow = new HashSet<>(current.allow().keySet());
            Set<String> deny = new HashSet<>(current.deny().keySet());
            (allowRule ? allow : deny).add(pattern);
            (allowRule ? deny : allow).remove(pattern);
            apply(SOURCE_OPERATOR, allow, deny);
        }
    }

    /** Stores (for the operator source) and then swaps in the new rules; caller holds the lock. */
    private void apply(String source, Set<String> allow, Set<String> deny) {
        RuleSnapshot current = snapshot;
        RuleSnapshot.SourceRules previous = current.source(source);
        if (previous.samePatterns(allow, deny)) {
            return; // nothing changes: keep the generation so cached decisions stay valid
        }
        if (SOURCE_OPERATOR.equals(source)) {
            storeOperatorRules(new OperatorRuleDocument(allow, deny));
        }
        snapshot = current.withSource(source, RuleSnapshot.SourceRules.compile(source, allow, deny, previous));
    }

    private static Set<String> normalizeAll(String source, String kind, Set<String> patterns) {
        Set<String> normalized = new HashSet<>(patterns.size() * 4 / 3 + 1);
        for (String pattern : patterns) {
            String n = DomainPatterns.normalizeOrNull(pattern);
            if (n == null) {
                throw new IllegalArgumentException("invalid " + kind + " pattern '"
                        + (pattern == null ? null : DomainPatterns.printable(pattern)) + "' (source " + source + "): "
                        + DomainPatterns.problem(pattern));
            }
            normalized.add(n);
        }
        return normalized;
    }

    private void storeOperatorRules(OperatorRuleDocument document) {
        if (store == null) {
            return;
        }
        try {
            store.write(OperatorRuleDocument.STATE_KEY, document.encode());
        } catch (StateStoreException e) {
            throw new UncheckedIOException("cannot save the operator's DNS firewall rules, nothing changed: "
                    + e.getMessage(), e);
        }
    }

    private OperatorRuleDocument loadOperatorRules() {
        if (store == null) {
            return null;
        }
        try {
            Optional<StoredState> stored = store.read(OperatorRuleDocument.STATE_KEY);
            if (stored.isEmpty()) {
                return null;
            }
            stored.get().problem().ifPresent(problem -> LOG.warn(
                    "Operator DNS firewall rules restored from the previous generation ({})", problem));
            OperatorRuleDocument document = OperatorRuleDocument.decode(stored.get().content());
            LOG.info("Loaded {} operator DNS firewall rules", document.allow().size() + document.deny().size());
            return document;
        } catch (StateStoreException | RuntimeException e) {
            LOG.warn("Ignoring the stored operator DNS firewall rules (state '{}'): {}",
                    OperatorRuleDocument.STATE_KEY, e.getMessage());
            return null;
        }
    }
}
