package io.sitegate.dns.internal;

import io.sitegate.dns.FirewallMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules and mode in force, compiled for lookup, never changed once built. A change builds a new
 * snapshot which the engine swaps in with one volatile write: readers never lock and never see half
 * a change.
 */
final class RuleSnapshot {

    /** One source's rules by normalised pattern; the maps are never changed after construction. */
    record SourceRules(Map<String, CompiledRule> allow, Map<String, CompiledRule> deny) {
        static final SourceRules NONE = new SourceRules(Map.of(), Map.of());

        /**
         * Compiles normalised patterns, reusing the rules of {@code previous} that are still wanted
         * so their hit counters survive a reload of an unchanged list.
         */
        static SourceRules compile(String source, Set<String> allow, Set<String> deny, SourceRules previous) {
            return new SourceRules(compile(source, allow, true, previous.allow),
                    compile(source, deny, false, previous.deny));
        }

        private static Map<String, CompiledRule> compile(String source, Set<String> patterns, boolean allow,
                                                         Map<String, CompiledRule> previous) {
            Map<String, CompiledRule> rules = new HashMap<>(patterns.size() * 4 / 3 + 1);
            for (String pattern : patterns) {
                CompiledRule old = previous.get(pattern);
                rules.put(pattern, old != null ? old : new CompiledRule(pattern, allow, source));
            }
            return Collections.unmodifiableMap(rules);
        }

        boolean samePatterns(Set<String> allowPatterns, Set<String> denyPatterns) {
            return allow.keySet().equals(allowPatterns) && deny.keySet().equals(denyPatterns);
        }

        int size() {
            return allow.size() + deny.size();
        }
    }

    private final FirewallMode mode;
    private final long generation;
    private final Map<String, SourceRules> sources;
    private final RuleTable exact;
    private final RuleTable suffix;

    private RuleSnapshot(FirewallMode mode, long generation, Map<String, SourceRules> sources,
                         RuleTable exact, RuleTable suffix) {
        this.mode = mode;
        this.generation = generation;
        this.sources = sources;
        this.exact = exact;
        this.suffix = suffix;
    }

    static RuleSnapshot empty(FirewallMode mode) {
        return new RuleSnapshot(mode, 0, Map.of(), RuleTable.empty(), RuleTable.empty());
    }

    FirewallMode mode() {
        return mode;
    }

    long generation() {
        return generation;
    }

    SourceRules source(String source) {
        return sources.getOrDefault(source, SourceRules.NONE);
    }

    /** The same rules under another mode, one generation later. */
    RuleSnapshot withMode(FirewallMode newMode) {
        return new RuleSnapshot(newMode, generation + 1, sources, exact, suffix);
    }

    /** These rules with one source's rules replaced, one generation later. */
    RuleSnapshot withSource(String source, SourceRules rules) {
        Map<String, SourceRules> newSources = new TreeMap<>(sources);
        if (rules.size() == 0) {
            newSources.remove(source);
        } else {
            newSources.put(source, rules);
        }
        int exactCount = 0;
        int suffixCount = 0;
        for (SourceRules s : newSources.values()) {
            for (CompiledRule r : s.allow.values()) {
                if (r.exact()) { exactCount++; } else { suffixCount++; }
            }
            for (CompiledRule r : s.deny.values()) {
                if (r.exact()) { exactCount++; } else { suffixCount++; }
            }
        }
        RuleTable newExact = new RuleTable(exactCount);
        RuleTable newSuffix = new RuleTable(suffixCount);
        // Sources in name order, so which of two equal allow rules is credited with hits is stable.
        for (SourceRules s : newSources.values()) {
            enter(s.allow.values(), newExact, newSuffix);
            enter(s.deny.values(), newExact, newSuffix);
        }
        return new RuleSnapshot(mode, generation + 1, Collections.unmodifiableMap(newSources), newExact, newSuffix);
    }

    private static void enter(Iterable<CompiledRule> rules, RuleTable exact, RuleTable suffix) {
        for (CompiledRule r : rules) {
            if (r.exact()) {
                exact.merge(r.name(), r);
            } else {
                suffix.merge(r.pattern(), r);
            }
        }
    }

    /**
     * Decides a name in presentation form (any case, final dot optional). Walks the name from the
     * right, building the hash of each suffix as it goes, so no substring is cut and nothing is
     * allocated. The last (longest) matching suffix wins; an exact rule of the whole name beats it.
     * A backslash-escaped dot ({@code a\.b}) is part of a label, not a label boundary.
     */
    Decision decide(String name) {
        int end = name.length();
        if (end > 0 && name.charAt(end - 1) == '.' && !escaped(name, end - 1)) {
            end--;
        }
        if (end == 0) {
            return noMatch();
        }
        Decision best = null;
        int hash = 0;
        int power = 1;
        for (int i = end - 1; i >= 0; i--) {
            char c = DomainPatterns.lower(name.charAt(i));
            if (c == '.' && i + 1 < end && !escaped(name, i)) {
                Decision d = suffix.get(name, i + 1, end, hash);
                if (d != null) {
                    best = d;
                }
            }
            hash += c * power;
            power *= 31;
        }
        Decision whole = exact.get(name, 0, end, hash);
        if (whole == null) {
            whole = suffix.get(name, 0, end, hash);
        }
        if (whole != null) {
            return whole;
        }
        return best != null ? best : noMatch();
    }

    private Decision noMatch() {
        return mode == FirewallMode.ALLOW_ONLY ? Decision.BLOCKED_BY_MODE : Decision.ALLOWED_BY_MODE;
    }

    /** Whether the character at {@code i} is escaped: preceded by an odd number of backslashes. */
    private static boolean escaped(String name, int i) {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && name.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }

    /** Every rule, ordered by source, then pattern, then allow before deny. */
    List<CompiledRule> rules() {
        List<CompiledRule> all = new ArrayList<>();
        for (SourceRules s : sources.values()) {
            all.addAll(s.allow.values());
            all.addAll(s.deny.values());
        }
        all.sort(Comparator.comparing(CompiledRule::source)
                .thenComparing(CompiledRule::pattern)
                .thenComparing(r -> !r.allow()));
        return all;
    }
}
