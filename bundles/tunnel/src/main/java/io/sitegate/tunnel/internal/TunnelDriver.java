package io.sitegate.tunnel.internal;

import java.util.List;

/**
 * One tunnel's daemon side: brings the tunnel up towards the endpoints it is given, says where it is, and counts its
 * traffic. The supervisor decides which tunnel carries the traffic; a driver never touches the routes of the cloud
 * prefixes. Implementations are thread-safe and never block {@link #link()}.
 */
public interface TunnelDriver extends AutoCloseable {

    /**
     * What the daemon says about the tunnel now. {@code generation} changes with each new connection (an OpenVPN
     * reconnect, a new IKE_SA): its device may have been recreated, so routes through it are set again.
     */
    record Link(boolean connected, String state, String reason, String endpoint, long bytesIn, long bytesOut,
                List<String> details, long generation) {
        public Link {
            details = List.copyOf(details);
        }

        /** A link of generation 0. */
        public Link(boolean connected, String state, String reason, String endpoint, long bytesIn, long bytesOut, List<String> details) {
            this(connected, state, reason, endpoint, bytesIn, bytesOut, details, 0);
        }

        public static Link down(String state, String reason) {
            return new Link(false, state, reason, "", 0, 0, List.of());
        }
    }

    /**
     * Traffic counters, cumulative: what passed through the tunnel ({@code payload*}: the IP packets the LAN and the
     * gateway sent and received) and what that cost on the cellular link ({@code wire*}: with encapsulation,
     * keepalives, DPD and rekeying).
     */
    record Traffic(long payloadIn, long payloadOut, long wireIn, long wireOut) {
        public static final Traffic NONE = new Traffic(0, 0, 0, 0);
    }

    /**
     * Connects (or keeps connecting) towards these endpoints, tried in order. Called again with another list when the
     * region changes; the same list again changes nothing.
     */
    void connect(List<TunnelSettings.Endpoint> candidates);

    /** Disconnects and stays down until {@link #connect}. */
    void disconnect();

    /** The tunnel's state as last seen; never blocks. */
    Link link();

    /** Reads the counters from the daemon (may take a round trip to it; called from the probe thread). */
    Traffic traffic();

    /** The daemon's recent lines about this tunnel, oldest first. */
    List<String> log();

    /** Disconnects and frees everything. */
    @Override
    void close();
}
