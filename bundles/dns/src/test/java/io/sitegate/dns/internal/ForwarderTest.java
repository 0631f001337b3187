package io.sitegate.dns.internal;

import static io.sitegate.dns.DnsFirewall.SOURCE_CONFIG;
import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.ip;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.parse;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static io.sitegate.dns.internal.DnsMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.HealthState;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.ResolvedName;
import io.sitegate.dns.ResolvedNameListener;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The forwarder end to end without listening sockets: its upstream is a real UDP server on 127.0.0.1. */
class ForwarderTest {

    private static final InetAddress CLIENT = ip("192.168.1.10");
    /** Generous: a reply normally comes in milliseconds; only a broken forwarder waits this long. */
    private static final long WAIT_SECONDS = 10;

    /** What the client got. */
    record Reply(Message message, String source) {
    }

    private FakeUdpUpstream upstream;
    private ExecutorService workers;
    private final AnswerCache cache = new AnswerCache(1000, 1 << 20);
    private final FirewallEngine firewall = new FirewallEngine(FirewallMode.DENY_LIST, null);
    private final UpstreamClient client = new UpstreamClient(null);
    private final List<ResolvedNameListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private Routes routes;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUdpUpstream();
        workers = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        client.close();
        upstream.close();
    }

    private Forwarder forwarder(String... keyValues) {
        return forwarder(null, keyValues);
    }

    private Forwarder forwarder(RateLimiter limiter, String... keyValues) {
        Map<String, Object> props = new HashMap<>();
        props.put("upstreams", upstream.spec());
        props.put("upstream.timeout", "200");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        DnsConfig config = DnsConfig.from(props);
        routes = new Routes(config);
        Resolution resolution = new Resolution(config, firewall, routes, client, cache, t -> true, listeners);
        return new Forwarder(cache, firewall, resolution, workers, limiter, 1);
    }

    private Forwarder.ResponseSink sink() {
        return (bytes, len, source) -> replies.add(new Reply(parse(bytes, len), source));
    }

    private void handle(Forwarder f, byte[] query, boolean udp) {
        f.handle(query, query.length, CLIENT, udp, sink(), Forwarder.newBuffer());
    }

    private Reply ask(Forwarder f, byte[] query) throws InterruptedException {
        handle(f, query, true);
        return next();
    }

    private Reply next() throws InterruptedException {
        Reply r = replies.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(r).as("a reply").isNotNull();
        return r;
    }

    private static List<String> addresses(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress().getHostAddress());
            }
        }
        return out;
    }

    // --- cache ------------------------------------------------------------------------------------------------

    @Test
    void missGoesUpstreamAndTheSameQuestionIsThenACacheHit() throws Exception {
        Forwarder f = forwarder();

        Reply first = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        assertThat(first.source()).isEqualTo("upstream " + upstream.spec());
        assertThat(first.message().getHeader().getID()).isEqualTo(1);
        assertThat(first.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(first.message())).containsExactly("192.0.2.1");
        assertThat(upstream.queries).hasValue(1);
        Message sent = upstream.received.poll();
        assertThat(sent.getQuestion().getName()).isEqualTo(name("www.example.com"));
        assertThat(sent.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(sent.getOPT()).isNotNull();

        // A hit is answered on the calling thread, before handle returns.
        handle(f, query("WWW.Example.COM", Type.A, 2, NO_EDNS), true);
        Reply second = replies.poll();

        assertThat(second).isNotNull();
        assertThat(second.source()).isEqualTo(Forwarder.SOURCE_CACHE);
        assertThat(second.message().getHeader().getID()).isEqualTo(2);
        assertThat(second.message().getQuestion().getName().toString()).isEqualTo("WWW.Example.COM.");
        assertThat(addresses(second.message())).containsExactly("192.0.2.1");
        assertThat(second.message().getSection(Section.ANSWER).get(0).getTTL()).isBetween(290L, 300L);
        assertThat(upstream.queries).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(f.queries.sum()).isEqualTo(2);
    }

    @Test
    void otherTypeOfTheSameNameIsAMiss() throws Exception {
        Forwarder f = forwarder();
        ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        Reply aaaa = ask(f, query("www.example.com", Type.AAAA, 2, NO_EDNS));

        assertThat(aaaa.source()).startsWith("upstream ");
        assertThat(upstream.queries).hasValue(2);
    }

    @Test
    void nxdomainIsCachedWithItsSoa() throws Exception {
        Forwarder f = forwarder();

        Reply first = ask(f, query("nx.example.com", Type.A, 1, NO_EDNS));
        Reply second = ask(f, query("nx.example.com", Type.A, 2, NO_EDNS));

        assertThat(first.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(second.source()).isEqualTo(Forwarder.SOURCE_CACHE);
        assertThat(second.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(second.message().getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        assertThat(upstream.queries).hasValue(1);
    }

    @Test
    void largeAnswerIsTruncatedForAClassicUdpClientAndWholeOverTcp() throws Exception {
        upstream.behaviour = q -> {
            Message r = FakeUdpUpstream.reply(q, Rcode.NOERROR);
            for (int i = 1; i <= 60; i++) {
                r.addRecord(FakeUdpUpstream.a(q.getQuestion().getName(), 300, "10.0.0." + i), Section.ANSWER);
            }
            return List.of(r);
        };
        Forwarder f = forwarder();

        handle(f, query("big.example.com", Type.A, 1, NO_EDNS), false);
        Reply tcp = next();
        Reply udp = ask(f, query("big.example.com", Type.A, 2, NO_EDNS));
        Reply edns = ask(f, query("big.example.com", Type.A, 3, 1232));

        assertThat(tcp.message().getSection(Section.ANSWER)).hasSize(60);
        assertThat(udp.source()).isEqualTo(Forwarder.SOURCE_CACHE);
        assertThat(udp.message().getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.message().getSection(Section.ANSWER)).isEmpty();
        assertThat(edns.message().getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.message().getSection(Section.ANSWER)).hasSize(60);
    }

    // --- firewall ---------------------------------------------------------------------------------------------

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void queryAndBlockLogsShowNamesWithEscapeSequencesEscaped() throws Exception {
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("blocked.example"));
        Forwarder f = forwarder("log.blockSample", "1");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // dnsjava reads \DDD in decimal, as dig does: 027 ESC, 013 CR, 010 LF, 007 BEL
            ask(f, query("evil\\027[2J\\013\\010x.example.com", Type.A, 1, NO_EDNS));
            ask(f, query("ads\\027]0;pwned\\007.blocked.example", Type.A, 2, NO_EDNS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (occurrences(err.toString(java.nio.charset.StandardCharsets.UTF_8), " io.sitegate.dns.query - ") < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(10); // the query line is written after the reply is sent
            }
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("io.sitegate.dns.query").contains("io.sitegate.dns.block")
                .contains("name=evil\\x1b[2j\\x0d\\x0ax.example.com")
                .contains("name=ads\\x1b]0;pwned\\x07.blocked.example")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r").doesNotContain("x.example.com\n")
                .contains("name=ads\\x1b]0;pwned\\x07.blocked.example type=A rcode=NXDOMAIN");
    }

    @Test
    void deniedNameGetsNxdomainWithoutReachingTheUpstream() throws Exception {
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("blocked.example"));
        Forwarder f = forwarder();

        Reply first = ask(f, query("ads.blocked.example", Type.A, 1, NO_EDNS));
        Reply second = ask(f, query("ads.blocked.example", Type.A, 2, NO_EDNS));

        assertThat(first.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(first.message().getHeader().getID()).isEqualTo(1);
        assertThat(first.source()).contains("deny").contains("blocked.example");
        assertThat(second.source()).as("a blocked answer from the cache names its rule").isEqualTo(first.source());
        assertThat(second.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.queries).hasValue(0);
        assertThat(f.blocked.sum()).isEqualTo(2);
        assertThat(firewall.rules()).filteredOn(r -> r.pattern().equals("blocked.example"))
                .extracting(FirewallRule::hits).containsExactly(2L);
    }

    @Test
    void ruleChangeInvalidatesCachedAnswers() throws Exception {
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("blocked.example"));
        Forwarder f = forwarder();
        ask(f, query("ads.blocked.example", Type.A, 1, NO_EDNS));

        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of());
        Reply after = ask(f, query("ads.blocked.example", Type.A, 2, NO_EDNS));

        assertThat(after.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(after.source()).startsWith("upstream ");
        assertThat(upstream.queries).hasValue(1);
    }

    @Test
    void cachedAnswerIsNotServedOnceItsNameIsDenied() throws Exception {
        Forwarder f = forwarder();
        ask(f, query("tracker.example", Type.A, 1, NO_EDNS));

        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("tracker.example"));
        Reply after = ask(f, query("tracker.example", Type.A, 2, NO_EDNS));

        assertThat(after.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(upstream.queries).hasValue(1);
    }

    @Test
    void cnameIntoADeniedNameIsBlocked() throws Exception {
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("tracker.example"));
        upstream.behaviour = q -> {
            Message r = FakeUdpUpstream.reply(q, Rcode.NOERROR);
            r.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300, name("x.tracker.example")),
                    Section.ANSWER);
            r.addRecord(FakeUdpUpstream.a(name("x.tracker.example"), 300, "203.0.113.9"), Section.ANSWER);
            return List.of(r);
        };
        Forwarder f = forwarder();

        Reply reply = ask(f, query("innocent.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(addresses(reply.message())).isEmpty();
        assertThat(reply.source()).contains("tracker.example");
    }

    // --- spoofing and failures --------------------------------------------------------------------------------

    @Test
    void spoofedReplyIsIgnoredAndTheRealOneAnswers() throws Exception {
        upstream.behaviour = FakeUdpUpstream::spoofThenAnswer;
        Forwarder f = forwarder();

        Reply reply = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(reply.message())).containsExactly("192.0.2.1");
        Reply cached = ask(f, query("www.example.com", Type.A, 2, NO_EDNS));
        assertThat(addresses(cached.message())).containsExactly("192.0.2.1");
    }

    @Test
    void onlySpoofedRepliesGiveServfailAfterTheTimeout() throws Exception {
        upstream.behaviour = FakeUdpUpstream::spoofOnly;
        Forwarder f = forwarder();

        Reply reply = ask(f, query("www.example.com", Type.A, 9, 1232));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.message().getHeader().getID()).isEqualTo(9);
        assertThat(reply.message().getQuestion().getName()).isEqualTo(name("www.example.com"));
        assertThat(reply.message().getSection(Section.ANSWER)).isEmpty();
        assertThat(reply.message().getOPT()).isNotNull();
        assertThat(reply.source()).startsWith("forwarder: ").contains("no answer within 200 ms");
        assertThat(f.servfail.sum()).isEqualTo(1);
        assertThat(cache.get(parsed(query("www.example.com", Type.A, 9, NO_EDNS)).key)).isNull();
        assertThat(routes.status(t -> true).get(0).state()).isEqualTo(HealthState.DEGRADED);
        // each forgery (wrong id, wrong question, no QR) was dropped and counted, for dns-status
        assertThat(client.mismatchedReplies()).isEqualTo(3);
    }

    @Test
    void silentUpstreamGivesServfail() throws Exception {
        upstream.behaviour = FakeUdpUpstream::silent;
        Forwarder f = forwarder();

        Reply reply = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void servfailFromTheFirstUpstreamFailsOverToTheNext() throws Exception {
        upstream.behaviour = FakeUdpUpstream::servfail;
        try (FakeUdpUpstream second = new FakeUdpUpstream()) {
            Forwarder f = forwarder("upstreams", upstream.spec() + ", " + second.spec());

            Reply reply = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

            assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(reply.source()).isEqualTo("upstream " + second.spec());
            assertThat(upstream.queries).hasValue(1);
            assertThat(second.queries).hasValue(1);
            assertThat(routes.status(t -> true)).extracting(s -> s.state())
                    .containsExactly(HealthState.DEGRADED, HealthState.UP);
            assertThat(routes.status(t -> true).get(0).reason()).contains("SERVFAIL");

            // The failed upstream is paused: the next miss goes straight to the second one.
            ask(f, query("other.example.com", Type.A, 2, NO_EDNS));
            assertThat(upstream.queries).hasValue(1);
            assertThat(second.queries).hasValue(2);
        }
    }

    @Test
    void noUpstreamsGiveServfailNamingTheReason() throws Exception {
        Forwarder f = forwarder("upstreams", "");

        Reply reply = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.source()).contains("no upstreams configured");
        assertThat(upstream.queries).hasValue(0);
    }

    // --- serve-stale ------------------------------------------------------------------------------------------

    /** Puts an answer for www.example.com/A into the cache that expired {@code agoSeconds} ago (TTL 300). */
    private void putExpired(long agoSeconds) {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(new ARecord(name("www.example.com"), DClass.IN, 300, ip("198.51.100.7")), Section.ANSWER);
        long stored = System.nanoTime() - (300 + agoSeconds) * 1_000_000_000L;
        Answer old = new AnswerBuilder(DnsConfig.from(Map.of()).cache())
                .fromUpstream(name("www.example.com"), Type.A, up, "upstream earlier", null, firewall.generation(), stored)
                .answer();
        cache.put(parsed(query("www.example.com", Type.A, 1, NO_EDNS)).key, old);
    }

    @Test
    void staleAnswerIsServedWhenConfiguredAndNoUpstreamAnswers() throws Exception {
        upstream.behaviour = FakeUdpUpstream::silent;
        Forwarder f = forwarder("cache.serveStale", "true", "cache.staleMaxAge", "3600");
        putExpired(100);

        Reply reply = ask(f, query("www.example.com", Type.A, 5, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.message().getHeader().getID()).isEqualTo(5);
        assertThat(addresses(reply.message())).containsExactly("198.51.100.7");
        assertThat(reply.message().getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(Answer.STALE_TTL);
        assertThat(reply.source()).startsWith("stale cache");
        assertThat(upstream.queries).hasValue(1);
        assertThat(cache.staleCount()).isEqualTo(1);
    }

    @Test
    void expiredAnswerIsRefreshedWhenTheUpstreamAnswers() throws Exception {
        Forwarder f = forwarder("cache.serveStale", "true");
        putExpired(100);

        Reply reply = ask(f, query("www.example.com", Type.A, 5, NO_EDNS));

        assertThat(reply.source()).startsWith("upstream ");
        assertThat(addresses(reply.message())).containsExactly("192.0.2.1");
        assertThat(cache.staleCount()).isZero();
        assertThat(ask(f, query("www.example.com", Type.A, 6, NO_EDNS)).source()).isEqualTo(Forwarder.SOURCE_CACHE);
    }

    @Test
    void staleAnswerIsNotServedUnlessConfigured() throws Exception {
        upstream.behaviour = FakeUdpUpstream::silent;
        Forwarder f = forwarder();
        putExpired(100);

        Reply reply = ask(f, query("www.example.com", Type.A, 5, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(cache.staleCount()).isZero();
    }

    @Test
    void staleAnswerOlderThanStaleMaxAgeIsNotServed() throws Exception {
        upstream.behaviour = FakeUdpUpstream::silent;
        Forwarder f = forwarder("cache.serveStale", "true", "cache.staleMaxAge", "60");
        putExpired(100);

        Reply reply = ask(f, query("www.example.com", Type.A, 5, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    // --- concurrency ------------------------------------------------------------------------------------------

    @Test
    void identicalQuestionsInFlightShareOneUpstreamExchange() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        upstream.behaviour = q -> {
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeUdpUpstream.answer(q);
        };
        Forwarder f = forwarder("upstream.timeout", "10000");

        handle(f, query("www.example.com", Type.A, 11, NO_EDNS), true);
        handle(f, query("WWW.example.com", Type.A, 12, 1232), true);
        handle(f, query("www.EXAMPLE.com", Type.A, 13, NO_EDNS), false);
        release.countDown();

        List<Reply> got = List.of(next(), next(), next());
        assertThat(got).extracting(r -> r.message().getHeader().getID()).containsExactlyInAnyOrder(11, 12, 13);
        for (Reply r : got) {
            int id = r.message().getHeader().getID();
            String expected = id == 11 ? "www.example.com." : id == 12 ? "WWW.example.com." : "www.EXAMPLE.com.";
            assertThat(r.message().getQuestion().getName().toString()).isEqualTo(expected);
            assertThat(addresses(r.message())).containsExactly("192.0.2.1");
            assertThat(r.message().getOPT() != null).isEqualTo(id == 12);
        }
        assertThat(upstream.queries).hasValue(1);
    }

    @Test
    void aClientWhoseSinkFailsDoesNotStarveTheOthersWaitingForTheSameQuestion() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        upstream.behaviour = q -> {
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeUdpUpstream.answer(q);
        };
        Forwarder f = forwarder("upstream.timeout", "10000");
        byte[] first = query("www.example.com", Type.A, 21, NO_EDNS);
        byte[] second = query("www.example.com", Type.A, 22, NO_EDNS);

        f.handle(first, first.length, CLIENT, true, (bytes, len, source) -> {
            throw new IllegalStateException("this client's connection broke");
        }, Forwarder.newBuffer());
        handle(f, second, true);
        release.countDown();

        Reply reply = next();
        assertThat(reply.message().getHeader().getID()).isEqualTo(22);
        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void aUdpMissNeedsNoWorker() throws Exception {
        ExecutorService closed = Executors.newSingleThreadExecutor();
        closed.shutdown();
        DnsConfig config = DnsConfig.from(Map.of("upstreams", upstream.spec()));
        Forwarder f = new Forwarder(cache, firewall,
                new Resolution(config, firewall, new Routes(config), client, cache, t -> true, List.of()),
                closed, null, 0);

        handle(f, query("www.example.com", Type.A, 1, NO_EDNS), true);

        Reply reply = next();
        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(reply.message())).containsExactly("192.0.2.1");
    }

    @Test
    void fullWorkerPoolGivesServfailAtOnceForATcpUpstream() throws Exception {
        ExecutorService closed = Executors.newSingleThreadExecutor();
        closed.shutdown();
        DnsConfig config = DnsConfig.from(Map.of("upstreams", "tcp://127.0.0.1:1"));
        Forwarder f = new Forwarder(cache, firewall,
                new Resolution(config, firewall, new Routes(config), client, cache, t -> true, List.of()),
                closed, null, 0);

        handle(f, query("www.example.com", Type.A, 1, NO_EDNS), true);
        Reply reply = replies.poll();

        assertThat(reply).isNotNull();
        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.source()).contains("overloaded");
        assertThat(f.servfail.sum()).isEqualTo(1);

        // The question is not left "in flight": the next one is tried again.
        handle(f, query("www.example.com", Type.A, 2, NO_EDNS), true);
        assertThat(replies.poll()).isNotNull();
    }

    // --- bad input and abuse ----------------------------------------------------------------------------------

    @Test
    void malformedQueryGetsFormErrAtOnce() {
        Forwarder f = forwarder();
        byte[] junk = query("www.example.com", Type.A, 0x7777, NO_EDNS);
        byte[] withTrailing = java.util.Arrays.copyOf(junk, junk.length + 3);

        handle(f, withTrailing, true);
        Reply reply = replies.poll();

        assertThat(reply).isNotNull();
        assertThat(reply.message().getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(reply.message().getHeader().getID()).isEqualTo(0x7777);
        assertThat(reply.source()).isEqualTo(Forwarder.SOURCE_FORWARDER);
        assertThat(f.malformed.sum()).isEqualTo(1);
        assertThat(upstream.queries).hasValue(0);
    }

    @Test
    void responsesAndRuntsAreDroppedSilently() {
        Forwarder f = forwarder();
        byte[] response = query("www.example.com", Type.A, 1, NO_EDNS);
        response[2] |= (byte) 0x80;

        handle(f, response, true);
        handle(f, new byte[5], true);

        assertThat(replies).isEmpty();
        assertThat(f.malformed.sum()).isEqualTo(2);
    }

    @Test
    void zoneTransferIsRefusedAndBadVersionAnsweredWithBadVers() throws Exception {
        Forwarder f = forwarder();
        Message badVers = Message.newQuery(Record.newRecord(name("www.example.com"), Type.A, DClass.IN));
        badVers.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        byte[] b = badVers.toWire();

        handle(f, query("example.com", Type.AXFR, 1, NO_EDNS), true);
        f.handle(b, b.length, CLIENT, true, sink(), Forwarder.newBuffer());

        assertThat(replies.poll().message().getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(replies.poll().message().getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(upstream.queries).hasValue(0);
    }

    @Test
    void clientOverItsRateIsRefused() throws Exception {
        Forwarder f = forwarder(new RateLimiter(1, 1));

        Reply first = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));
        handle(f, query("www.example.com", Type.A, 2, NO_EDNS), true);
        Reply second = replies.poll();

        assertThat(first.message().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(second).isNotNull();
        assertThat(second.message().getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(second.message().getHeader().getID()).isEqualTo(2);
        assertThat(f.rateLimited.sum()).isEqualTo(1);
    }

    @Test
    void errorAnswersCountAgainstTheRateToo() {
        Forwarder f = forwarder(new RateLimiter(1, 1));
        byte[] bad = java.util.Arrays.copyOf(query("www.example.com", Type.A, 1, NO_EDNS), 40);

        handle(f, bad, true);
        handle(f, bad, true);

        assertThat(replies).hasSize(1);
        assertThat(replies.poll().message().getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(f.malformed.sum()).isEqualTo(2);
    }

    // --- listeners --------------------------------------------------------------------------------------------

    @Test
    void listenersLearnTheResolvedAddressesAndAFailingOneHurtsNoOne() throws Exception {
        BlockingQueue<ResolvedName> seen = new LinkedBlockingQueue<>();
        listeners.add(n -> {
            throw new IllegalStateException("listener bug");
        });
        listeners.add(seen::add);
        Forwarder f = forwarder();

        Reply reply = ask(f, query("WWW.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.NOERROR);
        ResolvedName resolved = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(resolved).isNotNull();
        assertThat(resolved.name()).isEqualTo("www.example.com");
        assertThat(resolved.addresses()).containsExactly(ip("192.0.2.1"));
        assertThat(resolved.ttl()).hasSeconds(300);
    }

    @Test
    void aListenerThatComesLaterIsToldTheAllowedNamesInTheCacheWithTheTimeTheyHaveLeft() throws Exception {
        Forwarder f = forwarder();
        ask(f, query("WWW.example.com", Type.A, 1, NO_EDNS));
        List<ResolvedName> told = new ArrayList<>();

        int n = CachedNames.replay(cache, told::add, System.nanoTime() + 100L * 1_000_000_000L);

        assertThat(n).isEqualTo(1);
        assertThat(told).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("www.example.com");
            assertThat(r.addresses()).containsExactly(ip("192.0.2.1"));
            assertThat(r.ttl().toSeconds()).as("300 s less the 100 s gone").isBetween(195L, 200L);
        });
        assertThat(CachedNames.replay(cache, told::add, System.nanoTime() + 301L * 1_000_000_000L)).as("expired").isZero();
    }

    @Test
    void upstreamAnswerWithAnotherQuestionIsNotAccepted() throws Exception {
        Function<Message, List<Message>> otherName = q -> {
            Message r = FakeUdpUpstream.reply(q, Rcode.NOERROR);
            r.removeAllRecords(Section.QUESTION);
            r.addRecord(Record.newRecord(name("evil.example"), Type.A, DClass.IN), Section.QUESTION);
            r.addRecord(FakeUdpUpstream.a(name("evil.example"), 300, "203.0.113.66"), Section.ANSWER);
            return List.of(r);
        };
        upstream.behaviour = otherName;
        Forwarder f = forwarder();

        Reply reply = ask(f, query("www.example.com", Type.A, 1, NO_EDNS));

        assertThat(reply.message().getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(addresses(reply.message())).isEmpty();
    }
}
