package io.sitegate.dns;

/**
 * Cache occupancy and counters.
 *
 * @param entries     entries held
 * @param bytes       bytes of answers held
 * @param maxEntries  configured bound on entries
 * @param maxBytes    configured bound on bytes
 * @param hits        queries answered from the cache
 * @param misses      queries that went upstream
 * @param staleServed expired answers served because no upstream answered (RFC 8767)
 */
public record CacheStats(int entries, long bytes, long maxEntries, long maxBytes, long hits, long misses,
                         long staleServed) {

    /** Hits over all lookups, 0 when there were none. */
    public double hitRate() {
        long all = hits + misses;
        return all == 0 ? 0 : (double) hits / all;
    }
}
