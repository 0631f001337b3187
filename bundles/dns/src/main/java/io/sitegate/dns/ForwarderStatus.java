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
 */
public record ForwarderStatus(List<ListenerStatus> listeners, List<UpstreamStatus> upstreams, CacheStats cache,
                              long queries, double qps, long blocked, long rateLimited, long malformed,
                              long servfail) {

    public ForwarderStatus {
        listeners = List.copyOf(listeners);
        upstreams = List.copyOf(upstreams);
    }
}
