package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:tunnel-up <name>}. */
@Command(scope = "sitegate", name = "tunnel-up", description = "Connects a tunnel stopped with tunnel-down; it is a failover candidate again.")
@Service
public class TunnelUpCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Argument(index = 0, name = "name", description = "The tunnel", required = true)
    String name;

    @Override
    public Object execute() {
        TunnelText.require(tunnels).up(name);
        System.out.println("Tunnel " + name + " is connecting; tunnel-list shows when it is UP.");
        return null;
    }
}
