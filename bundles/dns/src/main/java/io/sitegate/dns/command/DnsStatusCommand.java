package io.sitegate.dns.command;

import io.sitegate.dns.CacheStats;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.ListenerStatus;
import io.sitegate.dns.UpstreamStatus;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:dns-status}. */
@Command(scope = "sitegate", name = "dns-status",
        description = "Shows the DNS forwarder: where it listens, the upstream servers with health and latency, the cache, traffic and the DNS firewall.",
        detailedDescription = "The machines behind the gateway resolve names through it. Upstreams are tried in order: UP works, "
                + "DEGRADED failed recently and is tried again after a pause, DOWN cannot be used (e.g. its tunnel is down). "
                + "Latency is the smoothed response time in milliseconds. Stale served counts expired answers given while no "
                + "upstream answered. Counters run since the forwarder started. Configuration: etc/io.sitegate.dns.cfg; "
                + "firewall rules: sitegate:dns-block-list.")
@Service
public class DnsStatusCommand implements Action {
    @Reference(optional = true)
    DnsForwarder forwarder;

    @Reference(optional = true)
    DnsFirewall firewall;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        if (forwarder == null) {
            out.println(DnsText.NOT_RUNNING);
            return null;
        }
        ForwarderStatus s = forwarder.status();
        out.println("Listeners:");
        listeners(s).print(out);
        out.println();
        out.println("Upstreams:");
        upstreams(s).print(out);
        out.println();
        CacheStats c = s.cache();
        out.printf("Cache:     %d / %d entries, %s / %s, hit rate %s (hits %d, misses %d), stale served %d%n",
                c.entries(), c.maxEntries(), DnsText.kib(c.bytes()), DnsText.kib(c.maxBytes()),
                c.hits() + c.misses() == 0 ? "-" : DnsText.percent(c.hitRate()), c.hits(), c.misses(), c.staleServed());
        out.printf("Traffic:   %d queries, %s q/s, blocked %d, rate-limited %d, malformed %d, SERVFAIL %d, "
                + "upstream replies dropped (spoofed or late) %d%n",
                s.queries(), DnsText.rate(s.qps()), s.blocked(), s.rateLimited(), s.malformed(), s.servfail(), s.spoofed());
        out.println("Firewall:  " + (firewall == null ? "not available"
                : DnsText.mode(firewall.mode()) + ", " + DnsText.count(firewall.rules().size(), "rule", "rules")
                        + " (sitegate:dns-block-list)"));
        return null;
    }

    private static ShellTable listeners(ForwarderStatus s) {
        ShellTable table = new ShellTable();
        table.column("Protocol");
        table.column("Address");
        table.column("State");
        table.column("Dropped (not reading)").alignRight();
        table.column("Refused (limits)").alignRight();
        table.column("Error").maxSize(80);
        table.emptyTableText("no listener configured (listen in etc/io.sitegate.dns.cfg)");
        for (ListenerStatus l : s.listeners()) {
            boolean tcp = "tcp".equals(l.protocol());
            table.addRow().addContent(l.protocol(), l.address(), l.bound() ? "bound" : "NOT BOUND",
                    tcp ? String.valueOf(l.dropped()) : "-", tcp ? String.valueOf(l.refused()) : "-",
                    l.bound() ? "-" : DnsText.orDash(l.error()));
        }
        return table;
    }

    private static ShellTable upstreams(ForwarderStatus s) {
        ShellTable table = new ShellTable();
        table.column("Upstream");
        table.column("Route");
        table.column("State");
        table.column("Latency ms").alignRight();
        table.column("Queries").alignRight();
        table.column("Failures").alignRight();
        table.column("Reason").maxSize(70);
        table.emptyTableText("no upstream configured (upstreams in etc/io.sitegate.dns.cfg)");
        for (UpstreamStatus u : s.upstreams()) {
            table.addRow().addContent(u.spec(), u.route(), u.state(), DnsText.millis(u.latency()), u.queries(), u.failures(),
                    DnsText.orDash(u.reason()));
        }
        return table;
    }
}
