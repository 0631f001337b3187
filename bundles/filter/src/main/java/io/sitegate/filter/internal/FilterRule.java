package io.sitegate.filter.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One outbound rule: allow or deny traffic from the LAN to a prefix (or, for allow, a name whose resolved
 * addresses are allowed for their TTL), for a protocol and a port range. Written {@code <prefix|name> [tcp|udp[/port[-port]]]}:
 * {@code 10.0.0.0/8}, {@code 192.0.2.10 tcp/443}, {@code api.example.com tcp/8883}, {@code 2001:db8::/32 udp/53},
 * {@code 0.0.0.0/0 tcp/8000-8100}.
 *
 * @param action allow or deny
 * @param cidr   the prefix; empty for a name
 * @param name   the name (lower case, no final dot); empty for a prefix
 * @param proto  the protocol
 * @param portLo the first port (0 with {@link Proto#ANY})
 * @param portHi the last port
 * @param text   the rule as written, for messages and {@code filter-test}
 */
public record FilterRule(Action action, Optional<Cidr> cidr, Optional<String> name, Proto proto, int portLo, int portHi, String text) {

    public enum Action { ALLOW, DENY }

    public enum Proto {
        ANY, TCP, UDP;

        String nft() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A host name of letters, digits and hyphens in labels of at most 63 (RFC 1123), at least two labels. */
    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /** @throws IllegalArgumentException naming what is wrong with the rule */
    static FilterRule parse(Action action, String text) {
        String t = text.strip();
        String[] parts = t.split("\\s+");
        if (t.isEmpty() || parts.length > 2) {
            throw new IllegalArgumentException("'" + text + "': write <prefix|name> [tcp|udp[/port[-port]]]");
        }
        Optional<Cidr> cidr = Optional.empty();
        Optional<String> name = Optional.empty();
        String dest = parts[0];
        if (dest.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + text + "': wildcard names are not supported (a name's addresses are "
                    + "learned from the answers to that name only); list each name");
        }
        if (Character.isDigit(dest.charAt(0)) && !NAME.matcher(dest.toLowerCase(Locale.ROOT)).matches() || dest.indexOf(':') >= 0) {
            cidr = Optional.of(Cidr.parse(dest));
        } else {
            String n = dest.toLowerCase(Locale.ROOT);
            n = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("'" + text + "': '" + dest + "' is neither a prefix nor a host name");
            }
            if (action == Action.DENY) {
                throw new IllegalArgumentException("'" + text + "': a name can only be allowed (deny a name in the DNS "
                        + "firewall: dns firewall.deny)");
            }
            name = Optional.of(n);
        }
        Proto proto = Proto.ANY;
        int lo = 0;
        int hi = 65535;
        if (parts.length == 2) {
            String[] pp = parts[1].toLowerCase(Locale.ROOT).split("/", 2);
            proto = switch (pp[0]) {
                case "tcp" -> Proto.TCP;
                case "udp" -> Proto.UDP;
                default -> throw new IllegalArgumentException("'" + text + "': protocol '" + pp[0] + "' must be tcp or udp");
            };
            if (pp.length == 2) {
                String[] range = pp[1].split("-", 2);
                lo = port(text, range[0]);
                hi = range.length == 2 ? port(text, range[1]) : lo;
                if (hi < lo) {
                    throw new IllegalArgumentException("'" + text + "': port range " + pp[1] + " is empty");
                }
            }
        }
        return new FilterRule(action, cidr, name, proto, lo, hi, t);
    }

    private static int port(String text, String p) {
        if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
            throw new IllegalArgumentException("'" + text + "': port '" + p + "' must be 1 to 65535");
        }
        return Integer.parseInt(p);
    }

    /** The specificity: the prefix length (a name's addresses are hosts: 32 or 128). */
    int specificity(boolean v6) {
        return cidr.map(Cidr::length).orElse(v6 ? 128 : 32);
    }

    boolean anyPort() {
        return portLo == 0 || portLo == 1 && portHi == 65535;
    }

    /** Whether the protocol and port match (an ANY rule matches every packet). */
    boolean matches(Proto p, int port) {
        if (proto == Proto.ANY) {
            return true;
        }
        return proto == p && (anyPort() || port >= portLo && port <= portHi);
    }

    /**
     * The group of rules that share one nft set: same action, family, prefix length and protocol (a prefix rule's
     * ports are part of its set element, {@code prefix . ports}); an allowed name's set also has one port range,
     * as its elements are the addresses only.
     */
    String group(boolean v6) {
        boolean ports = name.isPresent() && proto != Proto.ANY && !anyPort();
        return (action == Action.ALLOW ? "allow" : "deny") + "_" + (v6 ? "v6" : "v4") + "_" + specificity(v6)
                + (proto == Proto.ANY ? "" : "_" + proto.nft() + (ports ? "_" + portLo + (portHi == portLo ? "" : "_" + portHi) : ""));
    }

    /** The port or port range as nft writes it. */
    String ports() {
        return anyPort() ? "1-65535" : portLo == portHi ? String.valueOf(portLo) : portLo + "-" + portHi;
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " " + text;
    }
}
