package io.sitegate.dns.internal;

import io.sitegate.core.SafeText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * What happens to one query: parse, rate limit, cache hit on the receiving thread (no lock, no parse
 * beyond the question), and for a miss the {@link Resolution} on the worker pool, with identical questions
 * in flight answered by one upstream exchange.
 */
final class Forwarder {

    /** Where a response goes: a UDP client, a TCP connection, or a shell lookup. */
    interface ResponseSink {
        /** Sends {@code len} bytes of {@code response}; {@code source} says what answered. */
        void send(byte[] response, int len, String source);
    }

    private static final Logger QUERY_LOG = LoggerFactory.getLogger("io.sitegate.dns.query");
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    static final String SOURCE_CACHE = "cache";
    static final String SOURCE_FORWARDER = "forwarder";

    private final AnswerCache cache;
    private final FirewallEngine firewall;
    private final Resolution resolution;
    private final ExecutorService workers;
    private final RateLimiter limiter;
    private final int querySample;
    private final ConcurrentHashMap<CacheKey, Pending> inflight = new ConcurrentHashMap<>();
    /**
     * Clients waiting for one question in flight, and for all of them: past these a query gets SERVFAIL at
     * once instead of a place in the queue, so memory stays bounded whatever the clients send (each waiter
     * holds its query, at most {@link WireQuery#MAX_QUERY} bytes: 4096 of them are under 4 MB).
     */
    static final int MAX_WAITERS_PER_QUESTION = 64;
    static final int MAX_WAITERS = 4096;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    final LongAdder overloaded = new LongAdder();
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(Forwarder::newBuffer);
    final LongAdder queries = new LongAdder();
    final LongAdder blocked = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder servfail = new LongAdder();
    private final AtomicLong sampled = new AtomicLong();

    Forwarder(AnswerCache cache, FirewallEngine firewall, Resolution resolution, ExecutorService workers,
              RateLimiter limiter, int querySample) {
        this.cache = cache;
        this.firewall = firewall;
        this.resolution = resolution;
        this.workers = workers;
        this.limiter = limiter;
        this.querySample = querySample;
    }

    /** A response buffer: the largest message plus the OPT record. */
    static byte[] newBuffer() {
        return new byte[65535 + Wire.OPT_LENGTH];
    }

    /**
     * Handles one packet. On a cache hit the response is written into {@code out} and sent before this
     * returns; on a miss the packet is copied and answered later from a worker.
     */
    void handle(byte[] packet, int len, InetAddress client, boolean udp, ResponseSink sink, byte[] out) {
        queries.increment();
        WireQuery q = WireQuery.parse(packet, len);
        long now = System.nanoTime();
        boolean limited = limiter != null && q.verdict != WireQuery.Verdict.DROP && !limiter.allow(client, now);
        if (q.verdict != WireQuery.Verdict.OK) {
            malformed.increment();
            if (q.verdict != WireQuery.Verdict.DROP && !limited) {
                sink.send(out, Wire.error(q, errorRcode(q.verdict), out), SOURCE_FORWARDER);
            }
            LOG.debug("query from {} refused: {}", client, q.problem);
            return;
        }
        if (limited) {
            rateLimited.increment();
            sink.send(out, Wire.error(q, Wire.RCODE_REFUSED, out), SOURCE_FORWARDER);
            return;
        }
        Answer a = cache.get(q.key);
        if (a != null && a.generation() == firewall.generation()) {
            if (a.fresh(now)) {
                cache.hit();
                if (a.decision() != null) {
                    a.decision().hit();
                    if (!a.decision().allowed()) {
                        blocked.increment();
                    }
                }
                int n = a.render(q, out, udp, now, false);
                // A blocked answer says which rule blocked it, even from the cache.
                String source = a.decision() != null && !a.decision().allowed() ? a.source() : SOURCE_CACHE;
                sink.send(out, n, source);
                if (querySample > 0) {
                    logSampled(client, q, a.rcode(), source, now);
                }
                return;
            }
        } else {
            a = null;
        }
        cache.miss();
        miss(q.detached(), client, udp, sink, a, now);
    }

