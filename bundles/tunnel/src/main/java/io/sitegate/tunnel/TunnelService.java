package io.sitegate.tunnel;

import java.util.List;
import java.util.Optional;

/**
 * The tunnel supervisor: every configured tunnel, the active one, and what an operator may do to them.
 * Bringing a tunnel down or forcing a failover is local and temporary: the configuration (and a policy) decides
 * again at the next restart or {@code tunnel-up}.
 */
public interface TunnelService {

    /** Every configured tunnel, highest priority first. */
    List<TunnelStatus> tunnels();

    /** One tunnel. */
    Optional<TunnelStatus> tunnel(String name);

    /** The tunnel the cloud prefixes are routed through now, empty when no tunnel is healthy. */
    Optional<String> active();

    /** The region the tunnels' endpoints are chosen for, and where it comes from. */
    String region();

    /** Lets a tunnel stopped by {@link #down} be a candidate again and connects it. */
    void up(String name);

    /** Disconnects a tunnel and keeps it down until {@link #up}; traffic fails over if it was active. */
    void down(String name);

    /**
     * Moves the traffic off the active tunnel to the next healthy one now, and keeps it there for the hold-down
     * time (no immediate failback).
     *
     * @return the tunnel now active
     * @throws IllegalStateException when no other tunnel is healthy
     */
    String failover();

    /** The daemon's recent log lines for this tunnel, oldest first. */
    List<String> log(String name);
}
