package io.sitegate.dns.internal;

import static io.sitegate.dns.DnsFirewall.SOURCE_CONFIG;
import static io.sitegate.dns.internal.DnsMessages.ip;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.parse;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.dns.FirewallMode;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNSSEC through the forwarder (issue 17): DO and CD go upstream and key the cache (RFC 3225 §3,
 * RFC 4035 §3.2.2), RRSIG/NSEC stay with what they sign for a DO client only (RFC 4035 §3.2.1), DO is
 * echoed, and AD comes only from a trusted upstream, never on a firewall answer (RFC 4035 §3.2.3).
 */
class DnssecForwardingTest {

    private static final InetAddress CLIENT = ip("192.168.1.10");
    private static final Name ZONE = name("example.com");

    private FakeUdpUpstream upstream;
    private ExecutorService workers;
    private final AnswerCache cache = new AnswerCache(1000, 1 << 20);
    private final FirewallEngine firewall = new FirewallEngine(FirewallMode.DENY_LIST, null);
    private final UpstreamClient client = new UpstreamClient(null);
    private final BlockingQueue<Message> replies = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUdpUpstream();
        upstream.behaviour = DnssecForwardingTest::signedAnswer;
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        client.close();
        upstream.close();
    }

    /** A validating upstream: every answer signed and marked AD; "nx." names do not exist (NSEC proof). */
    static List<Message> signedAnswer(Message q) {
        Name qname = q.getQuestion().getName();
        boolean nx = qname.getLabelString(0).equals("nx");
        Message r = FakeUdpUpstream.reply(q, nx ? Rcode.NXDOMAIN : Rcode.NOERROR);
        r.getHeader().setFlag(Flags.AD);
        if (nx) {
            r.addRecord(new SOARecord(ZONE, DClass.IN, 900, name("ns1.example.com"), name("hostmaster.example.com"),
                    1, 3600, 600, 86_400, 120), Section.AUTHORITY);
            r.addRecord(rrsig(ZONE, Type.SOA, ZONE), Section.AUTHORITY);
            NSECRecord nsec = new NSECRecord(name("mail.example.com"), DClass.IN, 120, name("www.example.com"),
                    new int[] {Type.A, Type.RRSIG, Type.NSEC});
            r.addRecord(nsec, Section.AUTHORITY);
            r.addRecord(rrsig(nsec.getName(), Type.NSEC, ZONE), Section.AUTHORITY);
            // Out of bailiwick: another zone's denial has no business in this answer.
            r.addRecord(new NSECRecord(name("a.other.example"), DClass.IN, 120, name("z.other.example"),
                    new int[] {Type.A}), Section.AUTHORITY);
        } else if (q.getQuestion().getType() == Type.A) {
            r.addRecord(FakeUdpUpstream.a(qname, 300, "192.0.2.1"), Section.ANSWER);
            r.addRecord(rrsig(qname, Type.A, ZONE), Section.ANSWER);
        }
        return List.of(r);
    }

    static RRSIGRecord rrsig(Name owner, int covered, Name signer) {
        Instant now = Instant.now();
        return new RRSIGRecord(owner, DClass.IN, 300, covered, 13, 300, now.plusSeconds(86_400),
                now.minusSeconds(3600), 12345, signer, new byte[64]);
    }

    private Forwarder forwarder(String upstreamSpec, String... keyValues) {
        Map<String, Object> props = new HashMap<>();
        props.put("upstreams", upstreamSpec);
        props.put("upstream.timeout", "500");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        DnsConfig config = DnsConfig.from(props);
        Resolution resolution = new Resolution(config, firewall, new Routes(config), client, cache, t -> true, List.of());
        return new Forwarder(cache, firewall, resolution, workers, null, 0);
    }

    /** A client query with RD, EDNS (1232) with or without DO, and the AD and CD header bits as given. */
    static byte[] query(String qname, int type, int id, boolean dnssecOk, boolean ad, boolean cd) {
        Message m = Message.newQuery(Record.newRecord(name(qname), type, DClass.IN));
        m.getHeader().setID(id);
        if (ad) {
            m.getHeader().setFlag(Flags.AD);
        }
        if (cd) {
            m.getHeader().setFlag(Flags.CD);
        }
        m.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        return m.toWire();
    }

    private Message ask(Forwarder f, byte[] q) throws InterruptedException {
        f.handle(q, q.length, CLIENT, true, (b, len, source) -> replies.add(parse(b, len)), Forwarder.newBuffer());
        Message m = replies.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a reply").isNotNull();
        return m;
    }

    private static List<Integer> types(Message m, int section) {
        return m.getSection(section).stream().map(Record::getType).toList();
    }

    private static boolean dnssecOk(Message m) {
        return m.getOPT() != null && (m.getOPT().getFlags() & ExtendedFlags.DO) != 0;
    }

    // --- the query ------------------------------------------------------------------------------------------------

    @Test
    void doAndCdAreParsedAndKeyTheCache() {
        WireQuery plain = parsed(query("www.example.com", Type.A, 1, false, false, false));
        WireQuery withDo = parsed(query("www.example.com", Type.A, 1, true, false, false));
        WireQuery withCd = parsed(query("www.example.com", Type.A, 1, true, false, true));
        WireQuery withAd = parsed(query("www.example.com", Type.A, 1, false, true, false));

        assertThat(plain.dnssecOk).isFalse();
        assertThat(withDo.dnssecOk).isTrue();
        assertThat(withCd.checkingDisabled()).isTrue();
        assertThat(withDo.detached().dnssecOk).isTrue();
        assertThat(plain.key).isNotEqualTo(withDo.key).isNotEqualTo(withCd.key);
        assertThat(withDo.key).isNotEqualTo(withCd.key);
        assertThat(withAd.key).as("AD alone selects no other answer").isEqualTo(plain.key);
        assertThat(plain.key).isEqualTo(CacheKey.of(plain.packet, WireQuery.HEADER, plain.nameEnd, Type.A));
    }

    @Test
    void doAndCdGoToTheUpstream() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        ask(f, query("www.example.com", Type.A, 1, true, false, true));
        Message sent = upstream.received.poll();

        assertThat(sent.getOPT()).isNotNull();
        assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
        assertThat(sent.getHeader().getFlag(Flags.CD)).isTrue();
    }

    @Test
    void aPlainQueryGoesUpstreamWithoutDoOrCd() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        ask(f, query("www.example.com", Type.A, 1, false, false, false));
        Message sent = upstream.received.poll();

        assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isZero();
        assertThat(sent.getHeader().getFlag(Flags.CD)).isFalse();
        assertThat(sent.getHeader().getFlag(Flags.AD)).as("RFC 6840 §5.7: AD asks for AD without DO").isTrue();
    }

    // --- the answer -----------------------------------------------------------------------------------------------

    @Test
    void doClientGetsTheSignaturesAndDoEchoedFromUpstreamAndFromTheCache() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        Message first = ask(f, query("www.example.com", Type.A, 1, true, false, false));
        Message second = ask(f, query("www.example.com", Type.A, 2, true, false, false));

        for (Message m : List.of(first, second)) {
            assertThat(types(m, Section.ANSWER)).containsExactly(Type.A, Type.RRSIG);
            assertThat(dnssecOk(m)).as("RFC 3225 §3: DO echoed").isTrue();
        }
        assertThat(upstream.queries).as("the second from the cache").hasValue(1);
    }

    @Test
    void clientWithoutDoGetsTheSmallAnswerEvenAfterADoClientFilledTheCache() throws Exception {
        Forwarder f = forwarder(upstream.spec());
        ask(f, query("www.example.com", Type.A, 1, true, false, false));

        Message plain = ask(f, query("www.example.com", Type.A, 2, false, false, false));
        Message plainAgain = ask(f, query("www.example.com", Type.A, 3, false, false, false));

        assertThat(upstream.queries).as("DO and non-DO are separate cache entries").hasValue(2);
        for (Message m : List.of(plain, plainAgain)) {
            assertThat(types(m, Section.ANSWER)).containsExactly(Type.A);
            assertThat(dnssecOk(m)).isFalse();
        }
    }

    @Test
    void cdIsCopiedIntoTheResponseAndIsItsOwnCacheEntry() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        Message cd = ask(f, query("www.example.com", Type.A, 1, true, false, true));
        Message noCd = ask(f, query("www.example.com", Type.A, 2, true, false, false));
        Message cdCached = ask(f, query("www.example.com", Type.A, 3, true, false, true));

        assertThat(cd.getHeader().getFlag(Flags.CD)).isTrue();
        assertThat(cdCached.getHeader().getFlag(Flags.CD)).isTrue();
        assertThat(noCd.getHeader().getFlag(Flags.CD)).isFalse();
        assertThat(upstream.queries).hasValue(2);
    }

    @Test
    void nxdomainForADoClientKeepsTheNsecProofOfItsZoneOnly() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        Message signed = ask(f, query("nx.example.com", Type.A, 1, true, false, false));
        Message cached = ask(f, query("nx.example.com", Type.A, 2, true, false, false));
        Message plain = ask(f, query("nx.example.com", Type.A, 3, false, false, false));

        for (Message m : List.of(signed, cached)) {
            assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(types(m, Section.AUTHORITY)).containsExactlyInAnyOrder(Type.SOA, Type.RRSIG, Type.NSEC, Type.RRSIG);
            assertThat(m.getSection(Section.AUTHORITY)).allMatch(r -> r.getName().subdomain(ZONE));
            // RFC 2308 / RFC 9077: the proof lives no longer than the negative answer
            assertThat(m.getSection(Section.AUTHORITY)).allMatch(r -> r.getTTL() <= 120);
        }
        assertThat(types(plain, Section.AUTHORITY)).containsExactly(Type.SOA);
    }

    @Test
    void theBuilderKeepsTheWildcardProofAndOnlySignaturesOverWhatItKeeps() throws Exception {
        // RFC 4035 §3.1.3.3: a wildcard answer carries the NSEC3 that proves no closer match exists.
        Name qname = name("host.wild.example.com");
        Message up = new Message(1);
        up.getHeader().setFlag(Flags.QR);
        up.addRecord(Record.newRecord(qname, Type.A, DClass.IN), Section.QUESTION);
        up.addRecord(FakeUdpUpstream.a(qname, 300, "192.0.2.7"), Section.ANSWER);
        up.addRecord(rrsig(qname, Type.A, ZONE), Section.ANSWER);
        // an RRSIG over a record that is not part of the answer (its data was dropped as out of bailiwick)
        up.addRecord(rrsig(name("elsewhere.example.net"), Type.A, name("example.net")), Section.ANSWER);
        Name hashed = name("2vptu5timamqttgl4luu9kg21e0aor3s.example.com");
        org.xbill.DNS.NSEC3Record nsec3 = new org.xbill.DNS.NSEC3Record(hashed, DClass.IN, 300, 1, 0, 0, new byte[0],
                new byte[20], new int[] {Type.A, Type.RRSIG});
        up.addRecord(nsec3, Section.AUTHORITY);
        up.addRecord(rrsig(hashed, Type.NSEC3, ZONE), Section.AUTHORITY);
        up.addRecord(new org.xbill.DNS.NSRecord(ZONE, DClass.IN, 300, name("ns1.example.com")), Section.AUTHORITY);
        AnswerBuilder builder = new AnswerBuilder(DnsConfig.from(Map.of("upstreams", upstream.spec())).cache());

        byte[] withDo = builder.fromUpstream(qname, Type.A, up, "test", null, 0, 0, true, false).answer().template();
        byte[] withoutDo = builder.fromUpstream(qname, Type.A, up, "test", null, 0, 0).answer().template();
        Message signed = parse(withDo, withDo.length);
        Message plain = parse(withoutDo, withoutDo.length);

        assertThat(types(signed, Section.ANSWER)).containsExactly(Type.A, Type.RRSIG);
        assertThat(signed.getSection(Section.ANSWER)).allMatch(r -> r.getName().equals(qname));
        assertThat(types(signed, Section.AUTHORITY)).containsExactly(Type.NSEC3, Type.RRSIG);
        assertThat(signed.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(types(plain, Section.ANSWER)).containsExactly(Type.A);
        assertThat(plain.getSection(Section.AUTHORITY)).isEmpty();
    }

    // --- AD -------------------------------------------------------------------------------------------------------

    @Test
    void adFromAnUntrustedUpstreamIsCleared() throws Exception {
        Forwarder f = forwarder(upstream.spec());

        Message m = ask(f, query("www.example.com", Type.A, 1, true, false, false));

        assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void adFromATrustedUpstreamIsPassedOnFromUpstreamAndCacheToClientsThatAskWithDoOrAd() throws Exception {
        Forwarder f = forwarder(upstream.spec() + "?trusted");

        Message first = ask(f, query("www.example.com", Type.A, 1, true, false, false));
        Message cached = ask(f, query("www.example.com", Type.A, 2, true, false, false));
        Message adOnly = ask(f, query("www.example.com", Type.A, 3, false, true, false));
        Message neither = ask(f, query("www.example.com", Type.A, 4, false, false, false));

        assertThat(first.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(cached.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(adOnly.getHeader().getFlag(Flags.AD)).as("RFC 6840 §5.7: AD in the query asks for AD").isTrue();
        assertThat(neither.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void aSinkholeAnswerIsNeverAuthenticEvenWithATrustedUpstream() throws Exception {
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("ads.example.com"));
        Forwarder f = forwarder(upstream.spec() + "?trusted", "firewall.answer", "sinkhole");

        Message first = ask(f, query("ads.example.com", Type.A, 1, true, true, false));
        Message cached = ask(f, query("ads.example.com", Type.A, 2, true, true, false));

        for (Message m : List.of(first, cached)) {
            assertThat(types(m, Section.ANSWER)).containsExactly(Type.A);
            assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
            assertThat(dnssecOk(m)).isTrue();
        }
        assertThat(upstream.queries).hasValue(0);
    }

    @Test
    void errorResponsesEchoDoAndCdButNeverAd() {
        byte[] q = query("www.example.com", Type.A, 7, true, true, true);
        byte[] out = Forwarder.newBuffer();

        Message m = parse(out, Wire.error(parsed(q), Wire.RCODE_REFUSED, out));

        assertThat(dnssecOk(m)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.CD)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
    }
}
