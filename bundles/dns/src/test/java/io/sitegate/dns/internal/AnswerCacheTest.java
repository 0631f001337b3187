package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.AnswerBuilderTest.T0;
import static io.sitegate.dns.internal.AnswerBuilderTest.a;
import static io.sitegate.dns.internal.DnsMessages.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerCacheTest {

    private final AnswerBuilder builder = new AnswerBuilder(AnswerBuilderTest.CACHE);

    private static String host(int i) {
        return "host" + i + ".example.com";
    }

    private static CacheKey key(int i) {
        byte[] wire = name(host(i)).toWireCanonical();
        return CacheKey.of(wire, 0, wire.length, Type.A);
    }

    /** A fresh answer object for host i with {@code records} addresses. */
    private Answer answer(int i, int records) {
        Message up = DnsMessages.response(1, host(i), Type.A, Rcode.NOERROR);
        for (int r = 0; r < records; r++) {
            up.addRecord(a(host(i), 300, "10.1." + (r / 250) + "." + (r % 250 + 1)), Section.ANSWER);
        }
        return builder.fromUpstream(name(host(i)), Type.A, up, "u", null, 0, T0).answer();
    }

    private static long cost(int i, Answer a) {
        return a.size() + key(i).size();
    }

    /** The bytes the cache should account for: the entries it still holds. */
    private static long heldBytes(AnswerCache cache, List<Answer> inserted) {
        long sum = 0;
        for (int i = 0; i < inserted.size(); i++) {
            Answer held = cache.get(key(i));
            if (held != null) {
                sum += cost(i, held);
            }
        }
        return sum;
    }

    @Test
    void getReturnsWhatWasPut() {
        AnswerCache cache = new AnswerCache(10, 1 << 20);
        Answer a = answer(1, 1);

        cache.put(key(1), a);

        assertThat(cache.get(key(1))).isSameAs(a);
        assertThat(cache.get(key(2))).isNull();
        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(cost(1, a));
    }

    @Test
    void entriesAreBounded() {
        AnswerCache cache = new AnswerCache(100, 1L << 30);
        List<Answer> inserted = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            Answer a = answer(i, 1);
            inserted.add(a);
            cache.put(key(i), a);
            assertThat(cache.entries()).isLessThanOrEqualTo(100);
        }

        assertThat(cache.entries()).isEqualTo(100);
        assertThat(cache.bytes()).isEqualTo(heldBytes(cache, inserted));
    }

    @Test
    void bytesAreBounded() {
        long maxBytes = 20_000;
        AnswerCache cache = new AnswerCache(1_000_000, maxBytes);
        List<Answer> inserted = new ArrayList<>();

        for (int i = 0; i < 2000; i++) {
            Answer a = answer(i, 1 + i % 7);
            inserted.add(a);
            cache.put(key(i), a);
            assertThat(cache.bytes()).isLessThanOrEqualTo(maxBytes);
        }

        assertThat(cache.entries()).isPositive();
        assertThat(cache.bytes()).isEqualTo(heldBytes(cache, inserted));
    }

    @Test
    void answerLargerThanTheWholeCacheIsNotKept() {
        Answer big = answer(1, 50);
        AnswerCache cache = new AnswerCache(10, big.size() - 1);

        cache.put(key(1), big);

        assertThat(cache.get(key(1))).isNull();
        assertThat(cache.entries()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void cacheOfZeroEntriesKeepsNothing() {
        AnswerCache cache = new AnswerCache(0, 1 << 20);

        cache.put(key(1), answer(1, 1));

        assertThat(cache.entries()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void clockEvictionKeepsARecentlyHitEntryOverAnUntouchedOne() {
        AnswerCache cache = new AnswerCache(2, 1 << 20);
        Answer hot = answer(1, 1);
        Answer cold = answer(2, 1);
        cache.put(key(1), hot);
        cache.put(key(2), cold);

        assertThat(cache.get(key(1))).isSameAs(hot);
        cache.put(key(3), answer(3, 1));

        assertThat(cache.get(key(1))).isSameAs(hot);
        assertThat(cache.get(key(2))).isNull();
        assertThat(cache.get(key(3))).isNotNull();
        assertThat(cache.entries()).isEqualTo(2);
    }

    @Test
    void aHitBuysOneRoundNotImmortality() {
        AnswerCache cache = new AnswerCache(2, 1 << 20);
        cache.put(key(1), answer(1, 1));
        cache.put(key(2), answer(2, 1));
        cache.get(key(1));

        cache.put(key(3), answer(3, 1)); // 1 loses its mark and goes to the back; 2 goes
        cache.put(key(4), answer(4, 1)); // 3 goes
        assertThat(cache.get(key(2))).isNull();
        assertThat(cache.get(key(3))).isNull();
        cache.put(key(5), answer(5, 1)); // 1 was not hit again: it goes now

        assertThat(cache.get(key(1))).isNull();
        assertThat(cache.get(key(4))).isNotNull();
        assertThat(cache.get(key(5))).isNotNull();
    }

    @Test
    void withoutHitsTheOldestEntryGoesFirst() {
        AnswerCache cache = new AnswerCache(3, 1 << 20);
        for (int i = 1; i <= 4; i++) {
            cache.put(key(i), answer(i, 1));
        }

        assertThat(cache.get(key(1))).isNull();
        for (int i = 2; i <= 4; i++) {
            assertThat(cache.get(key(i))).as("entry %d", i).isNotNull();
        }
    }

    @Test
    void replacingAnEntryDoesNotCountItTwice() {
        AnswerCache cache = new AnswerCache(10, 1 << 20);
        Answer first = answer(1, 1);
        Answer same = answer(1, 1);
        Answer bigger = answer(1, 20);

        cache.put(key(1), first);
        long once = cache.bytes();
        cache.put(key(1), same);
        assertThat(cache.bytes()).isEqualTo(once);
        cache.put(key(1), bigger);

        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(cost(1, bigger));
        assertThat(cache.get(key(1))).isSameAs(bigger);
        cache.put(key(1), first);
        assertThat(cache.bytes()).isEqualTo(once);
    }

    @Test
    void replacingTheSameKeyManyTimesDoesNotEvictOthers() {
        AnswerCache cache = new AnswerCache(3, 1 << 20);
        cache.put(key(1), answer(1, 1));
        cache.put(key(2), answer(2, 1));
        for (int i = 0; i < 100; i++) {
            cache.put(key(3), answer(3, 1));
        }

        assertThat(cache.entries()).isEqualTo(3);
        assertThat(cache.get(key(1))).isNotNull();
        assertThat(cache.get(key(2))).isNotNull();
    }

    @Test
    void flushReturnsTheCountAndEmpties() {
        AnswerCache cache = new AnswerCache(100, 1 << 20);
        for (int i = 0; i < 17; i++) {
            cache.put(key(i), answer(i, 1));
        }

        assertThat(cache.flush()).isEqualTo(17);

        assertThat(cache.entries()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.get(key(3))).isNull();
        assertThat(cache.flush()).isZero();
    }

    @Test
    void cacheWorksAfterAFlush() {
        AnswerCache cache = new AnswerCache(5, 1 << 20);
        List<Answer> inserted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cache.put(key(i), answer(i, 1));
        }
        cache.flush();

        for (int i = 0; i < 20; i++) {
            Answer a = answer(i, 1);
            inserted.add(a);
            cache.put(key(i), a);
        }

        assertThat(cache.entries()).isEqualTo(5);
        assertThat(cache.bytes()).isEqualTo(heldBytes(cache, inserted));
    }

    @Test
    void removeTakesOnlyThatExactAnswer() {
        AnswerCache cache = new AnswerCache(10, 1 << 20);
        Answer stale = answer(1, 1);
        Answer replacement = answer(1, 2);
        cache.put(key(1), stale);
        cache.put(key(1), replacement);

        cache.remove(key(1), stale);

        assertThat(cache.get(key(1))).isSameAs(replacement);
        assertThat(cache.bytes()).isEqualTo(cost(1, replacement));

        cache.remove(key(1), replacement);

        assertThat(cache.get(key(1))).isNull();
        assertThat(cache.entries()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void removeOfAMissingKeyChangesNothing() {
        AnswerCache cache = new AnswerCache(10, 1 << 20);
        Answer a = answer(1, 1);
        cache.put(key(1), a);

        cache.remove(key(2), a);

        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(cost(1, a));
    }

    @Test
    void removedAndReinsertedKeysStillRespectTheBound() {
        AnswerCache cache = new AnswerCache(4, 1 << 20);
        List<Answer> inserted = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inserted.add(null);
        }
        for (int round = 0; round < 500; round++) {
            int i = round % 8;
            Answer a = answer(i, 1);
            Answer old = cache.get(key(i));
            if (old != null) {
                cache.remove(key(i), old);
            }
            cache.put(key(i), a);
            inserted.set(i, a);
            assertThat(cache.entries()).isLessThanOrEqualTo(4);
        }

        assertThat(cache.bytes()).isEqualTo(heldBytes(cache, inserted));
    }

    @Test
    void countersCount() {
        AnswerCache cache = new AnswerCache(10, 1 << 20);
        cache.hit();
        cache.hit();
        cache.miss();
        cache.staleServed();

        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.staleCount()).isEqualTo(1);
        assertThat(cache.maxEntries()).isEqualTo(10);
        assertThat(cache.maxBytes()).isEqualTo(1 << 20);
    }

    @Test
    void concurrentPutsAndGetsKeepTheBoundsAndTheByteCount() throws Exception {
        AnswerCache cache = new AnswerCache(200, 60_000);
        int keys = 1000;
        Answer[][] answers = new Answer[4][keys];
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < keys; i++) {
                answers[t][i] = answer(i, 1 + (i + t) % 3);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < keys; i++) {
                            int k = (i * 7 + thread * 13 + round) % keys;
                            cache.put(key(k), answers[thread][k]);
                            cache.get(key((k + 1) % keys));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long sum = 0;
        for (int i = 0; i < keys; i++) {
            Answer held = cache.get(key(i));
            if (held != null) {
                sum += cost(i, held);
            }
        }
        assertThat(cache.bytes()).isEqualTo(sum);
        assertThat(cache.entries()).isLessThanOrEqualTo(200);
        assertThat(cache.bytes()).isLessThanOrEqualTo(60_000);
    }

    /**
     * Issue 17: flush and put race-free. Eight threads put, replace, remove and read while another flushes; at
     * every flush and at the end the map, the eviction order and the byte count agree exactly.
     */
    @Test
    void concurrentPutsRemovesAndFlushesKeepTheMapTheOrderAndTheBytesInStep() throws Exception {
        AnswerCache cache = new AnswerCache(500, 200_000);
        Answer[] answers = new Answer[2000];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = answer(i, 1 + i % 4);
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            work.add(pool.submit(() -> {
                go.await();
                java.util.Random r = new java.util.Random(seed);
                for (int n = 0; n < 200_000; n++) {
                    int i = r.nextInt(answers.length);
                    switch (r.nextInt(4)) {
                        case 0, 1 -> cache.put(key(i), answers[i]);
                        case 2 -> cache.remove(key(i), answers[i]);
                        default -> cache.get(key(i));
                    }
                }
                return null;
            }));
        }
        List<Boolean> atFlush = new java.util.concurrent.CopyOnWriteArrayList<>();
        work.add(pool.submit(() -> {
            go.await();
            for (int n = 0; n < 200; n++) {
                cache.flush();
                atFlush.add(cache.consistent());
                Thread.sleep(1);
            }
            return null;
        }));
        go.countDown();
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(atFlush).hasSize(200).containsOnly(true);
        assertThat(cache.consistent()).isTrue();
        assertThat(cache.entries()).isLessThanOrEqualTo(500);
        assertThat(cache.bytes()).isLessThanOrEqualTo(200_000);
        // every entry still reachable for eviction: filling the cache with new keys pushes all old ones out
        for (int i = 0; i < 2000; i++) {
            cache.put(key(10_000 + i), answer(10_000 + i, 1));
        }
        for (int i = 0; i < answers.length; i++) {
            assertThat(cache.get(key(i))).as("old entry %d evicted", i).isNull();
        }
    }
}
