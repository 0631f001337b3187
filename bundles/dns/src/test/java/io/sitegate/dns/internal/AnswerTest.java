package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.AnswerBuilderTest.SECOND;
import static io.sitegate.dns.internal.AnswerBuilderTest.T0;
import static io.sitegate.dns.internal.AnswerBuilderTest.a;
import static io.sitegate.dns.internal.AnswerBuilderTest.cname;
import static io.sitegate.dns.internal.AnswerBuilderTest.soa;
import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.parse;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static io.sitegate.dns.internal.DnsMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Rendering a cached answer for one client: id, question, flags, TTLs, truncation, EDNS. */
class AnswerTest {

    private final AnswerBuilder builder = new AnswerBuilder(AnswerBuilderTest.CACHE);
    private final byte[] out = Forwarder.newBuffer();

    /** An answer to www.example.com/A with {@code count} addresses of TTL 300, built at T0 from an AA response. */
    private Answer addresses(int count) {
        return addresses("www.example.com", count);
    }

    private Answer addresses(String owner, int count) {
        Message up = DnsMessages.response(4711, owner, Type.A, Rcode.NOERROR);
        up.getHeader().setFlag(Flags.AA);
        for (int i = 0; i < count; i++) {
            up.addRecord(a(owner, 300, "10.0." + (i / 250) + "." + (i % 250 + 1)), Section.ANSWER);
        }
        return builder.fromUpstream(name(owner), Type.A, up, "upstream", null, 0, T0).answer();
    }

    private Message render(Answer answer, byte[] query, boolean udp, long now, boolean stale) {
        int n = answer.render(parsed(query), out, udp, now, stale);
        return parse(out, n);
    }

    @Test
    void renderedForAnotherClientCarriesItsIdAndLetterCase() {
        Answer answer = addresses(1);
        byte[] client = query("wWw.ExAmPlE.cOm", Type.A, 0xabcd, NO_EDNS);
        WireQuery q = parsed(client);

        int n = answer.render(q, out, true, T0, false);
        Message r = parse(out, n);

        assertThat(r.getHeader().getID()).isEqualTo(0xabcd);
        assertThat(Arrays.copyOfRange(out, 12, q.questionEnd)).isEqualTo(q.question());
        assertThat(r.getQuestion().getName().toString()).isEqualTo("wWw.ExAmPlE.cOm.");
        assertThat(r.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("wWw.ExAmPlE.cOm.");
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getOPT()).isNull();
    }

    @Test
    void recursionDesiredIsCopiedFromTheClient() {
        byte[] client = query("www.example.com", Type.A, 1, NO_EDNS);
        client[2] &= ~0x01;

        assertThat(render(addresses(1), client, true, T0, false).getHeader().getFlag(Flags.RD)).isFalse();
    }

    @Test
    void ednsClientGetsAnOpt() {
        Message r = render(addresses(1), query("www.example.com", Type.A, 1, 4096), true, T0, false);

        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(WireQuery.EDNS_PAYLOAD);
        assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    }

    @ParameterizedTest(name = "{0} ns after storing")
    @ValueSource(longs = {5_000_000_000L, 5_999_999_999L})
    void ttlsDecreaseByTheWholeSecondsSpentInTheCache(long elapsed) {
        Message r = render(addresses(1), query("www.example.com", Type.A, 1, NO_EDNS), true, T0 + elapsed, false);

        assertThat(r.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(295);
    }

    @Test
    void eachRecordAgesFromItsOwnTtl() {
        Message up = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        up.addRecord(cname("www.example.com", 100, "web.example.net"), Section.ANSWER);
        up.addRecord(a("web.example.net", 3600, "192.0.2.1"), Section.ANSWER);
        Answer answer = builder.fromUpstream(name("www.example.com"), Type.A, up, "u", null, 0, T0).answer();

        Message r = render(answer, query("www.example.com", Type.A, 1, NO_EDNS), true, T0 + 60 * SECOND, false);

        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(40L, 3540L);
    }

    @Test
    void ttlNeverGoesBelowZero() {
        Message r = render(addresses(1), query("www.example.com", Type.A, 1, NO_EDNS), true, T0 + 10_000 * SECOND, false);

        assertThat(r.getSection(Section.ANSWER).get(0).getTTL()).isZero();
    }

    @Test
    void staleRenderUsesTtlThirty() {
        Message up = DnsMessages.response(1, "nx.example.com", Type.A, Rcode.NXDOMAIN);
        up.addRecord(soa("example.com", 900, 900), Section.AUTHORITY);
        Answer negative = builder.fromUpstream(name("nx.example.com"), Type.A, up, "u", null, 0, T0).answer();

        Message positive = render(addresses(2), query("www.example.com", Type.A, 1, NO_EDNS), true,
                T0 + 5_000 * SECOND, true);
        Message nx = render(negative, query("nx.example.com", Type.A, 1, NO_EDNS), true, T0 + 5_000 * SECOND, true);

        assertThat(positive.getSection(Section.ANSWER)).extracting(Record::getTTL)
                .containsExactly((long) Answer.STALE_TTL, (long) Answer.STALE_TTL);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).extracting(Record::getTTL).containsExactly((long) Answer.STALE_TTL);
    }

