/**
 * Tunnels back to the cloud: the {@link io.sitegate.tunnel.TunnelService} shows every configured tunnel
 * ({@code io.sitegate.tunnel~<name>}), which one carries the cloud prefixes, and lets an operator bring one up or
 * down or force a failover.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.sitegate.tunnel;
