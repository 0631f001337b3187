package io.sitegate.dns.command;

import io.sitegate.dns.DnsFirewall;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:dns-deny <pattern> [--remove]}. */
@Command(scope = "sitegate", name = "dns-deny",
        description = "Adds (or with --remove takes away) a DNS firewall deny rule: the machines behind the gateway can no longer resolve these names.",
        detailedDescription = "Pattern: 'example.com' is that name and every name below it (www.example.com, a.b.example.com); "
                + "'=www.example.com' is that name only. The most specific pattern decides, and for the same pattern "
                + "allow wins over deny, so a deny rule has no effect on a name an equally or more specific allow rule "
                + "covers. A blocked name gets the answer set by firewall.answer (NXDOMAIN by default). "
                + "Rules added here are the 'operator' rules and are kept across restarts; "
                + "rules from the configuration or the cloud policy cannot be changed here. "
                + "Options go before the pattern: sitegate:dns-deny --remove example.com")
@Service
public class DnsDenyCommand implements Action {
    @Reference(optional = true)
    DnsFirewall firewall;

    @Argument(index = 0, name = "pattern", description = "example.com (the name and below) or '=www.example.com' (that name only; quoted, as the shell takes an unquoted =... for a variable)",
            required = true)
    String pattern;

    @Option(name = "--remove", aliases = "-r", description = "Remove the operator deny rule of this pattern instead of adding it")
    boolean remove;

    @Override
    public Object execute() {
        if (remove) {
            OperatorRules.remove(DnsText.require(firewall), pattern, false, System.out);
        } else {
            OperatorRules.add(DnsText.require(firewall), pattern, false, System.out);
        }
        return null;
    }
}
