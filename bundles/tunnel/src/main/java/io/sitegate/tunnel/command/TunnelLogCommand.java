package io.sitegate.tunnel.command;

import io.sitegate.tunnel.TunnelService;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:tunnel-log <name>}. */
@Command(scope = "sitegate", name = "tunnel-log",
        description = "Shows the daemon's recent lines for a tunnel: OpenVPN's output, or charon's messages about the IPsec SA.")
@Service
public class TunnelLogCommand implements Action {
    @Reference(optional = true)
    TunnelService tunnels;

    @Argument(index = 0, name = "name", description = "The tunnel", required = true)
    String name;

    @Option(name = "-n", description = "How many lines (default 50, at most 200)")
    int lines = 50;

    @Override
    public Object execute() {
        if (lines < 1 || lines > 200) {
            throw new IllegalArgumentException("-n must be 1 to 200");
        }
        List<String> all = TunnelText.require(tunnels).log(name);
        if (all.isEmpty()) {
            System.out.println("No lines yet from tunnel " + name + "'s daemon.");
        }
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        return null;
    }
}
