package io.sitegate.dns;

import java.util.List;
import java.util.Set;

/**
 * The DNS firewall in front of the forwarder. Rules come from sources: {@code config} (PID
 * {@code io.sitegate.dns}), {@code operator} (the {@code dns-allow}/{@code dns-deny} commands, kept across
 * restarts) and {@code policy} (policy documents from the cloud). Each source's rules are replaced
 * as a whole.
 *
 * <p>A pattern is a domain name: {@code example.com} matches that name and every name below it;
 * {@code =www.example.com} matches that name only. Names are compared without letter case and
 * without the final dot. The most specific matching pattern decides (an exact name before a suffix,
 * a longer suffix before a shorter one); between an allow and a deny rule of the same pattern, allow wins.
 * In {@link FirewallMode#DENY_LIST} a name no rule matches is allowed; in {@link FirewallMode#ALLOW_ONLY}
 * it is blocked.
 */
public interface DnsFirewall {

    /** The source name of rules from the forwarder's configuration. */
    String SOURCE_CONFIG = "config";
    /** The source name of rules added from the shell. */
    String SOURCE_OPERATOR = "operator";
    /** The source name of rules from the cloud policy. */
    String SOURCE_POLICY = "policy";

    /** Whether names no rule matches are allowed or blocked. */
    FirewallMode mode();

    /**
     * Replaces every rule of one source.
     *
     * @throws IllegalArgumentException naming the first pattern that is not a valid domain name;
     *                                  the rules in force are then unchanged
     */
    void replaceRules(String source, Set<String> allow, Set<String> deny);

    /** Adds an allow rule to the {@code operator} source (kept across restarts). */
    void allow(String pattern);

    /** Adds a deny rule to the {@code operator} source (kept across restarts). */
    void deny(String pattern);

    /**
     * Removes a rule of the {@code operator} source.
     *
     * @return whether there was such a rule
     */
    boolean removeOperatorRule(String pattern);

    /** What the firewall decides for a name now, and which rule decided. */
    FirewallVerdict check(String name);

    /** Every rule in force with its hit counter, ordered by source then pattern. */
    List<FirewallRule> rules();
}