    private static int errorRcode(WireQuery.Verdict v) {
        return switch (v) {
            case NOTIMP -> Wire.RCODE_NOTIMP;
            case REFUSED -> Wire.RCODE_REFUSED;
            case BADVERS -> Wire.RCODE_BADVERS;
            default -> Wire.RCODE_FORMERR;
        };
    }

    /** A question being resolved and the clients waiting for it. */
    private static final class Pending {
        final CacheKey key;
        final List<Waiter> waiters = new ArrayList<>();
        boolean done;

        Pending(CacheKey key) {
            this.key = key;
        }
    }

    private record Waiter(WireQuery q, InetAddress client, boolean udp, ResponseSink sink, long start) {
    }

    private void miss(WireQuery q, InetAddress client, boolean udp, ResponseSink sink, Answer stale, long now) {
        if (waiting.incrementAndGet() > MAX_WAITERS) {
            waiting.decrementAndGet();
            overload(q, sink);
            return;
        }
        Waiter w = new Waiter(q, client, udp, sink, now);
        Pending fresh = new Pending(q.key);
        fresh.waiters.add(w);
        Pending p = inflight.putIfAbsent(q.key, fresh);
        if (p != null) {
            synchronized (p) {
                if (!p.done) {
                    if (p.waiters.size() >= MAX_WAITERS_PER_QUESTION) {
                        waiting.decrementAndGet();
                        overload(q, sink);
                        return;
                    }
                    p.waiters.add(w);
                    return;
                }
            }
            p = fresh; // the other resolution just finished: resolve on our own
        } else {
            p = fresh;
        }
        Pending pending = p;
        try {
            resolution.resolve(q.questionName(), q.name(), q.qtype, q.key, stale,
                    new Resolution.Dnssec(q.dnssecOk, q.checkingDisabled()), workers, outcome -> complete(pending, outcome));
        } catch (RuntimeException e) {
            LOG.warn("resolving {} failed: {}", SafeText.escape(q.name()), e.toString());
            complete(pending, null);
        }
    }

    private void overload(WireQuery q, ResponseSink sink) {
        overloaded.increment();
        servfail.increment();
        byte[] out = buffers.get();
        sink.send(out, Wire.error(q, Wire.RCODE_SERVFAIL, out), SOURCE_FORWARDER);
    }

    /** Answers every client waiting for the question; {@code outcome} null means SERVFAIL. */
    private void complete(Pending pending, Resolution.Outcome outcome) {
        inflight.remove(pending.key, pending);
        List<Waiter> waiters;
        synchronized (pending) {
            pending.done = true;
            waiters = List.copyOf(pending.waiters);
        }
        waiting.addAndGet(-waiters.size());
        byte[] out = buffers.get();
        long now = System.nanoTime();
        for (Waiter w : waiters) {
            try {
                answer(w, outcome, out, now);
            } catch (RuntimeException e) {
                LOG.warn("answering {} failed: {}", w.client(), e.toString()); // the other waiters still get theirs
            }
        }
    }

    private void answer(Waiter w, Resolution.Outcome outcome, byte[] out, long now) {
        if (outcome == null) {
            servfail.increment();
            w.sink().send(out, Wire.error(w.q(), Wire.RCODE_SERVFAIL, out), SOURCE_FORWARDER);
            return;
        }
        Answer a = outcome.answer();
        if (a.decision() != null) {
            a.decision().hit();
            if (!a.decision().allowed()) {
                blocked.increment();
            }
        }
        if (a.rcode() == Rcode.SERVFAIL) {
            servfail.increment();
        }
        int n = a.render(w.q(), out, w.udp(), now, outcome.stale());
        w.sink().send(out, n, outcome.source());
        if (querySample > 0) {
            logSampled(w.client(), w.q(), a.rcode(), outcome.source(), w.start());
        }
    }

    private void logSampled(InetAddress client, WireQuery q, int rcode, String source, long start) {
        if (sampled.incrementAndGet() % querySample == 0) {
            // escaped here, where the line is written, so unlogged queries pay nothing
            QUERY_LOG.info("client={} name={} type={} rcode={} answeredBy=\"{}\" us={}", client.getHostAddress(),
                    SafeText.escape(q.name()), Type.string(q.qtype), Rcode.string(rcode), source, (System.nanoTime() - start) / 1000);
        }
    }
}
