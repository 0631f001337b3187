package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import io.sitegate.tunnel.TunnelStatus;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:tunnel-status <name>}. */
@Command(scope = "sitegate", name = "tunnel-status", description = "Shows one tunnel in detail, with its SAs or OpenVPN state.")
@Service
public class TunnelStatusCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Argument(index = 0, name = "name", description = "The tunnel (tunnel-list shows them)", required = true)
    String name;

    @Override
    public Object execute() {
        TunnelStatus t = TunnelText.require(tunnels).tunnel(name)
                .orElseThrow(() -> new IllegalArgumentException("no tunnel '" + name + "' (tunnel-list shows them)"));
        Instant now = Instant.now();
        System.out.println("Tunnel " + t.name() + " (" + t.type() + ", priority " + t.priority() + ")" + (t.active() ? ", ACTIVE" : ""));
        System.out.println("  State:     " + t.state() + ": " + t.reason());
        System.out.println("  Endpoint:  " + (t.endpoint().isEmpty() ? "-" : t.endpoint()) + ", region " + t.region());
        System.out.println("  Device:    " + t.device());
        System.out.println("  Traffic:   in " + TunnelText.bytes(t.bytesIn()) + ", out " + TunnelText.bytes(t.bytesOut()));
        System.out.println("  Overhead:  " + TunnelText.bytes(t.overheadBytes()) + " (keepalives, DPD, probes while idle), projected "
                + TunnelText.bytes(t.overheadPerMonth()) + " per 30 days");
        System.out.println("  Probes:    " + t.probes() + " sent, " + t.probeFailures() + " unanswered");
        System.out.println("  Uptime:    " + TunnelText.duration(t.uptime(now)));
        if (!t.details().isEmpty()) {
            System.out.println("  Details:");
            t.details().forEach(d -> System.out.println("    " + d));
        }
        return null;
    }
}
