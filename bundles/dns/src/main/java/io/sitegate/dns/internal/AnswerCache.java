package io.sitegate.dns.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The answer cache, bounded in entries and bytes. Lookups take no lock (a concurrent map read and a
 * volatile flag): the hot path of a cache hit never waits. Changes (an answer stored after a miss, an
 * entry removed, a flush) take one lock, so that the map, the eviction order and the byte count stay
 * exact together: an entry is in the map only if its key is in the eviction order (once), and the byte
 * count is the sum of the entries' sizes. Eviction is the clock algorithm over the insertion order: an
 * entry hit since it was last looked at gets a second round, others go. Expired entries leave the same
 * way, or are replaced by the next answer for their question.
 */
final class AnswerCache {

    private final ConcurrentHashMap<CacheKey, Answer> map = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: the eviction order, and the keys in it. */
    private final ArrayDeque<CacheKey> clock = new ArrayDeque<>();
    private final HashSet<CacheKey> queued = new HashSet<>();
    /** Written under {@code this}; read without it for the status. */
    private volatile long bytes;
    private final long maxEntries;
    private final long maxBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder staleServed = new LongAdder();

    AnswerCache(long maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The entry for a question, fresh or not; null when there is none. Marks it used. */
    Answer get(CacheKey key) {
        Answer a = map.get(key);
        if (a != null && !a.used) {
            a.used = true;
        }
        return a;
    }

    void put(CacheKey key, Answer answer) {
        int size = answer.size() + key.size();
        if (size > maxBytes || maxEntries == 0) {
            return;
        }
        synchronized (this) {
            Answer old = map.put(key, answer);
            bytes += old != null ? size - old.size() - key.size() : size;
            if (queued.add(key)) {
                clock.addLast(key);
            }
            evict();
        }
    }

    /** The fresh answers, a snapshot (for telling a new resolved-name listener what the LAN already knows). */
    java.util.List<Answer> fresh(long nowNanos) {
        java.util.List<Answer> out = new java.util.ArrayList<>();
        map.values().forEach(a -> {
            if (a.fresh(nowNanos)) {
                out.add(a);
            }
        });
        return out;
    }

    /** Removes an entry if it is still the given answer (a stale one that was replaced stays replaced). */
    synchronized void remove(CacheKey key, Answer answer) {
        if (map.remove(key, answer)) {
            bytes -= answer.size() + key.size();
        }
    }

    /** Under the lock. Keys whose entry is gone leave the order as they come up. */
    private void evict() {
        long rounds = 0;
        while ((map.size() > maxEntries || bytes > maxBytes) && rounds++ < 4 * maxEntries + 16) {
            CacheKey k = clock.pollFirst();
            if (k == null) {
                return;
            }
            Answer a = map.get(k);
            if (a == null) {
                queued.remove(k);
                continue;
            }
            if (a.used) {
                a.used = false;
                clock.addLast(k);
            } else {
                queued.remove(k);
                map.remove(k);
                bytes -= a.size() + k.size();
            }
        }
    }

    /** Empties the cache; returns how many entries it held. */
    synchronized int flush() {
        int n = map.size();
        map.clear();
        clock.clear();
        queued.clear();
        bytes = 0;
        return n;
    }

    /**
     * Whether the map, the eviction order and the byte count agree (for tests): every entry's key is in the
     * order exactly once, and the byte count is the sum of the entries.
     */
    synchronized boolean consistent() {
        long sum = 0;
        for (var e : map.entrySet()) {
            if (!queued.contains(e.getKey())) {
                return false;
            }
            sum += e.getValue().size() + e.getKey().size();
        }
        return sum == bytes && queued.size() == clock.size() && new HashSet<>(clock).size() == clock.size()
                && map.size() <= maxEntries && bytes <= maxBytes;
    }

    int entries() {
        return map.size();
    }

    long bytes() {
        return bytes;
    }

    long maxEntries() {
        return maxEntries;
    }

    long maxBytes() {
        return maxBytes;
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void staleServed() {
        staleServed.increment();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long staleCount() {
        return staleServed.sum();
    }
}
