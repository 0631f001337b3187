package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:tunnel-failover}. */
@Command(scope = "sitegate", name = "tunnel-failover",
        description = "Moves the traffic off the active tunnel to the next healthy one now; no failback within the hold-down (at least 60 s).")
@Service
public class TunnelFailoverCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Override
    public Object execute() {
        TunnelService s = TunnelText.require(tunnels);
        String from = s.active().orElse("none");
        String to = s.failover();
        System.out.println("Failed over from " + from + " to " + to + ".");
        return null;
    }
}
