package io.sitegate.filter.command;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.LookupResult;
import io.sitegate.filter.internal.FilterComponent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code sitegate:filter-test <ip|name> <port>}: which rule decides, and why. A name is resolved through the gateway's
 * own DNS forwarder, as a LAN client's query would be (its firewall, its private routes, and the filter's name sets
 * fed from the answer): the gateway's system resolver may not know the LAN's names at all (found in the site lab:
 * "Temporary failure in name resolution" for a private name the LAN resolved fine).
 */
@Command(scope = "sitegate", name = "filter-test", description = "Shows which outbound rule decides traffic from the LAN to an address (or a name's addresses) and port, and why.")
@Service
public class FilterTestCommand implements Action {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|.*:.*");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Reference(optional = true)
    FilterComponent filter;

    @Reference(optional = true)
    DnsForwarder dns;

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
        for (InetAddress a : resolve(destination, dns)) {
            System.out.println(a.getHostAddress() + " " + (udp ? "udp" : "tcp") + "/" + port + ": "
                    + f.test(a, udp ? io.sitegate.filter.internal.FilterRule.Proto.UDP : io.sitegate.filter.internal.FilterRule.Proto.TCP, port));
        }
        return null;
    }

    /** The destination's addresses: a literal as it is, a name through the forwarder (the system resolver without one). */
    static List<InetAddress> resolve(String destination, DnsForwarder dns) throws Exception {
        if (LITERAL.matcher(destination).matches()) {
            return List.of(InetAddress.getByName(destination)); // no lookup for a literal
        }
        if (dns == null) {
            try {
                return List.of(InetAddress.getAllByName(destination));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(destination + ": not resolved (the DNS forwarder is not running, and the system "
                        + "resolver says: " + e.getMessage() + "); give an address instead");
            }
        }
        List<InetAddress> out = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (String type : List.of("A", "AAAA")) {
            LookupResult r;
            try {
                r = dns.lookup(destination, type, TIMEOUT).toCompletableFuture().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalArgumentException(destination + ": " + e.getCause().getMessage());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalArgumentException(destination + ": the gateway's DNS forwarder did not answer within " + TIMEOUT.toSeconds() + " s");
            }
            answers.add(type + " " + r.rcode() + " (" + r.answeredBy() + ")");
            for (String record : r.records()) {
                String[] f = record.trim().split("\\s+");
                if (f.length >= 5 && f[3].equals(type)) {
                    out.add(InetAddress.getByName(f[4]));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(destination + ": no address from the gateway's DNS forwarder: " + String.join(", ", answers)
                    + " (sitegate:dns-lookup " + destination + " shows the answer)");
        }
        return out;
    }
}
