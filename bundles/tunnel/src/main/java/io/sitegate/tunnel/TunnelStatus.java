package io.sitegate.tunnel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One tunnel as the supervisor sees it.
 *
 * @param name            the configuration's name ({@code io.sitegate.tunnel~<name>})
 * @param type            {@code ipsec} or {@code openvpn}
 * @param priority        higher carries the traffic when healthy
 * @param state           where the tunnel is
 * @param reason          why, in a technician's words (never a secret)
 * @param active          whether the cloud prefixes are routed through it now
 * @param endpoint        the cloud endpoint it is connected or connecting to, empty when none
 * @param region          the region whose endpoints it uses
 * @param device          the network device the routes point at ({@code ipsec0}, {@code sg-<name>})
 * @param bytesIn         bytes received through the tunnel (as its daemon counts them)
 * @param bytesOut        bytes sent through the tunnel
 * @param overheadBytes   bytes the tunnel spent while carrying no traffic but its keepalives or DPD and the
 *                        probes: the cellular data it costs to keep it up
 * @param overheadPerMonth that overhead projected over 30 days at the rate measured so far, -1 before a measurement
 * @param probes          probes sent
 * @param probeFailures   probes that got no answer
 * @param upSince         since when it is connected, empty when it is not
 * @param details         daemon details: the SAs of an IPsec tunnel, OpenVPN's state line
 */
public record TunnelStatus(String name, String type, int priority, State state, String reason, boolean active,
                           String endpoint, String region, String device, long bytesIn, long bytesOut,
                           long overheadBytes, long overheadPerMonth, long probes, long probeFailures,
                           Optional<Instant> upSince, List<String> details) {

    /** Where a tunnel is. */
    public enum State {
        /** Stopped by an operator ({@code tunnel-down}); not a candidate for failover. */
        DISABLED,
        /** Not connected; the reason says why and when it tries again. */
        DOWN,
        /** The daemon is bringing it up. */
        CONNECTING,
        /** Connected, but the probe through it fails. */
        DEGRADED,
        /** Connected and the probe answers. */
        UP
    }

    public TunnelStatus {
        details = List.copyOf(details);
    }

    /** How long it has been connected. */
    public Duration uptime(Instant now) {
        return upSince.map(s -> Duration.between(s, now)).orElse(Duration.ZERO);
    }
}
