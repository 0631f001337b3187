package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:access-open --from <cidr> --to <lan-host:port|ssh> --for <duration> [--wan]} (admin). */
@Command(scope = "sitegate", name = "access-open", description = "Opens a time-limited way in: from one source prefix to a LAN host's TCP port (or the gateway's SSH), through the tunnels (or the WAN with --wan). It closes itself, also across a restart.")
@Service
public class AccessOpenCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Option(name = "--from", description = "The source prefix, e.g. 198.51.100.7/32", required = true)
    String from;

    @Option(name = "--to", description = "<lan-host>:<port>, or ssh for the gateway's own SSH", required = true)
    String to;

    @Option(name = "--for", description = "How long: 90s, 30m, 2h, 1d (at most 7d)", required = true)
    String length;

    @Option(name = "--wan", description = "From the WAN instead of through the tunnels")
    boolean wan;

    @Override
    public Object execute() throws Exception {
        System.out.println("Opened " + Filters.require(filter).openWindow(from, to, Operators.duration(length), wan, Operators.who()));
        return null;
    }
}
