package io.sitegate.dns.internal;

import io.sitegate.dns.FirewallVerdict;

import java.util.Optional;

/**
 * What the firewall decided for one name, and which rule decided. The engine hands out shared
 * instances (one per rule, two for the mode), so a decision costs no allocation on the query path.
 *
 * @param allowed whether the name may be resolved
 * @param rule    the rule that decided; null when no rule matched and the mode decided
 */
public record Decision(boolean allowed, CompiledRule rule) {

    /** No rule matched and the mode allows such names. */
    public static final Decision ALLOWED_BY_MODE = new Decision(true, null);
    /** No rule matched and the mode blocks such names. */
    public static final Decision BLOCKED_BY_MODE = new Decision(false, null);

    public Decision {
        if (rule != null && rule.allow() != allowed) {
            throw new IllegalArgumentException("decision allowed=" + allowed + " contradicts its rule " + rule);
        }
    }

    /**
     * Counts one query answered through this decision on the rule that made it. The forwarder calls
     * this when it acts on the decision, not when it merely asks (a shell {@code check} is no hit).
     */
    public void hit() {
        if (rule != null) {
            rule.hit();
        }
    }

    /** The decision as the public API shows it. */
    public FirewallVerdict toVerdict() {
        return new FirewallVerdict(allowed, rule == null ? Optional.empty() : Optional.of(rule.toApi()));
    }
}
