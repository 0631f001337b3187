package io.sitegate.dns.command;

import io.sitegate.dns.DnsForwarder;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:dns-cache-flush}. */
@Command(scope = "sitegate", name = "dns-cache-flush",
        description = "Empties the DNS cache: the next query for every name goes to the upstream servers again.",
        detailedDescription = "Use it after a DNS record changed at its source and the machines behind the gateway still get "
                + "the old answer. The machines may also keep answers in their own cache for a while.")
@Service
public class DnsCacheFlushCommand implements Action {
    @Reference(optional = true)
    DnsForwarder forwarder;

    @Override
    public Object execute() {
        int removed = DnsText.require(forwarder).flushCache();
        System.out.println("DNS cache flushed: " + DnsText.count(removed, "entry", "entries") + " removed.");
        return null;
    }
}
