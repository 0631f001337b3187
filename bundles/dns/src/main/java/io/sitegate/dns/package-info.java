/**
 * Sitegate DNS: the local forwarder the machines behind the router resolve names through, with a
 * cache, ordered public and private (through a tunnel) upstreams, conditional forwarding and a DNS
 * firewall. {@link io.sitegate.dns.DnsForwarder} is the forwarder, {@link io.sitegate.dns.DnsFirewall}
 * its rule set, and {@link io.sitegate.dns.ResolvedNameListener} is how the names the firewall allowed,
 * with the addresses they resolved to, reach the outbound filter ("allow by FQDN" at the IP layer).
 */
@Export
@Version("1.1.0")
package io.sitegate.dns;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
