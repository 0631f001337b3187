package io.sitegate.dns.command;

import io.sitegate.core.SafeText;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** How the DNS commands write values for a technician. */
final class DnsText {
    /** What a command says when the forwarder or its firewall is not registered. */
    static final String NOT_RUNNING = "The DNS forwarder is not running: its configuration (etc/io.sitegate.dns.cfg) was "
            + "refused or it has not started yet. sitegate:status shows why.";

    private DnsText() {
    }

    /** The forwarder, or an error a technician understands when it is not running. */
    static DnsForwarder require(DnsForwarder forwarder) {
        if (forwarder == null) {
            throw new IllegalStateException(NOT_RUNNING);
        }
        return forwarder;
    }

    /** The firewall, or an error a technician understands when it is not running. */
    static DnsFirewall require(DnsFirewall firewall) {
        if (firewall == null) {
            throw new IllegalStateException(NOT_RUNNING);
        }
        return firewall;
    }

    /** Milliseconds, one decimal below 10 ms ({@code 0.4}, {@code 23}); {@code -} for zero (nothing measured). */
    static String millis(Duration d) {
        if (d == null || d.isZero()) {
            return "-";
        }
        double ms = d.toNanos() / 1_000_000.0;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f", ms) : Long.toString(Math.round(ms));
    }

    /** A ratio 0..1 as {@code 87.5 %}. */
    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** Bytes in whole KiB, at least 1 KiB for anything held. */
    static String kib(long bytes) {
        return (bytes <= 0 ? 0 : Math.max(1, Math.round(bytes / 1024.0))) + " KiB";
    }

    /** Queries per second, one decimal. */
    static String rate(double qps) {
        return String.format(Locale.ROOT, "%.1f", qps);
    }

    /** {@code 1 entry}, {@code 3 entries}. */
    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** {@code - } for nothing. */
    /** Text from the network or a list file (names, records, upstream errors), escaped for the terminal. */
    static String safe(Object value) {
        return SafeText.escape(String.valueOf(value));
    }

    /** A record in presentation form: its fields escaped, the tabs between them (our own layout) kept. */
    static String safeRecord(String record) {
        String[] fields = record.split("\t", -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = SafeText.escape(fields[i]);
        }
        return String.join("\t", fields);
    }

    /** The value escaped, or "-" when empty. */
    static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : safe(s);
    }

    static String allowOrDeny(boolean allow) {
        return allow ? "allow" : "deny";
    }

    /** {@code deny example.com (operator)}. */
    static String rule(FirewallRule r) {
        return allowOrDeny(r.allow()) + " " + safe(r.pattern()) + " (" + safe(r.source()) + ")";
    }

    /** What a pattern covers: {@code =www.example.com} that name only, {@code example.com} the name and below. */
    static String covers(String pattern) {
        return pattern.startsWith("=") ? "this name only" : "name and below";
    }

    /** The mode as a technician reads it, with what happens to a name no rule matches. */
    static String mode(FirewallMode mode) {
        return switch (mode) {
            case DENY_LIST -> "deny list (names no rule matches are allowed)";
            case ALLOW_ONLY -> "allow only (names no rule matches are blocked)";
        };
    }

    /** {@code blocked by deny example.com (config)} or {@code blocked (no rule matches; mode allow only)}. */
    static String verdict(FirewallVerdict v, FirewallMode mode) {
        return (v.allowed() ? "allowed" : "blocked") + v.rule().map(r -> " by " + rule(r))
                .orElse(" (no rule matches; mode " + mode.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
    }

    /**
     * A pattern as the firewall compares it (letter case and the final dot do not matter), so that the
     * commands can find an operator rule the technician typed differently.
     */
    static String normalize(String pattern) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        return p.endsWith(".") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    /** The operator rules of this pattern, allow or deny as asked. */
    static List<FirewallRule> operatorRules(List<FirewallRule> rules, String pattern, boolean allow) {
        String wanted = normalize(pattern);
        return rules.stream().filter(r -> DnsFirewall.SOURCE_OPERATOR.equals(r.source()) && r.allow() == allow
                && normalize(r.pattern()).equals(wanted)).toList();
    }
}
