package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:tunnel-down <name>}. */
@Command(scope = "sitegate", name = "tunnel-down", description = "Disconnects a tunnel and keeps it down until tunnel-up (or a restart).",
        detailedDescription = "If it was the active tunnel, the traffic fails over to the next healthy one at once.")
@Service
public class TunnelDownCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Argument(index = 0, name = "name", description = "The tunnel", required = true)
    String name;

    @Override
    public Object execute() {
        TunnelService s = TunnelText.require(tunnels);
        s.down(name);
        System.out.println("Tunnel " + name + " is down until tunnel-up " + name + ". Active: " + s.active().orElse("none"));
        return null;
    }
}
