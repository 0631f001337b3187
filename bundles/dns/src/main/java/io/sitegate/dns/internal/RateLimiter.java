package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit per client address: {@code qps} queries a second with {@code burst} saved up, as the
 * generic cell rate algorithm (one "theoretical arrival time" per client, updated by compare-and-set: no
 * lock on the query path).
 *
 * <p>The table of clients is bounded ({@link #MAX_CLIENTS}). When it is full, clients whose allowance has
 * refilled completely are forgotten (forgetting them loses nothing: a new entry starts full too), at most
 * ten times a second. A client that is being limited is never forgotten, so a flood from spoofed source
 * addresses cannot reset anybody's limit. If the table is full of clients that are all being limited, new
 * clients share one overflow allowance of {@code qps * OVERFLOW_SHARE} until room comes back.
 */
final class RateLimiter {

    static final int MAX_CLIENTS = 10_000;
    static final int OVERFLOW_SHARE = 10;
    private static final long SWEEP_EVERY_NANOS = 100_000_000L;

    /** Nanoseconds one query costs. */
    private final long interval;
    /** How far ahead of now a client's arrival time may run: the burst. */
    private final long tolerance;
    private final ConcurrentHashMap<InetAddress, AtomicLong> clients = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong(Long.MIN_VALUE);
    private final long overflowInterval;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

    RateLimiter(int qps, int burst) {
        this.interval = Math.max(1, 1_000_000_000L / Math.max(1, qps));
        this.tolerance = interval * Math.max(1, burst);
        this.overflowInterval = Math.max(1, interval / OVERFLOW_SHARE);
    }

    /** Takes one query's worth for {@code client}; false when it has none left. */
    boolean allow(InetAddress client, long nowNanos) {
        AtomicLong tat = clients.get(client);
        if (tat == null) {
            if (clients.size() >= MAX_CLIENTS) {
                sweep(nowNanos);
                if (clients.size() >= MAX_CLIENTS) {
                    return take(overflow, overflowInterval, tolerance, nowNanos);
                }
            }
            tat = clients.computeIfAbsent(client, c -> new AtomicLong(Long.MIN_VALUE));
        }
        return take(tat, interval, tolerance, nowNanos);
    }

    private static boolean take(AtomicLong tat, long interval, long tolerance, long now) {
        while (true) {
            long t = tat.get();
            long next = Math.max(t, now) + interval;
            if (next - now > tolerance) {
                return false;
            }
            if (tat.compareAndSet(t, next)) {
                return true;
            }
        }
    }

    /** Forgets the clients whose allowance is full again; at most every 100 ms, by one thread. */
    private void sweep(long nowNanos) {
        long last = lastSweep.get();
        if (nowNanos - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, nowNanos)) {
            return;
        }
        clients.values().removeIf(t -> t.get() <= nowNanos);
    }

    /** Clients tracked now (for tests and the status). */
    int clients() {
        return clients.size();
    }
}
