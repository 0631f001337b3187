package io.sitegate.filter.internal;

import io.sitegate.filter.internal.FilterRule.Action;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The outbound rules and the default action, with their precedence: among the rules that match a packet
 * (destination, protocol, port), the one with the most specific prefix wins (a name's addresses count as host
 * prefixes); at equal specificity a deny wins over an allow; when no rule matches, the default action decides.
 * {@link NftRenderer} writes the same order into nftables: one set per group of rules of equal action, family,
 * prefix length, protocol and ports, looked up from the most specific group down, denies first.
 *
 * @param defaultAction what happens to a packet no rule matches
 * @param rules         every rule, in the order written
 */
record RuleSet(Action defaultAction, List<FilterRule> rules) {

    RuleSet {
        rules = List.copyOf(rules);
    }

    /**
     * A decision and why.
     *
     * @param action what happens
     * @param rule   the rule that decided; empty when the default did
     */
    record Decision(Action action, Optional<FilterRule> rule) {
        String explain(RuleSet set) {
            return action.name().toLowerCase(java.util.Locale.ROOT) + ", " + rule.map(r -> "by rule '" + r + "' (the most specific "
                    + "rule that matches" + (r.action() == Action.DENY ? "; a deny wins at equal specificity" : "") + ")")
                    .orElse("by the default action (no rule matches)");
        }
    }

    /**
     * What happens to a packet from the LAN to {@code address}.
     *
     * @param known the addresses each allowed name resolves to now (from the DNS answers seen)
     */
    Decision decide(InetAddress address, Proto proto, int port, Function<String, Collection<InetAddress>> known) {
        boolean v6 = address instanceof Inet6Address;
        FilterRule best = null;
        for (FilterRule r : rules) {
            boolean dest = r.cidr().map(c -> c.contains(address))
                    .orElseGet(() -> known.apply(r.name().orElseThrow()).contains(address));
            if (!dest || !r.matches(proto, port)) {
                continue;
            }
            if (best == null || r.specificity(v6) > best.specificity(v6)
                    || r.specificity(v6) == best.specificity(v6) && r.action() == Action.DENY && best.action() == Action.ALLOW) {
                best = r;
            }
        }
        return best == null ? new Decision(defaultAction, Optional.empty()) : new Decision(best.action(), Optional.of(best));
    }

    /** The rules by nft group ({@link FilterRule#group}), in lookup order: most specific first, denies first. */
    Map<String, List<FilterRule>> groups(boolean v6) {
        Map<String, List<FilterRule>> out = new TreeMap<>(order(v6));
        for (FilterRule r : rules) {
            boolean ruleV6 = r.cidr().map(Cidr::v6).orElse(v6);
            if (ruleV6 == v6) {
                out.computeIfAbsent(r.name().isPresent() ? "fqdn_" + r.group(v6) : r.group(v6), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private Comparator<String> order(boolean v6) {
        // group names: [fqdn_](allow|deny)_v4_<len>[_proto[_lo[_hi]]]
        return Comparator.<String>comparingInt(g -> -Integer.parseInt(g.replaceFirst("^fqdn_", "").split("_")[2]))
                .thenComparing(g -> g.replaceFirst("^fqdn_", "").startsWith("deny") ? 0 : 1)
                .thenComparing(Comparator.naturalOrder());
    }

    /** The names the rules allow. */
    Set<String> names() {
        Set<String> out = new java.util.TreeSet<>();
        rules.forEach(r -> r.name().ifPresent(out::add));
        return out;
    }
}
