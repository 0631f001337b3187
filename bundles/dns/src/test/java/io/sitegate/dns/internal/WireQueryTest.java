package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.bytes;
import static io.sitegate.dns.internal.DnsMessages.concat;
import static io.sitegate.dns.internal.DnsMessages.header;
import static io.sitegate.dns.internal.DnsMessages.nameOfLabels;
import static io.sitegate.dns.internal.DnsMessages.opt;
import static io.sitegate.dns.internal.DnsMessages.parsed;
import static io.sitegate.dns.internal.DnsMessages.query;
import static io.sitegate.dns.internal.DnsMessages.withU16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sitegate.dns.internal.WireQuery.Verdict;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireQueryTest {

    private static byte[] question(byte[] name, int type, int dclass) {
        return concat(name, bytes(type >> 8, type, dclass >> 8, dclass));
    }

    private static byte[] exampleName() {
        return DnsMessages.name("www.example.com").toWire();
    }

    // --- valid queries ----------------------------------------------------------------------------------------

    @Test
    void plainQueryIsOkWithTheClassicUdpLimit() {
        WireQuery q = parsed(query("www.example.com", Type.AAAA, 0xbeef, NO_EDNS));

        assertThat(q.verdict).isEqualTo(Verdict.OK);
        assertThat(q.problem).isEmpty();
        assertThat(q.id()).isEqualTo(0xbeef);
        assertThat(q.recursionDesired()).isTrue();
        assertThat(q.qtype).isEqualTo(Type.AAAA);
        assertThat(q.qclass).isEqualTo(DClass.IN);
        assertThat(q.edns).isFalse();
        assertThat(q.udpLimit()).isEqualTo(512);
        assertThat(q.name()).isEqualTo("www.example.com");
        assertThat(q.key).isNotNull();
        assertThat(q.questionEnd).isEqualTo(WireQuery.HEADER + "www.example.com".length() + 2 + 4);
    }

    @ParameterizedTest(name = "EDNS payload {0} -> UDP limit {1}")
    @CsvSource({"4096, 1232", "1232, 1232", "1000, 1000", "512, 512", "100, 512", "0, 512", "65535, 1232"})
    void ednsQueryLimitsUdpToTheOfferedPayloadWithinFiveTwelveAndTwelveThirtyTwo(int payload, int limit) {
        WireQuery q = parsed(query("www.example.com", Type.A, 1, payload));

        assertThat(q.verdict).isEqualTo(Verdict.OK);
        assertThat(q.edns).isTrue();
        assertThat(q.ednsPayload).isEqualTo(payload);
        assertThat(q.udpLimit()).isEqualTo(limit);
    }

    @Test
    void recursionDesiredIsReadFromTheHeader() {
        byte[] b = query("www.example.com", Type.A, 1, NO_EDNS);
        b[2] &= ~0x01;

        assertThat(parsed(b).recursionDesired()).isFalse();
    }

    @Test
    void rootNameParsesToTheEmptyName() {
        WireQuery q = parsed(query(".", Type.NS, 7, NO_EDNS));

        assertThat(q.verdict).isEqualTo(Verdict.OK);
        assertThat(q.name()).isEmpty();
        assertThat(q.questionName()).isEqualTo(Name.root);
    }

    @Test
    void nameIsLowerCasedButTheQuestionKeepsTheClientsLetterCase() {
        byte[] packet = query("WwW.ExAmPlE.CoM", Type.A, 1, NO_EDNS);
        WireQuery q = parsed(packet);

        assertThat(q.name()).isEqualTo("www.example.com");
        assertThat(q.questionName().toString()).isEqualTo("WwW.ExAmPlE.CoM.");
        assertThat(q.question()).isEqualTo(Arrays.copyOfRange(packet, 12, q.questionEnd));
    }

    @Test
    void cacheKeyIgnoresLetterCaseButNotTheTypeOrTheName() {
        CacheKey lower = parsed(query("www.example.com", Type.A, 1, NO_EDNS)).key;
        CacheKey mixed = parsed(query("WWW.Example.COM", Type.A, 2, 1232)).key;
        CacheKey otherType = parsed(query("www.example.com", Type.AAAA, 1, NO_EDNS)).key;
        CacheKey otherName = parsed(query("www.example.org", Type.A, 1, NO_EDNS)).key;
        CacheKey otherSplit = parsed(query("www.exa.mple.com", Type.A, 1, NO_EDNS)).key;

        assertThat(mixed).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(otherType).isNotEqualTo(lower);
        assertThat(otherName).isNotEqualTo(lower);
        assertThat(otherSplit).isNotEqualTo(lower);
    }

    @Test
    void cacheKeyEqualsTheKeyOfTheCanonicalWireName() {
        // Resolution stores answers under the key of dnsjava's canonical name: both must agree.
        Name n = DnsMessages.name("WWW.Example.COM");
        byte[] canonical = n.toWireCanonical();

        assertThat(parsed(query("WWW.Example.COM", Type.MX, 1, NO_EDNS)).key)
                .isEqualTo(CacheKey.of(canonical, 0, canonical.length, Type.MX));
    }

    @Test
    void detachedCopyOwnsItsBytes() {
        byte[] packet = query("www.example.com", Type.A, 0x0102, 1232);
        WireQuery q = parsed(packet);
        WireQuery copy = q.detached();
        byte[] before = packet.clone();

        Arrays.fill(packet, (byte) 0x55);

        assertThat(copy.packet).isNotSameAs(packet).isEqualTo(before);
        assertThat(copy.id()).isEqualTo(0x0102);
        assertThat(copy.name()).isEqualTo("www.example.com");
        assertThat(copy.verdict).isEqualTo(Verdict.OK);
        assertThat(copy.qtype).isEqualTo(Type.A);
        assertThat(copy.edns).isTrue();
        assertThat(copy.udpLimit()).isEqualTo(1232);
        assertThat(copy.key).isEqualTo(parsed(before).key);
        assertThat(copy.question()).isEqualTo(Arrays.copyOfRange(before, 12, q.questionEnd));
    }

    @Test
    void detachedCopyOfALongerReceiveBufferKeepsOnlyThePacket() {
        byte[] packet = query("www.example.com", Type.A, 9, NO_EDNS);
        byte[] buffer = Arrays.copyOf(packet, 4096);

        WireQuery copy = WireQuery.parse(buffer, packet.length).detached();

        assertThat(copy.packet).hasSize(packet.length);
        assertThat(copy.length).isEqualTo(packet.length);
    }

    @Test
    void nameOfExactly255BytesIsAccepted() {
        byte[] name = nameOfLabels(63, 63, 63, 61);
        assertThat(name).hasSize(255);

        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(name, Type.A, DClass.IN)));

        assertThat(q.verdict).isEqualTo(Verdict.OK);
        assertThat(q.name()).hasSize(253);
    }

    // --- dropped ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 11})
    void shorterThanAHeaderIsDropped(int length) {
        byte[] b = Arrays.copyOf(query("www.example.com", Type.A, 1, NO_EDNS), length);

        WireQuery q = WireQuery.parse(b, length);

        assertThat(q.verdict).isEqualTo(Verdict.DROP);
        assertThat(q.key).isNull();
    }

    @Test
    void responseIsDropped() {
        byte[] b = query("www.example.com", Type.A, 1, NO_EDNS);
        b[2] |= (byte) 0x80;

        WireQuery q = parsed(b);

        assertThat(q.verdict).isEqualTo(Verdict.DROP);
        assertThat(q.problem).contains("response");
    }

    // --- FORMERR ----------------------------------------------------------------------------------------------

    @Test
    void noQuestionIsFormErr() {
        WireQuery q = parsed(header(0, 0, 0, 0, 0));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.questionEnd).isNegative();
    }

    @Test
    void twoQuestionsAreFormErr() {
        byte[] first = question(exampleName(), Type.A, DClass.IN);
        byte[] second = question(DnsMessages.name("example.org").toWire(), Type.A, DClass.IN);

        WireQuery q = parsed(concat(header(0, 2, 0, 0, 0), first, second));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("question count 2");
    }

    @Test
    void twoQuestionsFromDnsjavaAreFormErr() {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("a.example"), Type.A, DClass.IN));
        m.addRecord(Record.newRecord(DnsMessages.name("b.example"), Type.A, DClass.IN), Section.QUESTION);

        assertThat(parsed(m.toWire()).verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void compressionPointerInTheQuestionIsFormErr() {
        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), bytes(0xc0, 0x0c, 0, 1, 0, 1)));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("compression");
    }

    @Test
    void compressionPointerAfterALabelIsFormErr() {
        byte[] name = bytes(3, 'w', 'w', 'w', 0xc0, 0x0c);

        assertThat(parsed(concat(header(0, 1, 0, 0, 0), question(name, Type.A, DClass.IN))).verdict)
                .isEqualTo(Verdict.FORMERR);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 0x40, 0x7f, 0x80, 0xbf})
    void labelLongerThan63OrAnExtendedLabelTypeIsFormErr(int lengthByte) {
        byte[] name = new byte[1 + 0xbf + 1];
        name[0] = (byte) lengthByte;
        Arrays.fill(name, 1, name.length - 1, (byte) 'a');

        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(name, Type.A, DClass.IN)));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void nameOfMoreThan255BytesIsFormErr() {
        byte[] name = nameOfLabels(63, 63, 63, 62);
        assertThat(name).hasSize(256);

        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(name, Type.A, DClass.IN)));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("255");
    }

    @Test
    void veryLongNameOfShortLabelsIsFormErr() {
        int[] ones = new int[200];
        Arrays.fill(ones, 1);

        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(nameOfLabels(ones), Type.A, DClass.IN)));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
    }

    @ParameterizedTest(name = "cut {0} bytes")
    @ValueSource(ints = {1, 2, 3, 4})
    void questionWithoutItsFullTypeAndClassIsFormErr(int cut) {
        byte[] full = query("www.example.com", Type.A, 1, NO_EDNS);

        WireQuery q = WireQuery.parse(full, full.length - cut);

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("truncated");
        assertThat(q.key).isNull();
    }

    @Test
    void nameRunningPastTheEndIsFormErr() {
        byte[] full = query("www.example.com", Type.A, 1, NO_EDNS);

        for (int len = 12; len < 12 + 17; len++) {
            WireQuery q = WireQuery.parse(full, len);
            assertThat(q.verdict).as("length %d", len).isEqualTo(Verdict.FORMERR);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 11, 100})
    void trailingBytesAreFormErr(int junk) {
        byte[] b = concat(query("www.example.com", Type.A, 1, NO_EDNS), new byte[junk]);

        WireQuery q = parsed(b);

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("after the last record");
    }

    @Test
    void trailingBytesAfterTheOptAreFormErr() {
        byte[] b = concat(query("www.example.com", Type.A, 1, 1232), bytes(0));

        assertThat(parsed(b).verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void answerRecordInAQueryIsFormErr() throws Exception {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("www.example.com"), Type.A, DClass.IN));
        m.addRecord(new ARecord(DnsMessages.name("www.example.com"), DClass.IN, 60, DnsMessages.ip("192.0.2.1")),
                Section.ANSWER);

        WireQuery q = parsed(m.toWire());

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("answer or authority");
    }

    @Test
    void authorityRecordInAQueryIsFormErr() {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("www.example.com"), Type.A, DClass.IN));
        m.addRecord(new ARecord(DnsMessages.name("www.example.com"), DClass.IN, 60, DnsMessages.ip("192.0.2.1")),
                Section.AUTHORITY);

        assertThat(parsed(m.toWire()).verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void answerCountWithoutRecordsIsFormErr() {
        byte[] b = withU16(query("www.example.com", Type.A, 1, NO_EDNS), 6, 1);

        assertThat(parsed(b).verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void twoOptRecordsAreFormErr() {
        byte[] b = concat(header(0, 1, 0, 0, 2), question(exampleName(), Type.A, DClass.IN), opt(1232, 0), opt(1232, 0));

        WireQuery q = parsed(b);

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("OPT");
    }

    @Test
    void optRecordNotAtTheRootIsFormErr() {
        byte[] optAtName = concat(bytes(1, 'x', 0), Arrays.copyOfRange(opt(1232, 0), 1, 11));
        byte[] b = concat(header(0, 1, 0, 0, 1), question(exampleName(), Type.A, DClass.IN), optAtName);

        assertThat(parsed(b).verdict).isEqualTo(Verdict.FORMERR);
    }

    @Test
    void additionalCountBeyondTheRecordsIsFormErr() {
        byte[] b = concat(header(0, 1, 0, 0, 2), question(exampleName(), Type.A, DClass.IN), opt(1232, 0));

        WireQuery q = parsed(b);

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("2 additional records");
    }

    @Test
    void additionalRecordWhoseDataRunsPastTheEndIsFormErr() {
        byte[] optWithData = opt(1232, 0);
        optWithData[10] = 20; // rdlength 20, no data follows
        byte[] b = concat(header(0, 1, 0, 0, 1), question(exampleName(), Type.A, DClass.IN), optWithData);

        WireQuery q = parsed(b);

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("data truncated");
    }

    @Test
    void otherAdditionalRecordsBesideTheOptAreFormErr() {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("www.example.com"), Type.A, DClass.IN));
        m.addRecord(new ARecord(DnsMessages.name("www.example.com"), DClass.IN, 60, DnsMessages.ip("192.0.2.1")),
                Section.ADDITIONAL);
        m.addRecord(new OPTRecord(900, 0, 0), Section.ADDITIONAL);

        WireQuery q = parsed(m.toWire());

        // issue 17: a query carries one OPT at most, nothing else (it used to be skipped, and copied on every miss)
        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("2 additional records");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 41})
    void metaTypesThatCannotBeAskedAreFormErr(int type) {
        byte[] b = concat(header(0, 1, 0, 0, 0), question(exampleName(), type, DClass.IN));

        assertThat(parsed(b).verdict).isEqualTo(Verdict.FORMERR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 0x1234, 0xffff})
    void unknownClassIsFormErr(int dclass) {
        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(exampleName(), Type.A, dclass)));

        assertThat(q.verdict).isEqualTo(Verdict.FORMERR);
        assertThat(q.problem).contains("class " + dclass);
    }

    // --- NOTIMP, REFUSED, BADVERS -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5, 15})
    void otherOpcodesWithAQuestionAreNotImplemented(int opcode) {
        WireQuery q = parsed(concat(header(opcode, 1, 0, 0, 0), question(exampleName(), Type.A, DClass.IN)));

        assertThat(q.verdict).isEqualTo(Verdict.NOTIMP);
        assertThat(q.problem).contains("opcode " + opcode);
        assertThat(q.questionEnd).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {DClass.CH, DClass.HS, DClass.ANY})
    void knownClassesOtherThanInAreRefused(int dclass) {
        WireQuery q = parsed(concat(header(0, 1, 0, 0, 0), question(exampleName(), Type.TXT, dclass)));

        assertThat(q.verdict).isEqualTo(Verdict.REFUSED);
    }

    @Test
    void chaosVersionBindIsRefused() {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("version.bind"), Type.TXT, DClass.CH));

        assertThat(parsed(m.toWire()).verdict).isEqualTo(Verdict.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(ints = {Type.AXFR, Type.IXFR})
    void zoneTransfersAreRefused(int type) {
        WireQuery q = parsed(query("example.com", type, 1, NO_EDNS));

        assertThat(q.verdict).isEqualTo(Verdict.REFUSED);
        assertThat(q.problem).contains("zone transfer");
    }

    @Test
    void ednsVersionOneIsBadVers() {
        Message m = Message.newQuery(Record.newRecord(DnsMessages.name("www.example.com"), Type.A, DClass.IN));
        m.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

        WireQuery q = parsed(m.toWire());

        assertThat(q.verdict).isEqualTo(Verdict.BADVERS);
        assertThat(q.edns).isTrue();
        assertThat(q.questionEnd).isPositive();
    }

    @Test
    void ednsVersion255IsBadVers() {
        byte[] b = concat(header(0, 1, 0, 0, 1), question(exampleName(), Type.A, DClass.IN), opt(1232, 255));

        assertThat(parsed(b).verdict).isEqualTo(Verdict.BADVERS);
    }

    // --- robustness -------------------------------------------------------------------------------------------

    @Test
    void randomBytesNeverThrowAndAnAcceptedQueryIsUsable() {
        Random random = new Random(20240601L);
        byte[] out = Forwarder.newBuffer();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(i % 10 == 0 ? 600 : 64)];
            random.nextBytes(b);
            if (i % 2 == 0 && b.length >= 12) {
                b[2] &= 0x7f; // mostly queries, so parsing goes past the header
                b[4] = 0;
                b[5] = 1;
            }
            checkNeverThrows(b, out);
        }
    }

    @Test
    void mutatedQueriesNeverThrowAndAnAcceptedQueryIsUsable() {
        Random random = new Random(42L);
        byte[] out = Forwarder.newBuffer();
        Message withEdns = Message.newQuery(Record.newRecord(DnsMessages.name("www.Example.com"), Type.A, DClass.IN));
        withEdns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        byte[][] seeds = {query("www.example.com", Type.A, 1, NO_EDNS), withEdns.toWire(),
                query("a.b.c.d.e.example", Type.MX, 2, 4096)};
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds[i % seeds.length];
            byte[] b = seed.clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                switch (random.nextInt(4)) {
                    case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    case 1 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                    default -> b = Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
                }
                if (b.length == 0) {
                    break;
                }
            }
            checkNeverThrows(b, out);
        }
    }

    /** Parsing never throws; what it accepts can be named, keyed and answered; every error answer parses. */
    private static void checkNeverThrows(byte[] b, byte[] out) {
        WireQuery q = WireQuery.parse(b, b.length);
        assertThat(q.verdict).isNotNull();
        if (q.verdict == Verdict.OK) {
            assertThatCode(() -> {
                q.name();
                q.questionName();
                q.detached();
            }).as("accepted %s", Arrays.toString(b)).doesNotThrowAnyException();
            assertThat(q.key).isNotNull();
            assertThat(q.udpLimit()).isBetween(512, 1232);
        }
        if (q.verdict != Verdict.DROP) {
            int n = Wire.error(q, Wire.RCODE_FORMERR, out);
            assertThatCode(() -> new Message(Arrays.copyOf(out, n)))
                    .as("error answer to %s", Arrays.toString(b)).doesNotThrowAnyException();
        }
    }

    // --- memory bounds (issue 17): nothing larger than a query needs ----------------------------------------

    private static byte[] withAdditional(org.xbill.DNS.Record extra, int ednsOptionBytes) {
        org.xbill.DNS.Message m = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                DnsMessages.name("www.example.com"), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN));
        if (ednsOptionBytes >= 0) {
            // RFC 7830 padding option (code 12) of that many bytes
            m.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, 0, java.util.List.of(
                    new org.xbill.DNS.GenericEDNSOption(12, new byte[Math.max(0, ednsOptionBytes - 4)]))),
                    org.xbill.DNS.Section.ADDITIONAL);
        }
        if (extra != null) {
            m.addRecord(extra, org.xbill.DNS.Section.ADDITIONAL);
        }
        return m.toWire();
    }

    @Test
    void paddingAsRfc8467PadsQueriesIsAccepted() {
        WireQuery q = DnsMessages.parsed(withAdditional(null, 468));
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.OK);
        assertThat(q.edns).isTrue();
    }

    @Test
    void anyAdditionalRecordButOneOptIsFormerr() throws Exception {
        org.xbill.DNS.Record a = org.xbill.DNS.Record.fromString(DnsMessages.name("x.example.com"), org.xbill.DNS.Type.A,
                org.xbill.DNS.DClass.IN, 60, "192.0.2.1", org.xbill.DNS.Name.root);
        WireQuery q = DnsMessages.parsed(withAdditional(a, -1));
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.FORMERR);
        assertThat(q.problem).contains("additional record of type 1");
        q = DnsMessages.parsed(withAdditional(a, 16));
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.FORMERR);
        assertThat(q.problem).contains("2 additional records");
    }

    @Test
    void moreEdnsOptionBytesThanAnyQueryNeedsIsFormerr() {
        WireQuery q = DnsMessages.parsed(withAdditional(null, WireQuery.MAX_EDNS_OPTIONS + 4));
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.FORMERR);
        assertThat(q.problem).contains("bytes of EDNS options");
    }

    @Test
    void aPacketLargerThanAnyQueryIsFormerrBeforeItIsRead() {
        byte[] big = java.util.Arrays.copyOf(DnsMessages.query("www.example.com", org.xbill.DNS.Type.A, 7, 1232), 65_535);
        WireQuery q = WireQuery.parse(big, big.length);
        assertThat(q.verdict).isEqualTo(WireQuery.Verdict.FORMERR);
        assertThat(q.problem).isEqualTo("65535 bytes, larger than any query (" + WireQuery.MAX_QUERY + ")");
        assertThat(q.key).as("not even the question was read").isNull();
    }
}
