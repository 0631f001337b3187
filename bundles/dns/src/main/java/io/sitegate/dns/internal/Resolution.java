package io.sitegate.dns.internal;

import io.sitegate.core.SafeText;
import io.sitegate.dns.ResolvedName;
import io.sitegate.dns.ResolvedNameListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * The slow path for one question: the firewall, the route, the upstreams in order with failover, the
 * cache, serve-stale, and the listeners of resolved names.
 */
final class Resolution {

    private static final Logger LOG = LoggerFactory.getLogger(Resolution.class);
    private static final Logger BLOCK_LOG = LoggerFactory.getLogger("io.sitegate.dns.block");

    /** The answer for every client waiting on the question, what answered, and whether it is stale. */
    record Outcome(Answer answer, String source, boolean stale) {
    }

    /**
     * The client's DNSSEC bits: DO (RFC 3225 §3) and CD (RFC 4035 §3.2.2).
     *
     * @param dnssecOk         keep RRSIG, NSEC and NSEC3 records in the answer
     * @param checkingDisabled the upstream is asked with CD
     */
    record Dnssec(boolean dnssecOk, boolean checkingDisabled) {
    }

    private final FirewallEngine firewall;
    private final DnsConfig.FirewallConfig firewallConfig;
    private final Routes routes;
    private final UpstreamClient client;
    private final AnswerBuilder builder;
    private final WireAnswerBuilder wireBuilder;
    private final AnswerCache cache;
    private final DnsConfig config;
    private final Predicate<String> tunnelUp;
    private final List<ResolvedNameListener> listeners;
    private final java.util.concurrent.atomic.AtomicLong blockSeq = new java.util.concurrent.atomic.AtomicLong();

    Resolution(DnsConfig config, FirewallEngine firewall, Routes routes, UpstreamClient client, AnswerCache cache,
               Predicate<String> tunnelUp, List<ResolvedNameListener> listeners) {
        this.config = config;
        this.firewall = firewall;
        this.firewallConfig = config.firewall();
        this.routes = routes;
        this.client = client;
        this.builder = new AnswerBuilder(config.cache());
        this.wireBuilder = new WireAnswerBuilder(config.cache());
        this.cache = cache;
        this.tunnelUp = tunnelUp;
        this.listeners = listeners;
    }

    /**
     * Resolves a question without blocking the calling thread, and calls {@code done} once with the outcome:
     * at once for a blocked name or a route with nothing to ask, else from the thread that received the
     * upstream's answer (the UDP selector, or a worker for TCP and TLS).
     *
     * @param qname    the name as the client wrote it
     * @param name     the same, lower case, without the final dot, for the firewall and the routes
     * @param key      the question's cache key, as the hot path looks it up
     * @param stale    the expired cache entry for the question, served when no upstream answers; may be null
     * @param dnssec   the client's DO and CD bits, passed upstream and deciding what the answer keeps
     * @param blocking where TCP and TLS exchanges, and the listeners of resolved names, run
     */
    void resolve(Name qname, String name, int qtype, CacheKey key, Answer stale, Dnssec dnssec, Executor blocking,
                 Consumer<Outcome> done) {
        long now = System.nanoTime();
        long generation = firewall.generation();
        Decision decision = firewall.decide(name);
        if (!decision.allowed()) {
            done.accept(blocked(qname, qtype, key, name, decision, generation, now));
            return;
        }
        Routes.Selection sel = routes.select(name, tunnelUp);
        if (sel.route() == null) {
            done.accept(failed(qname, qtype, sel.refusal(), stale, now));
            return;
        }
        new Attempt(qname, name, qtype, key, stale, dnssec, sel.route().upstreams(), generation, decision, blocking, done)
                .next();
    }

    /**
     * Asks the route's upstreams one at a time, in order, until one answers. Upstreams paused after failures are
     * skipped (each asked whether its pause is over only when its turn comes); when every one is paused, all are
     * tried anyway rather than failing at once.
     */
    private final class Attempt implements UpstreamClient.Answered {
        final Name qname;
        final String name;
        final int qtype;
        final CacheKey key;
        final Answer stale;
        final Dnssec dnssec;
        final List<Upstream> upstreams;
        final long generation;
        final Decision decision;
        final Executor blocking;
        final Consumer<Outcome> done;
        int index;
        boolean secondPass;
        boolean tried;
        Upstream current;
        long start;
        String lastError = "no upstream usable";

        Attempt(Name qname, String name, int qtype, CacheKey key, Answer stale, Dnssec dnssec, List<Upstream> upstreams,
                long generation, Decision decision, Executor blocking, Consumer<Outcome> done) {
            this.qname = qname;
            this.name = name;
            this.qtype = qtype;
            this.key = key;
            this.stale = stale;
            this.dnssec = dnssec;
            this.upstreams = upstreams;
            this.generation = generation;
            this.decision = decision;
            this.blocking = blocking;
            this.done = done;
        }

        void next() {
            while (true) {
                if (index >= upstreams.size()) {
                    if (!secondPass && !tried) {
                        secondPass = true;
                        index = 0;
                        continue;
                    }
                    done.accept(Resolution.this.failed(qname, qtype, lastError, stale, System.nanoTime()));
                    return;
                }
                Upstream u = upstreams.get(index++);
                if (secondPass || u.usable(System.nanoTime())) {
                    ask(u);
                    return;
                }
            }
        }

