package io.sitegate.dns;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The local DNS forwarder, registered as a service while it runs with a valid configuration
 * (PID {@code io.sitegate.dns}).
 */
public interface DnsForwarder {

    /** Listeners, upstreams with health and latency, cache and traffic counters, now. */
    ForwarderStatus status();

    /**
     * Empties the cache.
     *
     * @return how many entries were removed
     */
    int flushCache();

    /**
     * Resolves a name through the forwarder exactly as a client's query would go (firewall, cache,
     * upstream selection), and says what answered.
     *
     * @param name    the name to look up, with or without the final dot
     * @param type    the record type, as a mnemonic ({@code A}, {@code AAAA}, {@code MX}, ...)
     * @param timeout how long to wait for the answer
     * @return the answer; completes exceptionally with {@link IllegalArgumentException} for a name or type
     *         that is not valid, or with a {@link java.util.concurrent.TimeoutException}
     */
    CompletionStage<LookupResult> lookup(String name, String type, Duration timeout);
}
