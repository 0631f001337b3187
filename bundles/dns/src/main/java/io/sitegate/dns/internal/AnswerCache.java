package io.sitegate.dns.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The answer cache, bounded in entries and bytes. Lookups take no lock (a concurrent map read and a
 * volatile flag); inserts evict with the clock algorithm over an insertion queue: an entry hit since
 * it was last looked at gets a second round, others go. Expired entries leave the same way, or are
 * replaced by the next answer for their question.
 */
final class AnswerCache {

    private final ConcurrentHashMap<CacheKey, Answer> map = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<CacheKey> clock = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
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
        Answer old = map.put(key, answer);
        if (old != null) {
            bytes.addAndGet(size - old.size() - key.size());
        } else {
            bytes.addAndGet(size);
            clock.add(key);
        }
        evict();
    }

    /** Removes an entry if it is still the given answer (a stale one that was replaced stays replaced). */
    void remove(CacheKey key, Answer answer) {
        if (map.remove(key, answer)) {
            bytes.addAndGet(-(answer.size() + key.size()));
        }
    }

    private void evict() {
        int rounds = 0;
        while ((map.size() > maxEntries || bytes.get() > maxBytes) && rounds++ < 4 * maxEntries + 16) {
            CacheKey k = clock.poll();
            if (k == null) {
                return;
            }
            Answer a = map.get(k);
            if (a == null) {
                continue;
            }
            if (a.used) {
                a.used = false;
                clock.add(k);
            } else if (map.remove(k, a)) {
                bytes.addAndGet(-(a.size() + k.size()));
            } else {
                clock.add(k);
            }
        }
    }

    /** Empties the cache; returns how many entries it held. */
    int flush() {
        int n = map.size();
        map.clear();
        clock.clear();
        bytes.set(0);
        return n;
    }

    int entries() {
        return map.size();
    }

    long bytes() {
        return Math.max(0, bytes.get());
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
