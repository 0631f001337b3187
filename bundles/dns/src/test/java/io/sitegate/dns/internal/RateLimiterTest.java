package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long S = 1_000_000_000L;
    private static final long T0 = 77 * S;

    private final InetAddress alice = ip("192.168.1.10");
    private final InetAddress bob = ip("192.168.1.11");

    @Test
    void burstThenRefuse() {
        RateLimiter limiter = new RateLimiter(10, 5);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.allow(alice, T0)).as("query %d of the burst", i + 1).isTrue();
        }
        assertThat(limiter.allow(alice, T0)).isFalse();
        assertThat(limiter.allow(alice, T0)).isFalse();
    }

    @Test
    void tokensRefillAtTheConfiguredRate() {
        RateLimiter limiter = new RateLimiter(10, 5);
        for (int i = 0; i < 5; i++) {
            limiter.allow(alice, T0);
        }

        assertThat(limiter.allow(alice, T0 + S / 10 - 1)).as("not quite one token").isFalse();
        assertThat(limiter.allow(alice, T0 + S / 10 + 1)).as("one token after 100 ms").isTrue();
        assertThat(limiter.allow(alice, T0 + S / 10 + 2)).isFalse();
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (limiter.allow(alice, T0 + S / 10 + 2 + S / 2)) {
                allowed++;
            }
        }
        assertThat(allowed).as("half a second later").isEqualTo(5);
    }

    @Test
    void savedTokensAreCappedAtTheBurst() {
        RateLimiter limiter = new RateLimiter(100, 3);
        limiter.allow(alice, T0);

        long later = T0 + 3600 * S;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (limiter.allow(alice, later)) {
                allowed++;
            }
        }

        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void refusedQueriesDoNotEarnTokens() {
        RateLimiter limiter = new RateLimiter(1, 1);
        assertThat(limiter.allow(alice, T0)).isTrue();
        for (int i = 1; i < 10; i++) {
            assertThat(limiter.allow(alice, T0 + i * S / 10)).isFalse();
        }

        assertThat(limiter.allow(alice, T0 + S + S / 100)).isTrue();
    }

    @Test
    void clientsAreIndependent() {
        RateLimiter limiter = new RateLimiter(1, 2);
        assertThat(limiter.allow(alice, T0)).isTrue();
        assertThat(limiter.allow(alice, T0)).isTrue();
        assertThat(limiter.allow(alice, T0)).isFalse();

        assertThat(limiter.allow(bob, T0)).isTrue();
        assertThat(limiter.allow(bob, T0)).isTrue();
        assertThat(limiter.allow(bob, T0)).isFalse();
        assertThat(limiter.allow(alice, T0)).isFalse();
    }

    @Test
    void ipv4AndIpv6ClientsAreDistinct() {
        RateLimiter limiter = new RateLimiter(1, 1);
        assertThat(limiter.allow(ip("192.168.1.10"), T0)).isTrue();

        assertThat(limiter.allow(ip("fd00::10"), T0)).isTrue();
        assertThat(limiter.allow(ip("192.168.1.10"), T0)).isFalse();
    }

    @Test
    void burstOfZeroStillAllowsOneQuery() {
        RateLimiter limiter = new RateLimiter(1, 0);

        assertThat(limiter.allow(alice, T0)).isTrue();
        assertThat(limiter.allow(alice, T0)).isFalse();
        assertThat(limiter.allow(alice, T0 + S + S / 100)).isTrue();
    }

    @Test
    void aSpoofedFloodNeitherGrowsTheTableNorResetsALimitedClient() {
        RateLimiter limiter = new RateLimiter(1, 2);
        assertThat(limiter.allow(alice, T0)).isTrue();
        assertThat(limiter.allow(alice, T0)).isTrue();
        assertThat(limiter.allow(alice, T0)).as("alice has used her allowance").isFalse();

        // 12,000 spoofed sources in the same instant: the table takes 10,000 clients, the rest share the overflow
        int allowed = 0;
        for (int i = 0; i < 12_000; i++) {
            if (limiter.allow(source(i), T0)) {
                allowed++;
            }
            assertThat(limiter.clients()).isLessThanOrEqualTo(RateLimiter.MAX_CLIENTS);
        }
        // 9,999 table entries (alice holds one) once each, and the overflow's burst of 2 s at 10 queries a second
        assertThat(allowed).isEqualTo(RateLimiter.MAX_CLIENTS - 1 + 2 * RateLimiter.OVERFLOW_SHARE);
        assertThat(limiter.allow(alice, T0)).as("the flood did not reset alice's limit").isFalse();

        // once their allowances have refilled, the spoofed clients are forgotten: a new client gets its own burst
        long later = T0 + 3 * S;
        assertThat(limiter.allow(bob, later)).isTrue();
        assertThat(limiter.allow(bob, later)).isTrue();
        assertThat(limiter.allow(bob, later)).isFalse();
        assertThat(limiter.clients()).isLessThan(10);
    }

    private static InetAddress source(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noLockOnTheQueryPathAndExactUnderConcurrency() throws Exception {
        RateLimiter limiter = new RateLimiter(1000, 500);
        java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (limiter.allow(alice, T0)) {
                        allowed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(allowed.get()).as("80,000 queries in one instant from 8 threads: exactly the burst").isEqualTo(500);
    }

    @Test
    void floodFromOneClientIsLimitedToTheRate() {
        RateLimiter limiter = new RateLimiter(100, 100);
        int allowed = 0;
        // 10 seconds of 10,000 queries per second
        for (int i = 0; i < 100_000; i++) {
            if (limiter.allow(alice, T0 + i * (S / 10_000))) {
                allowed++;
            }
        }

        assertThat(allowed).isBetween(100 + 999, 100 + 1001);
    }
}
