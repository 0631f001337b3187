package io.sitegate.dns.internal;

import io.sitegate.dns.FirewallRule;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * One firewall rule as the engine holds it: its normalised pattern, its source, and a hit counter
 * that many resolver threads increment at once (a {@link LongAdder}, so they do not contend on one
 * cache line). The rule also carries its own {@link Decision}, so deciding allocates nothing.
 */
public final class CompiledRule {
    private final String pattern;
    private final String name;
    private final boolean exact;
    private final boolean allow;
    private final String source;
    private final LongAdder hits = new LongAdder();
    private final Decision decision;

    /**
     * @param pattern a pattern already normalised by {@link DomainPatterns#normalize(String)}
     * @param allow   true for an allow rule, false for a deny rule
     * @param source  the source the rule belongs to ({@code config}, {@code operator}, {@code policy})
     */
    public CompiledRule(String pattern, boolean allow, String source) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.exact = DomainPatterns.isExact(pattern);
        this.name = DomainPatterns.name(pattern);
        this.allow = allow;
        this.source = Objects.requireNonNull(source, "source");
        this.decision = new Decision(allow, this);
    }

    /** The normalised pattern, with its {@code =} prefix when it matches one name only. */
    public String pattern() {
        return pattern;
    }

    /** The name the pattern matches, without the {@code =} prefix. */
    public String name() {
        return name;
    }

    /** Whether the pattern matches its name only, not the names below it. */
    public boolean exact() {
        return exact;
    }

    /** True for an allow rule, false for a deny rule. */
    public boolean allow() {
        return allow;
    }

    /** The source the rule belongs to. */
    public String source() {
        return source;
    }

    /** The decision this rule makes. */
    public Decision decision() {
        return decision;
    }

    /** Counts one query this rule decided. */
    public void hit() {
        hits.increment();
    }

    /** Queries this rule decided since it was loaded. */
    public long hits() {
        return hits.sum();
    }

    /** The rule as the public API shows it, with its hit count now. */
    public FirewallRule toApi() {
        return new FirewallRule(pattern, allow, source, hits());
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + pattern + " (" + source + ")";
    }
}
