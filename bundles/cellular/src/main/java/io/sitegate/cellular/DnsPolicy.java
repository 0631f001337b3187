package io.sitegate.cellular;

import java.util.Objects;
import java.util.Optional;

/**
 * Custom DNS servers pushed to the modem with its profile's DNS command.
 *
 * @param primary   an IP literal; empty leaves the network's DNS servers in place
 * @param secondary an IP literal; only present together with a primary
 */
public record DnsPolicy(Optional<String> primary, Optional<String> secondary) {
    public DnsPolicy {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(secondary, "secondary");
        if (secondary.isPresent() && primary.isEmpty()) {
            throw new IllegalArgumentException("a secondary DNS server needs a primary");
        }
    }

    /** The network's own DNS servers. */
    public static DnsPolicy network() {
        return new DnsPolicy(Optional.empty(), Optional.empty());
    }

    /** Whether servers are to be pushed at all. */
    public boolean custom() {
        return primary.isPresent();
    }
}
