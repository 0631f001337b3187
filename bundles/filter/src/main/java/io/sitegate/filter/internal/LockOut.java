package io.sitegate.filter.internal;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.filter.internal.FilterRule.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock-out check: rules that would deny what the gateway must reach (its broker, DNS upstreams, tunnel
 * endpoints) are refused before anything is applied, naming the endpoint and the rule. The loaded table accepts
 * those endpoints first anyway; this check makes the mistake visible to the operator who made it.
 */
final class LockOut {
    private LockOut() {
    }

    static List<ConfigProblem> problems(String pid, RuleSet rules, List<ProtectedEndpoint> endpoints) {
        List<ConfigProblem> out = new ArrayList<>();
        for (ProtectedEndpoint e : endpoints) {
            if (e.address().isLoopbackAddress()) {
                continue; // never leaves through the WAN, where the rules apply to the gateway's own traffic
            }
            RuleSet.Decision d = rules.decide(e.address(), e.proto(), e.port(), n -> List.of());
            if (d.action() == Action.DENY) {
                String by = d.rule().map(r -> "rule '" + r + "'").orElse("the default action deny");
                out.add(new ConfigProblem(pid, d.rule().map(r -> r.action() == Action.DENY ? "deny" : "allow").orElse("default"),
                        d.rule().map(FilterRule::text).orElse("deny"), by + " would cut the gateway off from " + e.what() + " ("
                        + e.address().getHostAddress() + " " + e.proto().nft() + "/" + e.port() + "): allow it, or narrow the rule"));
            }
        }
        return out;
    }
}
