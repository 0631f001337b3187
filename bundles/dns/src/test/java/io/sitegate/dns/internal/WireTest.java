package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.bytes;
import static io.sitegate.dns.internal.DnsMessages.concat;
import static io.sitegate.dns.internal.DnsMessages.header;
import static io.sitegate.dns.internal.DnsMessages.ip;
import static io.sitegate.dns.internal.DnsMessages.name;
import static io.sitegate.dns.internal.DnsMessages.parse;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static io.sitegate.dns.internal.DnsMessages.query;
import static io.sitegate.dns.internal.DnsMessages.withU16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class WireTest {

    private final byte[] out = Forwarder.newBuffer();

    private Message error(byte[] query, int rcode) {
        WireQuery q = parsed(query);
        int n = Wire.error(q, rcode, out);
        return parse(out, n);
    }

    @ParameterizedTest
    @ValueSource(ints = {Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NOTIMP, Rcode.REFUSED})
    void errorEchoesIdQuestionAndRecursionDesired(int rcode) {
        Message r = error(query("WWW.example.com", Type.A, 0x4321, NO_EDNS), rcode);

        assertThat(r.getHeader().getID()).isEqualTo(0x4321);
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getRcode()).isEqualTo(rcode);
        assertThat(r.getQuestion().getName().toString()).isEqualTo("WWW.example.com.");
        assertThat(r.getQuestion().getType()).isEqualTo(Type.A);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(r.getOPT()).isNull();
    }

    @Test
    void errorWithoutRecursionDesiredDoesNotSetIt() {
        byte[] b = query("www.example.com", Type.A, 1, NO_EDNS);
        b[2] &= ~0x01;

        assertThat(error(b, Rcode.REFUSED).getHeader().getFlag(Flags.RD)).isFalse();
    }

    @Test
    void errorClearsTruncationAndAuthorityFlagsOfTheQuery() {
        byte[] b = query("www.example.com", Type.A, 1, NO_EDNS);
        b[2] |= 0x04 | 0x02; // AA and TC in a query: meaningless, not echoed

        Message r = error(b, Rcode.REFUSED);

        assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
    }

    @Test
    void errorToAnEdnsQueryCarriesAnOpt() {
        Message r = error(query("www.example.com", Type.A, 7, 4096), Rcode.SERVFAIL);

        OPTRecord opt = r.getOPT();
        assertThat(opt).isNotNull();
        assertThat(opt.getPayloadSize()).isEqualTo(WireQuery.EDNS_PAYLOAD);
        assertThat(opt.getVersion()).isZero();
        assertThat(opt.getExtendedRcode()).isZero();
        assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(r.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(1);
    }

    @Test
    void badVersSetsTheExtendedRcodeInTheOpt() {
        Message q = Message.newQuery(Record.newRecord(name("www.example.com"), Type.A, DClass.IN));
        q.getHeader().setID(99);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        WireQuery wq = parsed(q.toWire());
        assertThat(wq.verdict).isEqualTo(WireQuery.Verdict.BADVERS);

        Message r = parse(out, Wire.error(wq, Wire.RCODE_BADVERS, out));

        assertThat(r.getHeader().getID()).isEqualTo(99);
        assertThat(r.getHeader().getRcode()).isZero();
        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getOPT().getExtendedRcode()).isEqualTo(1);
        assertThat(r.getOPT().getVersion()).isZero();
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getQuestion().getName()).isEqualTo(name("www.example.com"));
    }

    @Test
    void errorToAQueryWhoseQuestionDidNotParseHasNoQuestion() {
        byte[] b = concat(header(0, 1, 0, 0, 0), bytes(64), new byte[64], bytes(0, 0, 1, 0, 1));

        Message r = error(b, Rcode.FORMERR);

        assertThat(r.getHeader().getID()).isEqualTo(0x1234);
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getQuestion()).isNull();
        assertThat(r.getHeader().getCount(Section.QUESTION)).isZero();
    }

    @Test
    void errorToAQueryWithoutAQuestionIsHeaderOnly() {
        WireQuery q = parsed(header(0, 0, 0, 0, 0));

        int n = Wire.error(q, Wire.RCODE_FORMERR, out);

        assertThat(n).isEqualTo(12);
        assertThat(parse(out, n).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void errorToAQueryWithRecordsInTheAnswerSectionDropsThem() {
        Message m = Message.newQuery(Record.newRecord(name("www.example.com"), Type.A, DClass.IN));
        m.addRecord(new ARecord(name("www.example.com"), DClass.IN, 60, ip("192.0.2.1")), Section.ANSWER);

        Message r = error(m.toWire(), Rcode.FORMERR);

        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getQuestion().getName()).isEqualTo(name("www.example.com"));
    }

    @Test
    void notImplementedEchoesTheOpcode() {
        byte[] b = query("www.example.com", Type.A, 5, NO_EDNS);
        b[2] |= (byte) (Opcode.STATUS << 3);
        WireQuery q = parsed(b);
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.NOTIMP);

        Message r = parse(out, Wire.error(q, Wire.RCODE_NOTIMP, out));

        assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.STATUS);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void errorOverwritesWhateverTheBufferHeld() {
        Arrays.fill(out, (byte) 0xff);

        Message r = error(query("www.example.com", Type.A, 3, NO_EDNS), Rcode.REFUSED);

        assertThat(r.getHeader().getCount(Section.ANSWER)).isZero();
        assertThat(r.getHeader().getCount(Section.AUTHORITY)).isZero();
        assertThat(r.getHeader().getCount(Section.ADDITIONAL)).isZero();
        assertThat(r.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.CD)).isFalse();
    }

    // --- ttlOffsets -------------------------------------------------------------------------------------------

    private static Message responseWithEverySection() {
        Message m = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        m.addRecord(new CNAMERecord(name("www.example.com"), DClass.IN, 101, name("web.example.com")), Section.ANSWER);
        m.addRecord(new ARecord(name("web.example.com"), DClass.IN, 102, ip("192.0.2.1")), Section.ANSWER);
        m.addRecord(new AAAARecord(name("web.example.com"), DClass.IN, 103, ip("2001:db8::1")), Section.ANSWER);
        m.addRecord(new NSRecord(name("example.com"), DClass.IN, 104, name("ns1.example.com")), Section.AUTHORITY);
        m.addRecord(new SOARecord(name("example.com"), DClass.IN, 105, name("ns1.example.com"),
                name("hostmaster.example.com"), 1, 2, 3, 4, 5), Section.AUTHORITY);
        m.addRecord(new ARecord(name("ns1.example.com"), DClass.IN, 106, ip("192.0.2.53")), Section.ADDITIONAL);
        m.addRecord(new TXTRecord(name("x.other.org"), DClass.IN, 107, "some text"), Section.ADDITIONAL);
        return m;
    }

    private static int questionEnd(Message m) {
        return 12 + m.getQuestion().getName().length() + 4;
    }

    @Test
    void ttlOffsetsFindEveryRecordsTtl() {
        Message m = responseWithEverySection();
        byte[] wire = m.toWire();

        int[] offsets = Wire.ttlOffsets(wire, questionEnd(m));

        List<Integer> ttls = new ArrayList<>();
        for (int at : offsets) {
            ttls.add(Wire.readInt(wire, at));
        }
        assertThat(ttls).containsExactly(101, 102, 103, 104, 105, 106, 107);
        assertThat(offsets).isSorted();
    }

    @Test
    void ttlOffsetsIncludeTheOptAndPatchEachRecordSeparately() {
        Message m = responseWithEverySection();
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        byte[] wire = m.toWire();

        int[] offsets = Wire.ttlOffsets(wire, questionEnd(m));
        assertThat(offsets).hasSize(8);
        for (int i = 0; i < offsets.length; i++) {
            wire[offsets[i]] = 0;
            wire[offsets[i] + 1] = 0;
            wire[offsets[i] + 2] = 0;
            wire[offsets[i] + 3] = (byte) (i + 1);
        }
        Message patched = parse(wire, wire.length);
        List<Long> ttls = new ArrayList<>();
        for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : patched.getSection(s)) {
                if (r.getType() != Type.OPT) {
                    ttls.add(r.getTTL());
                }
            }
        }
        assertThat(ttls).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(patched.getSection(Section.ANSWER)).hasSize(3);
    }

    @Test
    void ttlOffsetsOfAMessageWithoutRecordsIsEmpty() {
        Message m = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NXDOMAIN);

        assertThat(Wire.ttlOffsets(m.toWire(), questionEnd(m))).isEmpty();
    }

    @Test
    void ttlOffsetsRefuseATruncatedRecord() {
        Message m = responseWithEverySection();
        byte[] wire = m.toWire();

        for (int cut = 1; cut <= 40; cut++) {
            byte[] shorter = Arrays.copyOf(wire, wire.length - cut);
            assertThatThrownBy(() -> Wire.ttlOffsets(shorter, questionEnd(m)))
                    .as("cut %d", cut).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ttlOffsetsRefuseTrailingBytes() {
        Message m = responseWithEverySection();
        byte[] wire = concat(m.toWire(), bytes(0, 0));

        assertThatThrownBy(() -> Wire.ttlOffsets(wire, questionEnd(m)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message end");
    }

    @Test
    void ttlOffsetsRefuseACountBeyondTheRecords() {
        Message m = responseWithEverySection();
        byte[] wire = withU16(m.toWire(), 6, 4); // 4 answers announced, 3 present
        byte[] moreAdditional = withU16(m.toWire(), 10, 3);

        assertThatThrownBy(() -> Wire.ttlOffsets(moreAdditional, questionEnd(m)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wire.ttlOffsets(wire, questionEnd(m)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ttlOffsetsRefuseANameRunningPastTheEnd() {
        Message m = DnsMessages.response(1, "www.example.com", Type.A, Rcode.NOERROR);
        byte[] wire = withU16(m.toWire(), 6, 1);
        byte[] withName = concat(wire, bytes(5, 'a', 'b'));

        assertThatThrownBy(() -> Wire.ttlOffsets(withName, questionEnd(m)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ttlOffsetsRefuseAQuestionEndBeyondTheMessage() {
        Message m = responseWithEverySection();
        byte[] wire = m.toWire();

        assertThatThrownBy(() -> Wire.ttlOffsets(wire, wire.length + 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishAdditionalWithoutEdnsClearsTheCount() {
        WireQuery q = parsed(query("www.example.com", Type.A, 1, NO_EDNS));
        out[10] = 7;
        out[11] = 7;

        assertThat(Wire.finishAdditional(q, out, 40, 0)).isEqualTo(40);
        assertThat(Wire.u16(out, 10)).isZero();
    }

    @Test
    void finishAdditionalWithEdnsAppendsOneOpt() {
        WireQuery q = parsed(query("www.example.com", Type.A, 1, 4096));

        int n = Wire.finishAdditional(q, out, 40, 1);

        assertThat(n).isEqualTo(40 + Wire.OPT_LENGTH);
        assertThat(Wire.u16(out, 10)).isEqualTo(1);
        assertThat(Arrays.copyOfRange(out, 40, n)).containsExactly(0, 0, 41, 0x04, 0xd0, 1, 0, 0, 0, 0, 0);
    }
}
