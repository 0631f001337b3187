package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.AnswerBuilderTest.CACHE;
import static io.sitegate.dns.internal.AnswerBuilderTest.SECOND;
import static io.sitegate.dns.internal.AnswerBuilderTest.T0;
import static io.sitegate.dns.internal.AnswerBuilderTest.a;
import static io.sitegate.dns.internal.AnswerBuilderTest.cname;
import static io.sitegate.dns.internal.AnswerBuilderTest.render;
import static io.sitegate.dns.internal.AnswerBuilderTest.soa;
import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.ip;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The answer built from the upstream's bytes must be the answer {@link AnswerBuilder} builds from the parsed
 * message: same records, TTLs (now and after time in the cache), rcode, AD, lifetime, addresses and CNAME chain.
 * Each case is an upstream response; both paths build from it and the rendered answers are compared.
 */
class WireAnswerBuilderTest {

    private final AnswerBuilder full = new AnswerBuilder(CACHE);
    private final WireAnswerBuilder wire = new WireAnswerBuilder(CACHE);

    private static Message up(String qname, int qtype, int rcode, Consumer<Message> records) {
        Message m = DnsMessages.response(4711, qname, qtype, rcode);
        records.accept(m);
        return m;
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("one address", "www.example.com", Type.A, up("www.example.com", Type.A, Rcode.NOERROR,
                        m -> m.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER))),
                Arguments.of("several addresses, other names and types dropped", "www.example.com", Type.A,
                        up("www.example.com", Type.A, Rcode.NOERROR, m -> {
                            m.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
                            m.addRecord(a("www.example.com", 200, "192.0.2.2"), Section.ANSWER);
                            m.addRecord(a("evil.example.net", 300, "203.0.113.6"), Section.ANSWER);
                            m.addRecord(new NSRecord(name("example.com"), DClass.IN, 300, name("ns.evil.net")), Section.AUTHORITY);
                            m.addRecord(a("ns.evil.net", 300, "203.0.113.7"), Section.ADDITIONAL);
                        })),
                Arguments.of("letter case of the client and the upstream", "WwW.ExAmple.com", Type.A,
                        up("wWw.example.COM", Type.A, Rcode.NOERROR,
                                m -> m.addRecord(a("WWW.EXAMPLE.COM", 300, "192.0.2.1"), Section.ANSWER))),
                Arguments.of("IPv6", "www.example.com", Type.AAAA, up("www.example.com", Type.AAAA, Rcode.NOERROR,
                        m -> m.addRecord(new AAAARecord(name("www.example.com"), DClass.IN, 60, ip("2001:db8::1")), Section.ANSWER))),
                Arguments.of("CNAME chain of two", "www.example.com", Type.A, up("www.example.com", Type.A, Rcode.NOERROR, m -> {
                    m.addRecord(cname("www.example.com", 3600, "edge.cdn.example.net"), Section.ANSWER);
                    m.addRecord(cname("edge.cdn.example.net", 120, "e1.cdn.example.net"), Section.ANSWER);
                    m.addRecord(a("e1.cdn.example.net", 20, "198.51.100.4"), Section.ANSWER);
                    m.addRecord(a("e1.cdn.example.net", 20, "198.51.100.5"), Section.ANSWER);
                })),
                Arguments.of("CNAME with nothing at its end", "www.example.com", Type.A,
                        up("www.example.com", Type.A, Rcode.NOERROR, m -> {
                            m.addRecord(cname("www.example.com", 3600, "gone.example.net"), Section.ANSWER);
                            m.addRecord(soa("example.net", 900, 60), Section.AUTHORITY);
                        })),
                Arguments.of("NXDOMAIN with the SOA", "nx.example.com", Type.A, up("nx.example.com", Type.A, Rcode.NXDOMAIN,
                        m -> m.addRecord(soa("example.com", 900, 120), Section.AUTHORITY))),
                Arguments.of("NXDOMAIN with another zone's SOA", "nx.example.com", Type.A,
                        up("nx.example.com", Type.A, Rcode.NXDOMAIN, m -> m.addRecord(soa("example.org", 900, 120), Section.AUTHORITY))),
                Arguments.of("NODATA with the SOA", "www.example.com", Type.AAAA, up("www.example.com", Type.AAAA, Rcode.NOERROR,
                        m -> m.addRecord(soa("example.com", 30, 7200), Section.AUTHORITY))),
                Arguments.of("NODATA without an SOA", "www.example.com", Type.AAAA,
                        up("www.example.com", Type.AAAA, Rcode.NOERROR, m -> { })),
                Arguments.of("TTL with the top bit set counts as zero", "www.example.com", Type.A,
                        up("www.example.com", Type.A, Rcode.NOERROR, m -> {
                            m.addRecord(a("www.example.com", 1, "192.0.2.1"), Section.ANSWER); // patched to 0x80000001
                            m.addRecord(a("www.example.com", 300, "192.0.2.2"), Section.ANSWER);
                        })),
                Arguments.of("TXT", "www.example.com", Type.TXT, up("www.example.com", Type.TXT, Rcode.NOERROR,
                        m -> m.addRecord(new TXTRecord(name("www.example.com"), DClass.IN, 300, List.of("v=spf1 -all", "x")),
                                Section.ANSWER))),
                Arguments.of("a record of another class", "www.example.com", Type.A,
                        up("www.example.com", Type.A, Rcode.NOERROR, m -> {
                            m.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER);
                            m.addRecord(new org.xbill.DNS.ARecord(name("www.example.com"), DClass.CH, 300, ip("192.0.2.9")),
                                    Section.ANSWER);
                        })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void bothPathsGiveTheSameAnswer(String what, String qname, int qtype, Message given) throws Exception {
        for (boolean authentic : new boolean[] {false, true}) {
            byte[] q = query(qname, qtype, 99, 1232);
            WireQuery wq = DnsMessages.parsed(q);
            byte[] question = Arrays.copyOfRange(q, WireQuery.HEADER, wq.questionEnd);
            byte[] response = given.toWire();
            if (what.startsWith("TTL with the top bit")) {
                // dnsjava will not build such a record: patch the first answer's TTL (after its 2-byte owner pointer,
                // type and class) in the bytes, and parse them back for the full path
                int ttlAt = WireQuery.HEADER + question.length + 6;
                response[ttlAt] = (byte) 0x80;
                response[ttlAt + 3] = 1;
            }
            Message upstream = new Message(response);

            AnswerBuilder.Built fromMessage = full.fromUpstream(name(qname), qtype, upstream, "upstream test", null, 3, T0,
                    false, authentic);
            AnswerBuilder.Built fromWire = wire.build(response, response.length, question, qtype, "upstream test", null, 3,
                    T0, authentic);

            assertThat(fromWire).as(what + ": the wire path takes it").isNotNull();
            assertThat(fromWire.minTtl()).as(what + ": lifetime").isEqualTo(fromMessage.minTtl());
            assertThat(fromWire.addresses()).as(what + ": addresses").isEqualTo(fromMessage.addresses());
            assertThat(fromWire.chain()).as(what + ": chain").isEqualTo(fromMessage.chain());
            for (long later : new long[] {0, 7, 40}) {
                Message a = render(fromMessage.answer(), q, T0 + later * SECOND);
                Message b = render(fromWire.answer(), q, T0 + later * SECOND);
                assertThat(b.getHeader().toString()).as(what).isEqualTo(a.getHeader().toString());
                for (int section : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY}) {
                    assertThat(text(b, section)).as(what + ", section " + section + ", " + later + " s later")
                            .isEqualTo(text(a, section));
                }
            }
        }
    }

    private static List<String> text(Message m, int section) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(section)) {
            out.add(r.toString());
        }
        return out;
    }

    @Test
    void whatItIsNotSureOfGoesToTheFullPath() {
        byte[] q = query("www.example.com", Type.A, 1, NO_EDNS);
        byte[] question = Arrays.copyOfRange(q, WireQuery.HEADER, DnsMessages.parsed(q).questionEnd);
        Message dname = up("www.example.com", Type.A, Rcode.NOERROR, m -> {
            m.addRecord(new DNAMERecord(name("example.com"), DClass.IN, 300, name("example.net")), Section.ANSWER);
            m.addRecord(cname("www.example.com", 300, "www.example.net"), Section.ANSWER);
            m.addRecord(a("www.example.net", 300, "192.0.2.1"), Section.ANSWER);
        });
        Message refused = up("www.example.com", Type.A, Rcode.REFUSED, m -> { });
        for (Message m : List.of(dname, refused)) {
            byte[] b = m.toWire();
            assertThat(wire.build(b, b.length, question, Type.A, "t", null, 1, T0, false)).as(m.toString()).isNull();
        }
        // the same record twice, written by hand
        byte[] one = up("www.example.com", Type.A, Rcode.NOERROR,
                m -> m.addRecord(a("www.example.com", 300, "192.0.2.1"), Section.ANSWER)).toWire();
        byte[] record = Arrays.copyOfRange(one, WireQuery.HEADER + question.length, one.length);
        byte[] twice = Arrays.copyOf(one, one.length + record.length);
        System.arraycopy(record, 0, twice, one.length, record.length);
        twice[7] = 2;
        assertThat(wire.build(twice, twice.length, question, Type.A, "t", null, 1, T0, false)).isNull();
        // types whose data may hold compressed names, and ANY, are never built here
        assertThat(WireAnswerBuilder.handles(Type.MX)).isFalse();
        assertThat(WireAnswerBuilder.handles(Type.NS)).isFalse();
        assertThat(WireAnswerBuilder.handles(Type.ANY)).isFalse();
    }

    @Test
    void malformedBytesNeverThrow() {
        byte[] q = query("www.example.com", Type.A, 1, NO_EDNS);
        byte[] question = Arrays.copyOfRange(q, WireQuery.HEADER, DnsMessages.parsed(q).questionEnd);
        byte[] good = up("www.example.com", Type.A, Rcode.NOERROR, m -> {
            m.addRecord(cname("www.example.com", 300, "x.example.net"), Section.ANSWER);
            m.addRecord(a("x.example.net", 300, "192.0.2.1"), Section.ANSWER);
        }).toWire();
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[WireQuery.HEADER + question.length + random.nextInt(b.length - WireQuery.HEADER - question.length)] =
                        (byte) random.nextInt(256);
            }
            int len = random.nextInt(4) == 0 ? random.nextInt(b.length) + 1 : b.length;
            if (len < WireQuery.HEADER + question.length) {
                continue;
            }
            wire.build(b, len, question, Type.A, "t", null, 1, T0, false); // null or an answer, never an exception
        }
    }
}
