package io.sitegate.dns.command;

import io.sitegate.dns.DnsFirewall;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:dns-allow <pattern> [--remove]}. */
@Command(scope = "sitegate", name = "dns-allow",
        description = "Adds (or with --remove takes away) a DNS firewall allow rule: the machines behind the gateway may resolve these names.",
        detailedDescription = "Pattern: 'example.com' is that name and every name below it (www.example.com, a.b.example.com); "
                + "'=www.example.com' is that name only. The most specific pattern decides, and for the same pattern "
                + "allow wins over deny. In allow-only mode only allowed names resolve; in deny-list mode an allow rule "
                + "makes an exception to a broader deny rule. Rules added here are the 'operator' rules and are kept across "
                + "restarts; rules from the configuration or the cloud policy cannot be changed here. "
                + "Options go before the pattern: sitegate:dns-allow --remove example.com")
@Service
public class DnsAllowCommand implements Action {
    @Reference(optional = true)
    DnsFirewall firewall;

    @Argument(index = 0, name = "pattern", description = "example.com (the name and below) or '=www.example.com' (that name only; quoted, as the shell takes an unquoted =... for a variable)",
            required = true)
    String pattern;

    @Option(name = "--remove", aliases = "-r", description = "Remove the operator allow rule of this pattern instead of adding it")
    boolean remove;

    @Override
    public Object execute() {
        if (remove) {
            OperatorRules.remove(DnsText.require(firewall), pattern, true, System.out);
        } else {
            OperatorRules.add(DnsText.require(firewall), pattern, true, System.out);
        }
        return null;
    }
}
