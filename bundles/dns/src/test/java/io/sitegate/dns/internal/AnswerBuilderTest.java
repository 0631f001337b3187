package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.ip;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.parse;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static io.sitegate.dns.internal.DnsMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.dns.FirewallMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class AnswerBuilderTest {

    static final long T0 = 5_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    static final DnsConfig.CacheConfig CACHE = new DnsConfig.CacheConfig(1000, 1 << 20, 0, 86_400, 3600, false, 86_400);

    private final AnswerBuilder builder = new AnswerBuilder(CACHE);

    static SOARecord soa(String zone, long ttl, long minimum) {
        return new SOARecord(name(zone), DClass.IN, ttl, name("ns1." + zone), name("hostmaster." + zone),
                2024010101L, 3600, 600, 86_400, minimum);
    }

    static ARecord a(String owner, long ttl, String address) {
        return new ARecord(name(owner), DClass.IN, ttl, ip(address));
    }

    static CNAMERecord cname(String owner, long ttl, String target) {
        return new CNAMERecord(name(owner), DClass.IN, ttl, name(target));
    }

    /** Renders {@code answer} for a client query over TCP (never truncated) at {@code now}. */
    static Message render(Answer answer, byte[] query, long now) {
        byte[] out = Forwarder.newBuffer();
        return parse(out, answer.render(parsed(query), out, false, now, false));
    }

    private AnswerBuilder.Built build(String qname, int qtype, Message upstream) {
        return builder.fromUpstream(name(qname), qtype, upstream, "upstream test", null, 3, T0);
    }

    // --- positive answers -------------------------------------------------------------------------------------

    @Test
    void plainAnswerKeepsTheRecordsOfTheAskedTypeAndTheirLifetime() {
        Message up = DnsMessages.response(77, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
        up.addRecord(a("www.example.com", 200, "192.0.2.2"), Section.ANSWER);

        AnswerBuilder.Built built = build("www.example.com", Type.A, up);

        assertThat(built.minTtl()).isEqualTo(200);
        assertThat(built.addresses()).containsExactly(ip("192.0.2.1"), ip("192.0.2.2"));
        assertThat(built.chain()).containsExactly(name("www.example.com"));
        Answer answer = built.answer();
        assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.source()).isEqualTo("upstream test");
        assertThat(answer.generation()).isEqualTo(3);
        assertThat(answer.decision()).isNull();
        assertThat(answer.fresh(T0 + 199 * SECOND)).isTrue();
        assertThat(answer.fresh(T0 + 200 * SECOND)).isFalse();

        Message r = render(answer, query("www.example.com", Type.A, 5, NO_EDNS), T0);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(300L, 200L);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test
    void templateHasIdZeroAndNoAdditionalSection() {
        Message up = DnsMessages.response(77, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
        up.addRecord(a("ns.example.com", 300, "192.0.2.53"), Section.ADDITIONAL);

        byte[] wire = build("www.example.com", Type.A, up).answer().template();
        Message template = parse(wire, wire.length);

        assertThat(template.getHeader().getID()).isZero();
        assertThat(template.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(template.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(template.getOPT()).isNull();
    }

    @Test
    void cnameChainIsKeptInOrderAndOutOfBailiwickDataDropped() {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        // Upstream order on purpose not the chain's order; unrelated names mixed in.
        up.addRecord(a("edge.cdn.example.net", 20, "192.0.2.10"), Section.ANSWER);
        up.addRecord(a("evil.example.org", 86_400, "203.0.113.66"), Section.ANSWER);
        up.addRecord(cname("web.cdn.example.net", 120, "edge.cdn.example.net"), Section.ANSWER);
        up.addRecord(cname("www.example.com", 3600, "web.cdn.example.net"), Section.ANSWER);
        up.addRecord(a("www.example.com", 3600, "203.0.113.67"), Section.ANSWER); // beside a CNAME: not the chain's end
        up.addRecord(new TXTRecord(name("edge.cdn.example.net"), DClass.IN, 60, "other type"), Section.ANSWER);
        up.addRecord(new NSRecord(name("example.net"), DClass.IN, 3600, name("ns.evil.example.org")), Section.AUTHORITY);
        up.addRecord(a("ns.evil.example.org", 86_400, "203.0.113.53"), Section.ADDITIONAL);

        AnswerBuilder.Built built = build("www.example.com", Type.A, up);

        assertThat(built.chain()).containsExactly(name("www.example.com"), name("web.cdn.example.net"),
                name("edge.cdn.example.net"));
        assertThat(built.addresses()).containsExactly(ip("192.0.2.10"));
        assertThat(built.minTtl()).isEqualTo(20);
        Message r = render(built.answer(), query("www.example.com", Type.A, 9, NO_EDNS), T0);
        assertThat(r.getSection(Section.ANSWER)).extracting(rr -> rr.getName() + " " + Type.string(rr.getType()) + " " + rr.rdataToString())
                .containsExactly("www.example.com. CNAME web.cdn.example.net.",
                        "web.cdn.example.net. CNAME edge.cdn.example.net.",
                        "edge.cdn.example.net. A 192.0.2.10");
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
    }

    @Test
    void recordsOfOtherNamesAreDroppedFromAPlainAnswer() {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
        up.addRecord(a("www.bank.example", 86_400, "203.0.113.66"), Section.ANSWER);
        up.addRecord(a("example.com", 300, "192.0.2.99"), Section.ANSWER);
        up.addRecord(new NSRecord(name("example.com"), DClass.IN, 3600, name("ns1.example.com")), Section.AUTHORITY);
        up.addRecord(a("ns1.example.com", 3600, "192.0.2.53"), Section.ADDITIONAL);

        AnswerBuilder.Built built = build("www.example.com", Type.A, up);
        Message r = render(built.answer(), query("www.example.com", Type.A, 9, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(built.addresses()).containsExactly(ip("192.0.2.1"));
    }

    @Test
    void recordsOfAnotherClassAreDropped() {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
        up.addRecord(new ARecord(name("www.example.com"), DClass.CH, 300, ip("203.0.113.1")), Section.ANSWER);

        Message r = render(build("www.example.com", Type.A, up).answer(), query("www.example.com", Type.A, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
    }

    @Test
    void aaaaAnswerReportsItsAddresses() {
        Message up = DnsMessages.response(1, "v6.example.com", Type.AAAA, Rcode.NOERROR);
        up.addRecord(new AAAARecord(name("v6.example.com"), DClass.IN, 60, ip("2001:db8::7")), Section.ANSWER);

        assertThat(build("v6.example.com", Type.AAAA, up).addresses()).containsExactly(ip("2001:db8::7"));
    }

    @Test
    void dnameAndItsSynthesisedCnameAreKept() {
        Message up = DnsMessages.response(1, "www.corp.example", Type.A, Rcode.NOERROR);
        up.addRecord(new DNAMERecord(name("corp.example"), DClass.IN, 600, name("corp.example.net")), Section.ANSWER);
        up.addRecord(cname("www.corp.example", 600, "www.corp.example.net"), Section.ANSWER);
        up.addRecord(a("www.corp.example.net", 60, "192.0.2.44"), Section.ANSWER);

        AnswerBuilder.Built built = build("www.corp.example", Type.A, up);
        Message r = render(built.answer(), query("www.corp.example", Type.A, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.DNAME, Type.CNAME, Type.A);
        assertThat(built.addresses()).containsExactly(ip("192.0.2.44"));
    }

    @Test
    void cnameLoopEndsAndIsNotCached() {
        Message up = DnsMessages.response(1, "a.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(cname("a.example.com", 300, "b.example.com"), Section.ANSWER);
        up.addRecord(cname("b.example.com", 300, "a.example.com"), Section.ANSWER);

        AnswerBuilder.Built built = build("a.example.com", Type.A, up);
        Message r = render(built.answer(), query("a.example.com", Type.A, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).hasSize(2);
        assertThat(built.minTtl()).isZero();
        assertThat(built.answer().fresh(T0)).isFalse();
    }

    @Test
    void askingForTheCnameItselfDoesNotFollowIt() {
        Message up = DnsMessages.response(1, "www.example.com", Type.CNAME, Rcode.NOERROR);
        up.addRecord(cname("www.example.com", 300, "web.example.net"), Section.ANSWER);
        up.addRecord(a("web.example.net", 300, "192.0.2.1"), Section.ANSWER);

        AnswerBuilder.Built built = build("www.example.com", Type.CNAME, up);
        Message r = render(built.answer(), query("www.example.com", Type.CNAME, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
        assertThat(built.minTtl()).isEqualTo(300);
    }

    @Test
    void anyAnswerKeepsEveryRecordOfTheName() {
        Message up = DnsMessages.response(1, "example.com", Type.ANY, Rcode.NOERROR);
        up.addRecord(a("example.com", 300, "192.0.2.1"), Section.ANSWER);
        up.addRecord(new MXRecord(name("example.com"), DClass.IN, 300, 10, name("mail.example.com")), Section.ANSWER);
        up.addRecord(a("other.example.com", 300, "192.0.2.2"), Section.ANSWER);

        AnswerBuilder.Built built = build("example.com", Type.ANY, up);
        Message r = render(built.answer(), query("example.com", Type.ANY, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.A, Type.MX);
        assertThat(built.minTtl()).isEqualTo(300);
    }

    @Test
    void anyAnswerForAnAliasKeepsTheCname() {
        Message up = DnsMessages.response(1, "www.example.com", Type.ANY, Rcode.NOERROR);
        up.addRecord(cname("www.example.com", 300, "web.example.net"), Section.ANSWER);

        AnswerBuilder.Built built = build("www.example.com", Type.ANY, up);
        Message r = render(built.answer(), query("www.example.com", Type.ANY, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
        assertThat(built.minTtl()).isEqualTo(300);
    }

    @ParameterizedTest(name = "TTL {0} within [{1}, {2}] -> {3}")
    @CsvSource({"5, 60, 3600, 60", "100000, 0, 3600, 3600", "1800, 60, 3600, 1800", "0, 0, 3600, 0",
            "2147483647, 0, 86400, 86400"})
    void ttlsAreClampedToTheConfiguredRange(long ttl, int min, int max, int expected) {
        AnswerBuilder clamping = new AnswerBuilder(new DnsConfig.CacheConfig(1000, 1 << 20, min, max, 3600, false, 60));
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", ttl, "192.0.2.1"), Section.ANSWER);

        AnswerBuilder.Built built = clamping.fromUpstream(name("www.example.com"), Type.A, up, "u", null, 0, T0);

        assertThat(built.minTtl()).isEqualTo(expected);
        Message r = render(built.answer(), query("www.example.com", Type.A, 1, NO_EDNS), T0);
        assertThat(r.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(expected);
    }

    @Test
    void ttlWithTheHighBitSetCountsAsZero() {
        // RFC 2181 section 8: a TTL with the most significant bit set is treated as zero, not as "very long".
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
        byte[] wire = up.toWire();
        int ttlAt = wire.length - 4 - 2 - 4; // rdata (4), rdlength (2), TTL (4)
        wire[ttlAt] = (byte) 0x80;
        Message parsedUp = DnsMessages.parse(wire, wire.length);

        AnswerBuilder.Built built = build("www.example.com", Type.A, parsedUp);

        assertThat(built.minTtl()).isZero();
        assertThat(built.answer().fresh(T0)).isFalse();
    }

    // --- negative answers -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "SOA TTL {0}, minimum {1}, negativeMaxTtl {2} -> {3}")
    @CsvSource({"900, 300, 3600, 300", "100, 300, 3600, 100", "7200, 7200, 3600, 3600", "900, 300, 60, 60"})
    void nxdomainKeepsTheSoaOfTheZoneAboveForTheNegativeLifetime(long soaTtl, long minimum, int negMax, int expected) {
        AnswerBuilder b = new AnswerBuilder(new DnsConfig.CacheConfig(1000, 1 << 20, 0, 86_400, negMax, false, 60));
        Message up = DnsMessages.response(1, "nx.example.com", Type.A, Rcode.NXDOMAIN);
        up.addRecord(soa("example.com", soaTtl, minimum), Section.AUTHORITY);

        AnswerBuilder.Built built = b.fromUpstream(name("nx.example.com"), Type.A, up, "u", null, 0, T0);

        assertThat(built.minTtl()).isEqualTo(expected);
        assertThat(built.answer().rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(built.answer().fresh(T0 + (expected - 1) * SECOND)).isTrue();
        assertThat(built.answer().fresh(T0 + expected * SECOND)).isFalse();
        Message r = render(built.answer(), query("nx.example.com", Type.A, 1, NO_EDNS), T0);
        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).hasSize(1);
        SOARecord kept = (SOARecord) r.getSection(Section.AUTHORITY).get(0);
        assertThat(kept.getName()).isEqualTo(name("example.com"));
        assertThat(kept.getTTL()).isEqualTo(expected);
    }

    @Test
    void nxdomainWithoutSoaIsNotCached() {
        Message up = DnsMessages.response(1, "nx.example.com", Type.A, Rcode.NXDOMAIN);

        AnswerBuilder.Built built = build("nx.example.com", Type.A, up);

        assertThat(built.minTtl()).isZero();
        assertThat(built.answer().fresh(T0)).isFalse();
        assertThat(built.answer().rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void soaOfAnUnrelatedZoneIsDroppedAndTheAnswerNotCached() {
        Message up = DnsMessages.response(1, "nx.example.com", Type.A, Rcode.NXDOMAIN);
        up.addRecord(soa("evil.example.org", 86_400, 86_400), Section.AUTHORITY);

        AnswerBuilder.Built built = build("nx.example.com", Type.A, up);
        Message r = render(built.answer(), query("nx.example.com", Type.A, 1, NO_EDNS), T0);

        assertThat(built.minTtl()).isZero();
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void soaOfAZoneBelowTheNameIsDropped() {
        Message up = DnsMessages.response(1, "example.com", Type.A, Rcode.NOERROR);
        up.addRecord(soa("sub.example.com", 86_400, 86_400), Section.AUTHORITY);

        AnswerBuilder.Built built = build("example.com", Type.A, up);

        assertThat(built.minTtl()).isZero();
        assertThat(render(built.answer(), query("example.com", Type.A, 1, NO_EDNS), T0).getSection(Section.AUTHORITY))
                .isEmpty();
    }

    @Test
    void noDataWithSoaIsNegativelyCached() {
        Message up = DnsMessages.response(1, "www.example.com", Type.AAAA, Rcode.NOERROR);
        up.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER); // another type: no data for AAAA
        up.addRecord(soa("example.com", 900, 120), Section.AUTHORITY);
        up.addRecord(new NSRecord(name("example.com"), DClass.IN, 3600, name("ns1.example.com")), Section.AUTHORITY);

        AnswerBuilder.Built built = build("www.example.com", Type.AAAA, up);
        Message r = render(built.answer(), query("www.example.com", Type.AAAA, 1, NO_EDNS), T0);

        assertThat(built.minTtl()).isEqualTo(120);
        assertThat(built.addresses()).isEmpty();
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void nxdomainAtTheEndOfACnameChainKeepsTheChainAndTheTargetsSoa() {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NXDOMAIN);
        up.addRecord(cname("www.example.com", 600, "gone.example.net"), Section.ANSWER);
        up.addRecord(soa("example.net", 900, 60), Section.AUTHORITY);

        AnswerBuilder.Built built = build("www.example.com", Type.A, up);
        Message r = render(built.answer(), query("www.example.com", Type.A, 1, NO_EDNS), T0);

        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
        assertThat(r.getSection(Section.AUTHORITY)).extracting(rr -> rr.getName().toString()).containsExactly("example.net.");
        assertThat(built.minTtl()).isEqualTo(60);
    }

    @Test
    void noDataWithoutSoaIsNotCached() {
        Message up = DnsMessages.response(1, "www.example.com", Type.MX, Rcode.NOERROR);

        assertThat(build("www.example.com", Type.MX, up).minTtl()).isZero();
    }

    // --- firewall and rcode-only answers ----------------------------------------------------------------------

    private static DnsConfig.FirewallConfig firewall(DnsConfig.BlockAnswer answer) {
        return new DnsConfig.FirewallConfig(FirewallMode.DENY_LIST, Set.of(), Set.of(), "", "", answer,
                ip("10.0.0.1"), ip("fd00::1"));
    }

    @ParameterizedTest
    @CsvSource({"NXDOMAIN, 3", "REFUSED, 5"})
    void blockedAnswerCarriesTheConfiguredRcodeAndNoRecords(DnsConfig.BlockAnswer kind, int rcode) {
        Answer a = builder.blocked(name("ads.example"), Type.A, firewall(kind), "firewall deny ads.example (config)",
                Decision.BLOCKED_BY_MODE, 8, T0);

        Message r = render(a, query("ads.example", Type.A, 42, NO_EDNS), T0);

        assertThat(r.getHeader().getID()).isEqualTo(42);
        assertThat(r.getRcode()).isEqualTo(rcode);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(a.source()).isEqualTo("firewall deny ads.example (config)");
        assertThat(a.decision()).isSameAs(Decision.BLOCKED_BY_MODE);
        assertThat(a.generation()).isEqualTo(8);
        assertThat(a.fresh(T0 + (AnswerBuilder.BLOCK_TTL - 1) * SECOND)).isTrue();
        assertThat(a.fresh(T0 + AnswerBuilder.BLOCK_TTL * SECOND)).isFalse();
    }

    @Test
    void sinkholeAnswersAWithTheIpv4Sinkhole() {
        Answer a = builder.blocked(name("ads.example"), Type.A, firewall(DnsConfig.BlockAnswer.SINKHOLE), "fw",
                Decision.BLOCKED_BY_MODE, 0, T0);

        Message r = render(a, query("ADS.example", Type.A, 1, NO_EDNS), T0);

        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).hasSize(1);
        ARecord rec = (ARecord) r.getSection(Section.ANSWER).get(0);
        assertThat(rec.getAddress()).isEqualTo(ip("10.0.0.1"));
        assertThat(rec.getTTL()).isEqualTo(AnswerBuilder.BLOCK_TTL);
        assertThat(rec.getName().toString()).isEqualTo("ADS.example.");
    }

    @Test
    void sinkholeAnswersAaaaWithTheIpv6Sinkhole() {
        Answer a = builder.blocked(name("ads.example"), Type.AAAA, firewall(DnsConfig.BlockAnswer.SINKHOLE), "fw",
                Decision.BLOCKED_BY_MODE, 0, T0);

        Message r = render(a, query("ads.example", Type.AAAA, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).singleElement()
                .satisfies(rec -> assertThat(((AAAARecord) rec).getAddress()).isEqualTo(ip("fd00::1")));
    }

    @Test
    void sinkholeAnswersOtherTypesWithNoData() {
        Answer a = builder.blocked(name("ads.example"), Type.MX, firewall(DnsConfig.BlockAnswer.SINKHOLE), "fw",
                Decision.BLOCKED_BY_MODE, 0, T0);

        Message r = render(a, query("ads.example", Type.MX, 1, NO_EDNS), T0);

        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(a.fresh(T0)).isTrue();
    }

    @Test
    void rcodeOnlyAnswerIsNeverFresh() {
        Answer a = builder.rcodeOnly(name("www.example.com"), Type.A, Rcode.SERVFAIL, "forwarder: down", T0);

        assertThat(a.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(a.fresh(T0)).isFalse();
        assertThat(a.generation()).isEqualTo(-1);
        Message r = render(a, query("www.example.com", Type.A, 3, 1232), T0);
        assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(r.getOPT()).isNotNull();
    }

    @Test
    void mxAnswerIsKeptWithoutItsGlue() {
        Message up = DnsMessages.response(1, "example.com", Type.MX, Rcode.NOERROR);
        up.addRecord(new MXRecord(name("example.com"), DClass.IN, 300, 10, name("mail.example.com")), Section.ANSWER);
        up.addRecord(a("mail.example.com", 300, "192.0.2.25"), Section.ADDITIONAL);

        AnswerBuilder.Built built = build("example.com", Type.MX, up);
        Message r = render(built.answer(), query("example.com", Type.MX, 1, NO_EDNS), T0);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.MX);
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(built.addresses()).isEmpty();
        List<Name> chain = built.chain();
        assertThat(chain).containsExactly(name("example.com"));
    }

    @Test
    void sinkholeAddressCanBeAnyConfiguredAddress() {
        InetAddress zero = ip("0.0.0.0");
        DnsConfig.FirewallConfig fw = new DnsConfig.FirewallConfig(FirewallMode.ALLOW_ONLY, Set.of(), Set.of(), "", "",
                DnsConfig.BlockAnswer.SINKHOLE, zero, ip("::"));

        Message r = render(builder.blocked(name("x.example"), Type.A, fw, "fw", Decision.BLOCKED_BY_MODE, 0, T0),
                query("x.example", Type.A, 1, NO_EDNS), T0);

        assertThat(((ARecord) r.getSection(Section.ANSWER).get(0)).getAddress()).isEqualTo(zero);
    }
}
