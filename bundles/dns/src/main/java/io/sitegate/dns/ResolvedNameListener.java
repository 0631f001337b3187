package io.sitegate.dns;

/**
 * Whiteboard service told of every name the firewall allowed and the addresses it resolved to, so a
 * filter at the IP layer can allow traffic to those addresses for as long as the answer lives
 * ("allow by FQDN").
 *
 * <p>The contract a filter relies on:
 * <ul>
 * <li>Called for every answer from an upstream that holds addresses, <em>before</em> that answer is sent to the
 * client: when {@link #resolved} returns, the client may connect at once, so an implementation puts the
 * addresses where the packet filter sees them before returning. It runs on one of the forwarder's workers (never
 * the socket thread), so it may take the few milliseconds a kernel update takes; it must not wait on the network.</li>
 * <li>Not called for cache hits: their addresses were told when the answer was cached.</li>
 * <li>A listener registered while answers are cached (a filter restarted or updated) is told, soon after, every
 * allowed cached answer with the time it has left, so its names keep working without waiting for their TTL.</li>
 * </ul>
 */
@FunctionalInterface
public interface ResolvedNameListener {

    /** A name was resolved to addresses. */
    void resolved(ResolvedName name);
}
