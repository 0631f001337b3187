package io.sitegate.dns.command;

import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.FirewallRule;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:dns-block-list [--source name]}. */
@Command(scope = "sitegate", name = "dns-block-list",
        description = "Lists the DNS firewall's mode and rules in force, with how many queries each rule decided.",
        detailedDescription = "Rules come from three sources: config (etc/io.sitegate.dns.cfg and its allow/deny files), "
                + "operator (sitegate:dns-allow and sitegate:dns-deny, kept across restarts) and policy (the cloud policy). "
                + "Pattern 'example.com' covers that name and every name below it, '=www.example.com' that name only. "
                + "The most specific pattern decides; for the same pattern allow wins over deny. Hits count since the rule was loaded.")
@Service
public class DnsBlockListCommand implements Action {
    @Reference(optional = true)
    DnsFirewall firewall;

    @Option(name = "--source", aliases = "-s", description = "Only the rules of this source: config, operator or policy")
    @Completion(value = StringsCompleter.class, values = {DnsFirewall.SOURCE_CONFIG, DnsFirewall.SOURCE_OPERATOR, DnsFirewall.SOURCE_POLICY})
    String source;

    @Override
    public Object execute() {
        DnsFirewall f = DnsText.require(firewall);
        PrintStream out = System.out;
        List<FirewallRule> rules = f.rules().stream().filter(r -> source == null || r.source().equals(source)).toList();
        out.println("Mode: " + DnsText.mode(f.mode()));
        out.println();
        ShellTable table = new ShellTable();
        table.column("Source");
        table.column("Rule");
        table.column("Pattern");
        table.column("Covers");
        table.column("Hits").alignRight();
        table.emptyTableText(source == null ? "no rule" : "no rule from source '" + source + "' (sources: "
                + String.join(", ", DnsFirewall.SOURCE_CONFIG, DnsFirewall.SOURCE_OPERATOR, DnsFirewall.SOURCE_POLICY) + ")");
        for (FirewallRule r : rules) {
            table.addRow().addContent(DnsText.safe(r.source()), DnsText.allowOrDeny(r.allow()), DnsText.safe(r.pattern()),
                    DnsText.covers(r.pattern()), r.hits());
        }
        table.print(out);
        return null;
    }
}
