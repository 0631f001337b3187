package io.sitegate.dns;

/**
 * One firewall rule in force.
 *
 * @param pattern {@code example.com} (the name and below) or {@code =www.example.com} (that name only)
 * @param allow   true for an allow rule, false for a deny rule
 * @param source  {@code config}, {@code operator} or {@code policy}
 * @param hits    queries this rule decided since it was loaded
 */
public record FirewallRule(String pattern, boolean allow, String source, long hits) {
}
