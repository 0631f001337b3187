package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import java.net.InetAddress;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:filter-test <ip|name> <port>}: which rule decides, and why. */
@Command(scope = "sitegate", name = "filter-test", description = "Shows which outbound rule decides traffic from the LAN to an address (or a name's addresses) and port, and why.")
@Service
public class FilterTestCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Argument(index = 0, name = "destination", description = "An IP address, or a name (resolved by the gateway now)", required = true)
    String destination;

    @Argument(index = 1, name = "port", description = "The port (1-65535)", required = true)
    int port;

    @Option(name = "--udp", description = "UDP instead of TCP")
    boolean udp;

    @Override
    public Object execute() throws Exception {
        FilterComponent f = Filters.require(filter);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535");
        }
        for (InetAddress a : InetAddress.getAllByName(destination)) {
            System.out.println(a.getHostAddress() + " " + (udp ? "udp" : "tcp") + "/" + port + ": "
                    + f.test(a, udp ? io.sitegate.filter.internal.FilterRule.Proto.UDP : io.sitegate.filter.internal.FilterRule.Proto.TCP, port));
        }
        return null;
    }
}