    @Test
    void freshnessAndTheServeStaleWindow() {
        Answer answer = addresses(1); // lifetime 300 s

        assertThat(answer.fresh(T0)).isTrue();
        assertThat(answer.fresh(T0 + 300 * SECOND - 1)).isTrue();
        assertThat(answer.fresh(T0 + 300 * SECOND)).isFalse();
        assertThat(answer.staleUsable(T0 + 400 * SECOND, 200 * SECOND)).isTrue();
        assertThat(answer.staleUsable(T0 + 500 * SECOND, 200 * SECOND)).isFalse();
    }

    @Test
    void renderingLeavesTheTemplateUntouched() {
        Answer answer = addresses(3);
        byte[] before = answer.template().clone();

        render(answer, query("WWW.EXAMPLE.COM", Type.A, 0xffff, 1232), true, T0 + 100 * SECOND, false);
        render(answer, query("www.example.com", Type.A, 1, NO_EDNS), true, T0 + 1000 * SECOND, true);

        assertThat(answer.template()).isEqualTo(before);
    }

    @Test
    void renderingIntoADirtyBufferGivesTheSameBytes() {
        Answer answer = addresses(2);
        WireQuery q = parsed(query("www.example.com", Type.A, 2, 1232));
        byte[] clean = new byte[out.length];
        int n1 = answer.render(q, clean, true, T0, false);
        Arrays.fill(out, (byte) 0xff);

        int n2 = answer.render(q, out, true, T0, false);

        assertThat(n2).isEqualTo(n1);
        assertThat(Arrays.copyOf(out, n2)).isEqualTo(Arrays.copyOf(clean, n1));
    }

    // --- truncation -------------------------------------------------------------------------------------------

    @Test
    void tooLargeForAClassicUdpClientIsTruncatedToHeaderAndQuestion() {
        Answer answer = addresses(40); // about 670 bytes
        WireQuery q = parsed(query("www.example.com", Type.A, 77, NO_EDNS));

        int n = answer.render(q, out, true, T0, false);
        Message r = parse(out, n);

        assertThat(n).isEqualTo(q.questionEnd);
        assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(r.getHeader().getID()).isEqualTo(77);
        assertThat(r.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
        assertThat(r.getHeader().getCount(Section.ANSWER)).isZero();
        assertThat(r.getHeader().getCount(Section.AUTHORITY)).isZero();
        assertThat(r.getHeader().getCount(Section.ADDITIONAL)).isZero();
        assertThat(r.getQuestion().getName()).isEqualTo(name("www.example.com"));
    }

    @Test
    void sameAnswerFitsAnEdnsClient() {
        Message r = render(addresses(40), query("www.example.com", Type.A, 1, 1232), true, T0, false);

        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getSection(Section.ANSWER)).hasSize(40);
    }

    @Test
    void tooLargeForAnEdnsClientIsTruncatedAndKeepsTheOpt() {
        Answer answer = addresses(100); // about 1,630 bytes
        WireQuery q = parsed(query("www.example.com", Type.A, 5, 4096));

        int n = answer.render(q, out, true, T0, false);
        Message r = parse(out, n);

        assertThat(n).isEqualTo(q.questionEnd + Wire.OPT_LENGTH);
        assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(1);
    }

    @Test
    void overTcpTheWholeAnswerIsSent() {
        Answer answer = addresses(100);

        Message plain = render(answer, query("www.example.com", Type.A, 1, NO_EDNS), false, T0, false);
        Message edns = render(answer, query("www.example.com", Type.A, 1, 1232), false, T0, false);

        assertThat(plain.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(plain.getSection(Section.ANSWER)).hasSize(100);
        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.getSection(Section.ANSWER)).hasSize(100);
        assertThat(edns.getOPT()).isNotNull();
    }

    @Test
    void truncationBoundaryCountsTheOpt() {
        Answer answer = addresses(40);
        int whole = answer.template().length + Wire.OPT_LENGTH;
        assertThat(whole).isBetween(513, 1232);

        Message fits = render(answer, query("www.example.com", Type.A, 1, whole), true, T0, false);
        Message over = render(answer, query("www.example.com", Type.A, 1, whole - 1), true, T0, false);

        assertThat(fits.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(fits.getSection(Section.ANSWER)).hasSize(40);
        assertThat(over.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(over.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void answerOfExactly512BytesFitsAClassicClientAndOneRecordMoreDoesNot() {
        // 12 header + (16 name + 4) question + 30 * 16 compressed A records = 512
        Answer exact = addresses("ww.example.com", 30);
        Answer over = addresses("ww.example.com", 31);
        assertThat(exact.template()).hasSize(512);

        Message fits = render(exact, query("ww.example.com", Type.A, 1, NO_EDNS), true, T0, false);
        Message truncated = render(over, query("ww.example.com", Type.A, 1, NO_EDNS), true, T0, false);

        assertThat(fits.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(fits.getSection(Section.ANSWER)).hasSize(30);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    }

    @Test
    void sizeGrowsWithTheAnswer() {
        assertThat(addresses(10).size()).isGreaterThan(addresses(1).size());
        assertThat(addresses(1).size()).isGreaterThan(addresses(1).template().length);
    }
}
