package io.sitegate.dns;

/**
 * Whiteboard service told of every name the firewall allowed and the addresses it resolved to, so a
 * filter at the IP layer can allow traffic to those addresses for as long as the answer lives
 * ("allow by FQDN"). Called on the forwarder's threads for answers from upstreams (not for cache
 * hits, whose addresses were already told): implementations must return quickly and never block.
 */
@FunctionalInterface
public interface ResolvedNameListener {

    /** A name was resolved to addresses. */
    void resolved(ResolvedName name);
}
