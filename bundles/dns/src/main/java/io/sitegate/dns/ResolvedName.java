package io.sitegate.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A name the firewall allowed and the addresses its A or AAAA answer held.
 *
 * @param name      the name queried, lower case, without the final dot
 * @param addresses the addresses of the answer (after following CNAMEs)
 * @param ttl       how long the answer is valid
 * @param at        when it was received
 */
public record ResolvedName(String name, List<InetAddress> addresses, Duration ttl, Instant at) {

    public ResolvedName {
        addresses = List.copyOf(addresses);
    }
}
