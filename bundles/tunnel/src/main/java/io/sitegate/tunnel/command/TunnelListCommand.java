package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import io.sitegate.tunnel.TunnelStatus;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code sitegate:tunnel-list}. */
@Command(scope = "sitegate", name = "tunnel-list",
        description = "Lists the tunnels back to the cloud: state, endpoint, region, traffic, what keeping each up costs, and which one is active.",
        detailedDescription = "The active tunnel (marked *) carries the cloud prefixes. 'Overhead' is what a tunnel spent on the cellular "
                + "link while it carried nothing but its own keepalives, DPD and probes; '/month' projects it over 30 days.")
@Service
public class TunnelListCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Override
    public Object execute() {
        TunnelService service = TunnelText.require(tunnels);
        ShellTable table = new ShellTable();
        table.column("");
        table.column("Name");
        table.column("Type");
        table.column("Prio").alignRight();
        table.column("State");
        table.column("Endpoint");
        table.column("Region");
        table.column("In").alignRight();
        table.column("Out").alignRight();
        table.column("Overhead").alignRight();
        table.column("/month").alignRight();
        table.column("Uptime").alignRight();
        Instant now = Instant.now();
        for (TunnelStatus t : service.tunnels()) {
            table.addRow().addContent(t.active() ? "*" : "", t.name(), t.type(), t.priority(), t.state(),
                    t.endpoint().isEmpty() ? "-" : t.endpoint(), t.region(), TunnelText.bytes(t.bytesIn()), TunnelText.bytes(t.bytesOut()),
                    TunnelText.bytes(t.overheadBytes()), TunnelText.bytes(t.overheadPerMonth()), TunnelText.duration(t.uptime(now)));
        }
        table.print(System.out);
        System.out.println("Active: " + service.active().orElse("none (the cloud prefixes are unreachable)") + "; region " + service.region());
        return null;
    }
}
