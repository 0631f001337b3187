package io.sitegate.filter.internal;

import io.sitegate.filter.internal.FilterRule.Action;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes Sitegate's one nftables table, {@code inet sitegate}, as one {@code nft -f} file that replaces the previous
 * table in one transaction (nft applies a file all or nothing: a file with an error leaves the table in force).
 *
 * <ul>
 * <li>{@code forward}: replies of established flows pass; traffic from the LAN goes through {@code outbound}; new
 * traffic arriving on the WAN is dropped (nothing behind the gateway is reachable from the WAN); other interfaces'
 * traffic is not Sitegate's.</li>
 * <li>{@code outbound}: one set lookup per group of rules ({@link RuleSet#groups}), most specific first and denies
 * first at equal specificity, then the default action. Sets are interval sets of prefixes of one length, so 10,000
 * rules are a few dozen lookups, not 10,000 linear rules. Allowed names have {@code timeout} sets, one per protocol
 * and port group, filled from the DNS answers with the record's TTL.</li>
 * <li>{@code output}: the gateway's own traffic to the WAN goes through {@code outbound} too, after the protected
 * endpoints (broker, DNS upstreams, tunnel endpoints), which are always accepted.</li>
 * <li>{@code input}: on the WAN only established and related traffic, and the tunnels' own (IKE, ESP, OpenVPN
 * replies from the protected endpoints) come in.</li>
 * </ul>
 */
final class NftRenderer {
    static final String TABLE = "inet sitegate";

    /** An element to put back into a name's set after a reload, with the time its answer has left. */
    record Known(String name, InetAddress address, Duration left) {
    }

    private NftRenderer() {
    }

    /**
     * @param protectedEndpoints the tunnel endpoints, broker and DNS upstreams: accepted on the WAN input whatever the rules
     * @param known              the addresses of allowed names still valid, to keep them allowed across the reload
     */
    static String render(RuleSet rules, List<String> lan, List<String> wan, Collection<Cidr> protectedEndpoints,
            Collection<Known> known) {
        return render(rules, lan, wan, protectedEndpoints, known, List.of(), java.time.Instant.now(), 8101);
    }

    /** The interfaces of Sitegate's tunnels: OpenVPN's {@code sg-<name>}, kernel-libipsec's {@code ipsec<n>}. */
    static final String TUNNELS = "{ \"sg-*\", \"ipsec*\" }";

    /**
     * @param windows the access windows open now, put back with the time they have left
     * @param sshPort the gateway's SSH port: from a tunnel or the WAN only through an access window
     */
    static String render(RuleSet rules, List<String> lan, List<String> wan, Collection<Cidr> protectedEndpoints,
            Collection<Known> known, Collection<AccessWindow> windows, java.time.Instant now, int sshPort) {
        StringBuilder b = new StringBuilder();
        b.append("# Sitegate's outbound filter: replaced as a whole by the filter capability; do not edit.\n");
        b.append("table ").append(TABLE).append(" {}\n");
        b.append("delete table ").append(TABLE).append('\n');
        b.append("table ").append(TABLE).append(" {\n");
        List<String> outbound = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            String family = v6 ? "ip6" : "ip";
            String type = v6 ? "ipv6_addr" : "ipv4_addr";
            for (Map.Entry<String, List<FilterRule>> g : rules.groups(v6).entrySet()) {
                FilterRule first = g.getValue().get(0);
                boolean names = first.name().isPresent();
                boolean concat = !names && first.proto() != Proto.ANY;
                b.append("  set ").append(g.getKey()).append(" {\n    type ").append(type).append(concat ? " . inet_service" : "")
                        .append("\n    flags ").append(names ? "timeout" : "interval").append('\n');
                List<String> elements = new ArrayList<>();
                if (names) {
                    for (Known k : known) {
                        if ((k.address() instanceof Inet6Address) == v6 && g.getValue().stream().anyMatch(r -> r.name().get().equals(k.name()))
                                && k.left().toSeconds() > 0) {
                            elements.add(k.address().getHostAddress() + " timeout " + k.left().toSeconds() + "s");
                        }
                    }
                } else if (!concat) {
                    g.getValue().forEach(r -> elements.add(r.cidr().get().toString()));
                } else {
                    // one prefix's port ranges merged: overlapping intervals in one set are an error for nft
                    Map<String, List<int[]>> ranges = new java.util.LinkedHashMap<>();
                    g.getValue().forEach(r -> ranges.computeIfAbsent(r.cidr().get().toString(), k -> new ArrayList<>())
                            .add(r.anyPort() ? new int[] {1, 65535} : new int[] {r.portLo(), r.portHi()}));
                    ranges.forEach((cidr, list) -> {
                        list.sort(java.util.Comparator.comparingInt(x -> x[0]));
                        int lo = list.get(0)[0];
                        int hi = list.get(0)[1];
                        for (int[] x : list.subList(1, list.size())) {
                            if (x[0] <= hi + 1) {
                                hi = Math.max(hi, x[1]);
                            } else {
                                elements.add(cidr + " . " + (lo == hi ? lo : lo + "-" + hi));
                                lo = x[0];
                                hi = x[1];
                            }
                        }
                        elements.add(cidr + " . " + (lo == hi ? lo : lo + "-" + hi));
                    });
                }
                if (!elements.isEmpty()) {
                    b.append("    elements = { ").append(String.join(", ", new java.util.LinkedHashSet<>(elements))).append(" }\n");
                }
                b.append("  }\n");
                outbound.add(concat ? family + " daddr . " + first.proto().nft() + " dport @" + g.getKey() + " counter " + verdict(first.action())
                        : family + " daddr @" + g.getKey() + match(first) + " counter " + verdict(first.action()));
            }
        }
        List<String> p4 = new ArrayList<>();
        List<String> p6 = new ArrayList<>();
        protectedEndpoints.forEach(c -> (c.v6() ? p6 : p4).add(c.toString()));
        set(b, "protected_v4", "ipv4_addr", p4);
        set(b, "protected_v6", "ipv6_addr", p6);
        for (AccessWindow.Via via : AccessWindow.Via.values()) {
            for (boolean v6 : new boolean[] {false, true}) {
                String addr = v6 ? "ipv6_addr" : "ipv4_addr";
                for (boolean gw : new boolean[] {false, true}) {
                    String name = "access_" + (gw ? "gw" : "lan") + "_" + via.text() + "_" + (v6 ? "v6" : "v4");
                    b.append("  set ").append(name).append(" {\n    type ").append(addr).append(" . ")
                            .append(gw ? "" : addr + " . ").append("inet_service\n    flags interval,timeout\n");
                    List<String> elements = new ArrayList<>();
                    for (AccessWindow w : windows) {
                        long left = w.left(now).toSeconds();
                        if (w.set().equals(name) && left > 0) {
                            elements.add(w.element() + " timeout " + left + "s");
                        }
                    }
                    if (!elements.isEmpty()) {
                        b.append("    elements = { ").append(String.join(", ", elements)).append(" }\n");
                    }
                    b.append("  }\n");
                }
            }
        }

        b.append("  chain outbound {\n");
        outbound.forEach(r -> b.append("    ").append(r).append('\n'));
        b.append("    counter ").append(verdict(rules.defaultAction())).append('\n');
        b.append("  }\n");
        // policy accept: only the LAN's, the tunnels' and the WAN's traffic is Sitegate's business (a container bridge on
        // the same machine is not). Nothing from the tunnels or the WAN reaches the LAN but through an access window.
        String l = lan.isEmpty() ? null : ifaces(lan);
        for (String via : new String[] {"tunnel", "wan"}) {
            b.append("  chain inbound_").append(via).append(" {\n");
            if (l != null) {
                b.append("    oifname ").append(l).append(" ip saddr . ip daddr . tcp dport @access_lan_").append(via).append("_v4 accept\n");
                b.append("    oifname ").append(l).append(" ip6 saddr . ip6 daddr . tcp dport @access_lan_").append(via).append("_v6 accept\n");
                b.append("    oifname ").append(l).append(" drop\n");
            }
            if (via.equals("wan")) {
                b.append("    drop\n");
            }
            b.append("  }\n");
        }
        b.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        b.append("    ct state established,related accept\n");
        if (l != null) {
            b.append("    iifname ").append(l).append(" jump outbound\n");
        }
        b.append("    meta ipsec exists jump inbound_tunnel\n");
        b.append("    iifname ").append(TUNNELS).append(" jump inbound_tunnel\n");
        if (!wan.isEmpty()) {
            b.append("    iifname ").append(ifaces(wan)).append(" jump inbound_wan\n");
        }
        b.append("  }\n");
        // the gateway's SSH from a tunnel or the WAN: only through an access window (from the LAN it stays open)
        b.append("  chain ssh_outside {\n");
        b.append("    ct state established,related accept\n");
        b.append("    iifname ").append(TUNNELS).append(" ip saddr . tcp dport @access_gw_tunnel_v4 accept\n");
        b.append("    iifname ").append(TUNNELS).append(" ip6 saddr . tcp dport @access_gw_tunnel_v6 accept\n");
        b.append("    meta ipsec exists ip saddr . tcp dport @access_gw_tunnel_v4 accept\n");
        b.append("    meta ipsec exists ip6 saddr . tcp dport @access_gw_tunnel_v6 accept\n");
        b.append("    ip saddr . tcp dport @access_gw_wan_v4 accept\n");
        b.append("    ip6 saddr . tcp dport @access_gw_wan_v6 accept\n");
        b.append("    drop\n");
        b.append("  }\n");
        // the gateway's own traffic to the WAN is judged by the same rules, but what it must reach (broker, DNS
        // upstreams, tunnel endpoints) is accepted first, whatever the rules say: it can never lock itself out
        b.append("  chain output {\n    type filter hook output priority filter; policy accept;\n");
        if (!wan.isEmpty()) {
            String w = ifaces(wan);
            b.append("    ct state established,related accept\n");
            b.append("    oifname ").append(w).append(" ip daddr @protected_v4 accept\n");
            b.append("    oifname ").append(w).append(" ip6 daddr @protected_v6 accept\n");
            b.append("    oifname ").append(w).append(" jump outbound\n");
        }
        b.append("  }\n");
        b.append("  chain input {\n    type filter hook input priority filter; policy accept;\n");
        b.append("    meta ipsec exists tcp dport ").append(sshPort).append(" jump ssh_outside\n");
        b.append("    iifname ").append(TUNNELS).append(" tcp dport ").append(sshPort).append(" jump ssh_outside\n");
        if (!wan.isEmpty()) {
            b.append("    iifname ").append(ifaces(wan)).append(" tcp dport ").append(sshPort).append(" jump ssh_outside\n");
        }
        if (!wan.isEmpty()) {
            String w = ifaces(wan);
            b.append("    iifname ").append(w).append(" ct state established,related accept\n");
            b.append("    iifname ").append(w).append(" ip saddr @protected_v4 meta l4proto { esp, udp } accept\n");
            b.append("    iifname ").append(w).append(" ip6 saddr @protected_v6 meta l4proto { esp, udp } accept\n");
            b.append("    iifname ").append(w).append(" meta l4proto { icmp, ipv6-icmp } limit rate 10/second accept\n");
            b.append("    iifname ").append(w).append(" drop\n");
        }
        b.append("  }\n");
        b.append("}\n");
        return b.toString();
    }

    private static void set(StringBuilder b, String name, String type, List<String> elements) {
        b.append("  set ").append(name).append(" {\n    type ").append(type).append("\n    flags interval\n");
        if (!elements.isEmpty()) {
            b.append("    elements = { ").append(String.join(", ", elements)).append(" }\n");
        }
        b.append("  }\n");
    }

    private static String match(FilterRule r) {
        if (r.proto() == Proto.ANY) {
            return "";
        }
        String m = " meta l4proto " + r.proto().nft();
        if (!r.anyPort()) {
            m += " th dport " + r.portLo() + (r.portHi() == r.portLo() ? "" : "-" + r.portHi());
        }
        return m;
    }

    private static String verdict(Action a) {
        return a == Action.ALLOW ? "accept" : "drop";
    }

    private static String ifaces(List<String> names) {
        return "{ " + String.join(", ", names.stream().map(n -> "\"" + n + "\"").toList()) + " }";
    }
}
