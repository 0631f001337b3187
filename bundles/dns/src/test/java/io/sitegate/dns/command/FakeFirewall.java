package io.sitegate.dns.command;

import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Rules in a list; a name is decided by the first rule of exactly its pattern (enough for the commands' output). */
class FakeFirewall implements DnsFirewall {
    final List<FirewallRule> rules = new ArrayList<>();
    FirewallMode mode = FirewallMode.DENY_LIST;
    int removeCalls;

    @Override
    public FirewallMode mode() {
        return mode;
    }

    @Override
    public void replaceRules(String source, Set<String> allow, Set<String> deny) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void allow(String pattern) {
        add(pattern, true);
    }

    @Override
    public void deny(String pattern) {
        add(pattern, false);
    }

    private void add(String pattern, boolean allow) {
        if (pattern.contains(" ")) {
            throw new IllegalArgumentException("'" + pattern + "' is not a domain name");
        }
        rules.add(new FirewallRule(pattern.toLowerCase(), allow, SOURCE_OPERATOR, 0));
    }

    @Override
    public boolean removeOperatorRule(String pattern) {
        removeCalls++;
        return rules.removeIf(r -> r.source().equals(SOURCE_OPERATOR) && r.pattern().equalsIgnoreCase(pattern));
    }

    @Override
    public FirewallVerdict check(String name) {
        Optional<FirewallRule> rule = rules.stream().filter(r -> r.pattern().equalsIgnoreCase(name)).findFirst();
        return new FirewallVerdict(rule.map(FirewallRule::allow).orElse(mode == FirewallMode.DENY_LIST), rule);
    }

    @Override
    public List<FirewallRule> rules() {
        return List.copyOf(rules);
    }
}
