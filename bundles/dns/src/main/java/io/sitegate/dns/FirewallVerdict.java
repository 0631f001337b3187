package io.sitegate.dns;

import java.util.Optional;

/**
 * The firewall's decision for one name.
 *
 * @param allowed whether the name may be resolved
 * @param rule    the rule that decided; empty when no rule matched and the mode decided
 */
public record FirewallVerdict(boolean allowed, Optional<FirewallRule> rule) {
}
