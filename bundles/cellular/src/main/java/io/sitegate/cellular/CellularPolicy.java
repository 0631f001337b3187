package io.sitegate.cellular;

import java.util.Objects;

/**
 * The cellular service policy in force: binding, radio and network, DNS and quotas, plus where it
 * came from. Immutable; a new configuration or signed policy replaces it as a whole, and a policy
 * that does not validate never replaces the one in force.
 *
 * @param source  where it came from, for display ({@code etc/io.sitegate.cellular.cfg}, {@code policy v12})
 * @param binding the SIM/device binding
 * @param network allowed RATs and networks
 * @param dns     custom DNS servers
 * @param quota   monthly data and SMS quotas
 */
public record CellularPolicy(String source, BindingPolicy binding, NetworkPolicy network, DnsPolicy dns,
                             QuotaPolicy quota) {
    public CellularPolicy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(quota, "quota");
    }

    /** Nothing enforced: what runs before any configuration arrives. */
    public static CellularPolicy permissive(String source) {
        return new CellularPolicy(source, BindingPolicy.off(), NetworkPolicy.any(), DnsPolicy.network(),
                QuotaPolicy.unlimited());
    }
}
