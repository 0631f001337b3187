package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code qps} tokens a second, at most {@code burst} saved up.
 * Buckets of clients that went quiet are dropped when the table grows large, so a flood of spoofed
 * source addresses cannot grow memory without bound.
 */
final class RateLimiter {

    private static final int MAX_CLIENTS = 10_000;

    private final double perNano;
    private final double burst;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int qps, int burst) {
        this.perNano = qps / 1e9;
        this.burst = Math.max(1, burst);
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    private long lastSweep;

    /**
     * Makes room for new clients, at most once a second: drops quiet ones, and when every one is busy
     * (a flood from spoofed addresses), all of them, so memory stays bounded either way.
     */
    private synchronized void sweep(long nowNanos) {
        if (buckets.size() < MAX_CLIENTS) {
            return;
        }
        if (nowNanos - lastSweep >= 1_000_000_000L) {
            lastSweep = nowNanos;
            buckets.values().removeIf(x -> nowNanos - x.last > 10_000_000_000L);
        }
        if (buckets.size() >= MAX_CLIENTS) {
            buckets.clear();
        }
    }

    /** Takes a token for {@code client}; false when it has none left. */
    boolean allow(InetAddress client, long nowNanos) {
        Bucket b = buckets.get(client);
        if (b == null) {
            if (buckets.size() >= MAX_CLIENTS) {
                sweep(nowNanos);
            }
            b = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        }
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.last) * perNano);
            b.last = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