        private void ask(Upstream u) {
            tried = true;
            current = u;
            start = System.nanoTime();
            client.exchange(u.spec(), qname, qtype, dnssec.dnssecOk(), dnssec.checkingDisabled(), config.upstreamTimeoutMs(),
                    blocking, this);
        }

        @Override
        public void answered(UpstreamClient.Response r) {
            if (listeners.isEmpty()) {
                finish(r);
                return;
            }
            try {
                blocking.execute(() -> finish(r)); // a listener may block (the filter adds the address to the kernel first)
            } catch (java.util.concurrent.RejectedExecutionException e) {
                finish(r);
            }
        }

        /**
         * Builds the answer: straight from the bytes when the answer is plain (no DNSSEC records wanted), else
         * from the parsed message. One that does not parse counts as the upstream failing.
         */
        private void finish(UpstreamClient.Response r) {
            long now = System.nanoTime();
            UpstreamSpec spec = current.spec();
            // RFC 4035 §3.2.3, §4.6 and §4.9.3: AD is only worth passing on from an upstream the configuration
            // trusts (a path an attacker cannot write to); from any other it is cleared.
            boolean authentic = spec.trusted() && r.authenticData();
            // An answer let through by an allow rule carries it, so the rule counts every answer it allowed.
            Decision allowedBy = decision.rule() == null ? null : decision;
            AnswerBuilder.Built built = null;
            if (r.wire() != null && !dnssec.dnssecOk()) {
                built = wireBuilder.build(r.wire(), r.wire().length, r.question(), qtype, current.source(), allowedBy,
                        generation, now, authentic);
            }
            if (built == null) {
                Message m = r.message();
                if (m == null) {
                    failed("malformed answer");
                    return;
                }
                try {
                    built = builder.fromUpstream(qname, qtype, m, current.source(), allowedBy, generation, now,
                            dnssec.dnssecOk(), authentic);
                } catch (RuntimeException e) {
                    LOG.warn("answer for {} from {} not usable: {}", SafeText.escape(name), spec, e.toString());
                    done.accept(Resolution.this.failed(qname, qtype, spec + ": answer not usable", stale, now));
                    return;
                }
            }
            current.succeeded(now - start);
            done.accept(Resolution.this.answered(qname, qtype, key, name, built, current.source(), generation, now));
        }

        @Override
        public void failed(String why) {
            lastError = current.spec() + ": " + why;
            current.failed(System.nanoTime(), why);
            LOG.debug("upstream {} failed for {}: {}", current.spec(), SafeText.lazy(qname.toString()), SafeText.lazy(why));
            next();
        }
    }

    private Outcome answered(Name qname, int qtype, CacheKey key, String name, AnswerBuilder.Built built, String source,
                             long generation, long now) {
        // A CNAME into a denied name is blocked too (in deny-list mode the chain is checked, not just the question).
        for (Name n : built.chain().subList(1, built.chain().size())) {
            String target = n.toString(true).toLowerCase(java.util.Locale.ROOT);
            Decision d = firewall.decide(target);
            if (!d.allowed() && d.rule() != null) {
                return blocked(qname, qtype, key, name + " -> " + target, d, generation, now);
            }
        }
        if (built.minTtl() > 0) {
            cache.put(key, built.answer());
        }
        if (!built.addresses().isEmpty() && !listeners.isEmpty()) {
            ResolvedName resolved = new ResolvedName(name, built.addresses(), Duration.ofSeconds(built.minTtl()),
                    Instant.now());
            for (ResolvedNameListener l : listeners) {
                try {
                    l.resolved(resolved);
                } catch (RuntimeException e) {
                    LOG.warn("a resolved-name listener failed: {}", e.toString());
                }
            }
        }
        return new Outcome(built.answer(), source, false);
    }

    private Outcome blocked(Name qname, int qtype, CacheKey key, String what, Decision d, long generation, long now) {
        String source = d.rule() == null ? "firewall allowOnly (no allow rule)"
                : "firewall " + (d.rule().toApi().allow() ? "allow " : "deny ") + d.rule().toApi().pattern()
                        + " (" + d.rule().toApi().source() + ")";
        Answer a = builder.blocked(qname, qtype, firewallConfig, source, d, generation, now);
        cache.put(key, a);
        if (config.blockSample() > 0 && blockSeq.incrementAndGet() % config.blockSample() == 0) {
            BLOCK_LOG.info("name={} type={} rule=\"{}\" answer={}", SafeText.escape(what), org.xbill.DNS.Type.string(qtype), source,
                    firewallConfig.answer());
        }
        return new Outcome(a, source, false);
    }

    private Outcome failed(Name qname, int qtype, String why, Answer stale, long now) {
        if (stale != null && config.cache().serveStale() && stale.staleUsable(now, config.cache().staleMaxAge() * 1_000_000_000L)) {
            cache.staleServed();
            return new Outcome(stale, "stale cache (" + why + ")", true);
        }
        return new Outcome(builder.rcodeOnly(qname, qtype, Rcode.SERVFAIL, SOURCE_PREFIX + why, now),
                SOURCE_PREFIX + why, false);
    }

    private static final String SOURCE_PREFIX = "forwarder: ";
}
