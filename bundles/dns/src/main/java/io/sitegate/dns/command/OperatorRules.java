package io.sitegate.dns.command;

import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.FirewallRule;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What {@code dns-allow} and {@code dns-deny} share: add or remove one operator rule and say what changed. */
final class OperatorRules {
    private OperatorRules() {
    }

    static void add(DnsFirewall firewall, String pattern, boolean allow, PrintStream out) {
        List<FirewallRule> existing = DnsText.operatorRules(firewall.rules(), pattern, allow);
        if (!existing.isEmpty()) {
            out.println("Already in force: " + DnsText.rule(existing.get(0)) + ". Nothing changed.");
        } else {
            if (allow) {
                firewall.allow(pattern);
            } else {
                firewall.deny(pattern);
            }
            out.println("Added " + DnsText.allowOrDeny(allow) + " " + DnsText.safe(pattern) + " (" + DnsText.covers(pattern)
                    + "). Operator rules are kept across restarts.");
        }
        printVerdict(firewall, pattern, out);
    }

    static void remove(DnsFirewall firewall, String pattern, boolean allow, PrintStream out) {
        List<FirewallRule> before = firewall.rules();
        if (DnsText.operatorRules(before, pattern, allow).isEmpty()) {
            out.println(notFound(before, pattern, allow));
            return;
        }
        firewall.removeOperatorRule(pattern);
        // The API removes by pattern: compare before and after so the technician sees every rule that went.
        List<FirewallRule> after = firewall.rules();
        List<String> removed = new ArrayList<>();
        for (boolean kind : new boolean[] {allow, !allow}) {
            if (!DnsText.operatorRules(before, pattern, kind).isEmpty() && DnsText.operatorRules(after, pattern, kind).isEmpty()) {
                removed.add(DnsText.allowOrDeny(kind) + " " + DnsText.safe(pattern));
            }
        }
        out.println(removed.isEmpty() ? "The firewall still lists the rule; see sitegate:dns-block-list --source operator."
                : "Removed " + String.join(" and ", removed) + ". The change is kept across restarts.");
        printVerdict(firewall, pattern, out);
    }

    private static String notFound(List<FirewallRule> rules, String pattern, boolean allow) {
        String kind = DnsText.allowOrDeny(allow);
        if (!DnsText.operatorRules(rules, pattern, !allow).isEmpty()) {
            String other = DnsText.allowOrDeny(!allow);
            return "No operator " + kind + " rule " + pattern + ", but an operator " + other + " rule: remove it with sitegate:dns-"
                    + other + " --remove " + pattern + ". Nothing changed.";
        }
        List<String> elsewhere = rules.stream()
                .filter(r -> r.allow() == allow && DnsText.normalize(r.pattern()).equals(DnsText.normalize(pattern)))
                .map(FirewallRule::source).distinct().toList();
        return "No operator " + kind + " rule " + DnsText.safe(pattern) + ". Nothing changed."
                + (elsewhere.isEmpty() ? "" : " The rule comes from " + String.join(" and ", elsewhere)
                        + " (configuration or cloud policy), which the shell does not change.");
    }

    /** What the firewall now decides for the name the pattern names. */
    private static void printVerdict(DnsFirewall firewall, String pattern, PrintStream out) {
        String name = pattern.startsWith("=") ? pattern.substring(1) : pattern;
        out.println("Now " + DnsText.safe(name) + " is " + DnsText.verdict(firewall.check(name), firewall.mode()) + ".");
    }
}
