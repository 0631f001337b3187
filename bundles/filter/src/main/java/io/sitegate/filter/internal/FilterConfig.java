package io.sitegate.filter.internal;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.filter.internal.FilterRule.Action;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The outbound filter's configuration: the rules and their default, the LAN and WAN interfaces. Every problem is
 * found in one pass, each bad rule named with its reason; a list over {@code maxRules} is refused whole.
 *
 * @param rules     the rules and the default action
 * @param lan       LAN interfaces
 * @param wan       WAN interfaces
 * @param namespace a network namespace for nft, or empty
 */
record FilterConfig(RuleSet rules, List<String> lan, List<String> wan, String namespace, List<AccessWindow> access) {
    static final String PID = "io.sitegate.filter";
    /** Linux interface names: at most 15 bytes, no '/', no white space, no quote (nft quotes them). */
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.@+-]{1,15}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    static FilterConfig from(Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.collecting(PID, properties).defaults(FilterDefinition.class);
        FilterConfig c = parse(v);
        List<ConfigProblem> problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return c;
    }

    /** Every problem of a proposed configuration; nothing is applied. */
    static List<ConfigProblem> problems(String pid, Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.collecting(pid, properties).defaults(FilterDefinition.class);
        parse(v);
        return v.finish();
    }

    private static FilterConfig parse(ConfigurationValues v) {
        String def = v.matching("default", Pattern.compile("allow|deny"), "allow or deny");
        int max = (int) v.integer("maxRules", 1, 200_000);
        List<FilterRule> rules = new ArrayList<>();
        rules(v, "allow", Action.ALLOW, rules);
        rules(v, "deny", Action.DENY, rules);
        if (rules.size() > max) {
            v.problem("allow", rules.size() + " rules", rules.size() + " rules (allow and deny) are more than maxRules = " + max);
        }
        List<String> lan = interfaces(v, "lan.interfaces");
        List<String> wan = interfaces(v, "wan.interfaces");
        for (String l : lan) {
            if (wan.contains(l)) {
                v.problem("lan.interfaces", l, l + " is also a WAN interface (wan.interfaces)");
            }
        }
        String ns = v.string("namespace", "");
        if (!ns.isEmpty() && !NAMESPACE.matcher(ns).matches()) {
            v.problem("namespace", ns, "a network namespace name: 1-64 of A-Z, a-z, 0-9, '_', '.', '-'");
        }
        List<AccessWindow> access = new ArrayList<>();
        for (String spec : v.string("access", "").split(",")) {
            if (!spec.isBlank()) {
                try {
                    access.add(window(spec.strip()));
                } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                    v.problem("access", spec.strip(), e.getMessage());
                }
            }
        }
        return new FilterConfig(new RuleSet("deny".equals(def) ? Action.DENY : Action.ALLOW, rules), lan, wan, ns, access);
    }

    /**
     * An access window a configuration lists: {@code <from-prefix> <lan-host:port|ssh:port> until <instant> [wan]},
     * e.g. {@code 198.51.100.7/32 10.77.0.2:443 until 2026-12-04T15:00:00Z}. Its id is derived from its text, so the
     * same entry is the same window across restarts.
     */
    static AccessWindow window(String spec) {
        String[] f = spec.split("\\s+");
        if (f.length < 4 || f.length > 5 || !f[2].equals("until") || f.length == 5 && !f[4].equals("wan")) {
            throw new IllegalArgumentException("'" + spec + "': write <from-prefix> <lan-host:port|ssh:port> until <time, e.g. "
                    + "2026-12-04T15:00:00Z> [wan]");
        }
        Cidr from = Cidr.parse(f[0]);
        int colon = f[1].lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + spec + "': the target is <lan-host>:<port> or ssh:<port>");
        }
        java.net.InetAddress to = null;
        if (!f[1].startsWith("ssh:")) {
            Cidr host = Cidr.parse(f[1].substring(0, colon).replaceAll("^\\[|\\]$", ""));
            if (host.length() != host.width()) {
                throw new IllegalArgumentException("'" + spec + "': the target is one host, not a prefix");
            }
            if (host.v6() != from.v6()) {
                throw new IllegalArgumentException("'" + spec + "': from and to are not the same IP family");
            }
            to = host.network();
        }
        int port;
        try {
            port = Integer.parseInt(f[1].substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + spec + "': port must be 1 to 65535");
        }
        java.time.Instant until = java.time.Instant.parse(f[3]);
        String id = "c" + Integer.toHexString(spec.hashCode() & 0xfffff);
        return new AccessWindow(id, from, to, port, f.length == 5 ? AccessWindow.Via.WAN : AccessWindow.Via.TUNNEL, java.time.Instant.EPOCH,
                until, AccessWindows.CONFIGURED);
    }

    private static void rules(ConfigurationValues v, String key, Action action, List<FilterRule> out) {
        String text = v.string(key, "");
        for (String spec : text.split(",")) {
            if (spec.isBlank()) {
                continue;
            }
            try {
                out.add(FilterRule.parse(action, spec));
            } catch (IllegalArgumentException e) {
                v.problem(key, spec.strip(), e.getMessage());
            }
        }
    }

    private static List<String> interfaces(ConfigurationValues v, String key) {
        List<String> names = Arrays.stream(v.string(key, v.defaultOf(key)).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        for (String n : names) {
            if (!IFACE.matcher(n).matches()) {
                v.problem(key, n, "an interface name: 1-15 of A-Z, a-z, 0-9, '_', '.', '@', '+', '-'");
            }
        }
        return names.stream().filter(n -> IFACE.matcher(n).matches()).toList();
    }
}
