package io.sitegate.dns;

import java.util.List;

/**
 * What {@link DnsForwarder#status()} shows.
 *
 * @param listeners   the configured listening sockets and whether each is bound
 * @param upstreams   every configured upstream, in configuration order
 * @param cache       cache size and hit counters
 * @param queries     queries received since start (all listeners)
 * @param qps         queries per second over the last 10 seconds
 * @param blocked     queries answered by a firewall rule
 * @param rateLimited queries refused by the per-client rate limit
 * @param malformed   packets answered with FORMERR or dropped as malformed
 * @param servfail    queries answered SERVFAIL (no usable upstream, timeouts)
 * @param spoofed     upstream replies dropped because their id, flags or question matched no query sent (spoofed,
 *                    late, or for another question); a count that keeps rising under normal traffic means someone
 *                    is trying to poison the cache
 */
public record ForwarderStatus(List<ListenerStatus> listeners, List<UpstreamStatus> upstreams, CacheStats cache,
                              long queries, double qps, long blocked, long rateLimited, long malformed,
                              long servfail, long spoofed) {

    public ForwarderStatus {
        listeners = List.copyOf(listeners);
        upstreams = List.copyOf(upstreams);
    }

    /** The status without the count of dropped upstream replies (version 1.0 of this record). */
    public ForwarderStatus(List<ListenerStatus> listeners, List<UpstreamStatus> upstreams, CacheStats cache,
                           long queries, double qps, long blocked, long rateLimited, long malformed, long servfail) {
        this(listeners, upstreams, cache, queries, qps, blocked, rateLimited, malformed, servfail, 0);
    }
}
