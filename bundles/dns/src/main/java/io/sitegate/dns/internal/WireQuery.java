package io.sitegate.dns.internal;

import java.util.Arrays;

/**
 * A client query read straight from its wire bytes, without dnsjava: the hot path (cache hits) never
 * builds a full message. Parsing validates everything a forwarder relies on and classifies bad input:
 * {@link Verdict#DROP} for what cannot be answered at all (shorter than a header, or a response),
 * {@link Verdict#FORMERR}, {@link Verdict#NOTIMP}, {@link Verdict#REFUSED} and {@link Verdict#BADVERS}
 * for queries that get an error answer, and {@link Verdict#OK}.
 */
final class WireQuery {

    /** What to do with a packet. */
    enum Verdict { OK, DROP, FORMERR, NOTIMP, REFUSED, BADVERS }

    static final int HEADER = 12;
    static final int TYPE_OPT = 41;
    static final int CLASS_IN = 1;
    /** The UDP payload size Sitegate offers and uses (DNS flag day 2020). */
    static final int EDNS_PAYLOAD = 1232;
    /**
     * The most EDNS option bytes a query may carry: cookies (RFC 7873, at most 40), client subnet (RFC 7871, at
     * most 20), and padding (RFC 7830; RFC 8467 pads queries to a multiple of 128 bytes) fit many times over.
     */
    static final int MAX_EDNS_OPTIONS = 512;
    /**
     * The largest query there is: a header, one question with the longest name (255), and one OPT record (11
     * bytes) with {@link #MAX_EDNS_OPTIONS}. Anything larger gets FORMERR before it is parsed or copied.
     */
    static final int MAX_QUERY = HEADER + 255 + 4 + 11 + MAX_EDNS_OPTIONS;

    final byte[] packet;
    final int length;
    Verdict verdict = Verdict.DROP;
    String problem = "shorter than a DNS header";
    /** End of the question name; {@code questionEnd = nameEnd + 4} when the question is complete. */
    int nameEnd = -1;
    int questionEnd = -1;
    int qtype;
    int qclass;
    boolean edns;
    int ednsPayload;
    /** The OPT record's DO bit (RFC 3225 §3): the client wants RRSIG, NSEC and NSEC3 records. */
    boolean dnssecOk;
    /** The cache key: the lower-cased name and the type; null unless the question parsed. */
    CacheKey key;

    private WireQuery(byte[] packet, int length) {
        this.packet = packet;
        this.length = length;
    }

    /** Parses {@code length} bytes of {@code packet}; never throws for bad input. */
    static WireQuery parse(byte[] packet, int length) {
        WireQuery q = new WireQuery(packet, length);
        q.parse();
        return q;
    }

    int id() {
        return ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
    }

    boolean recursionDesired() {
        return (packet[2] & 0x01) != 0;
    }

    /** The largest response the client accepts over UDP. */
    int udpLimit() {
        return edns ? Math.max(512, Math.min(ednsPayload, EDNS_PAYLOAD)) : 512;
    }

    /** The question name in presentation form, lower case, without the final dot ("" for the root). */
    String name() {
        StringBuilder b = new StringBuilder(nameEnd - HEADER);
        int p = HEADER;
        while (packet[p] != 0) {
            int len = packet[p] & 0xff;
            if (b.length() > 0) {
                b.append('.');
            }
            for (int i = 1; i <= len; i++) {
                char c = (char) (packet[p + i] & 0xff);
                b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
            p += len + 1;
        }
        return b.toString();
    }

    private void parse() {
        if (length < HEADER) {
            return;
        }
        if ((packet[2] & 0x80) != 0) {
            problem = "a response, not a query";
            return;
        }
        if (length > MAX_QUERY) {
            fail(Verdict.FORMERR, length + " bytes, larger than any query (" + MAX_QUERY + ")");
            return;
        }
        int opcode = (packet[2] >> 3) & 0x0f;
        int qd = u16(4);
        int an = u16(6);
        int ns = u16(8);
        int ar = u16(10);
        if (qd != 1) {
            fail(Verdict.FORMERR, "question count " + qd);
            return;
        }
        if (!readQuestion()) {
            return;
        }
        if (opcode != 0) {
            fail(Verdict.NOTIMP, "opcode " + opcode);
            return;
        }
        if (an != 0 || ns != 0) {
            fail(Verdict.FORMERR, "records in the answer or authority section of a query");
            return;
        }
        if (!readAdditional(ar)) {
            return;
        }
        if (qclass != CLASS_IN) {
            boolean known = qclass == 3 || qclass == 4 || qclass == 255;
            fail(known ? Verdict.REFUSED : Verdict.FORMERR, "class " + qclass);
            return;
        }
        if (qtype == 0 || qtype == TYPE_OPT) {
            fail(Verdict.FORMERR, "type " + qtype);
            return;
        }
        if (qtype == 251 || qtype == 252) {
            fail(Verdict.REFUSED, "zone transfer");
            return;
        }
        // The DO and CD bits select a different answer (RFC 3225 §3, RFC 4035 §3.2.2): part of the key.
        key = CacheKey.of(packet, HEADER, nameEnd, qtype, dnssecOk, checkingDisabled());
        verdict = Verdict.OK;
        problem = "";
    }

    /** The header's CD bit (RFC 4035 §3.2.2): the client validates itself and wants unchecked data. */
    boolean checkingDisabled() {
        return (packet[3] & 0x10) != 0;
    }

    /** The header's AD bit: the client understands AD without asking for DNSSEC records (RFC 6840 §5.7). */
    boolean authenticDataWanted() {
        return (packet[3] & 0x20) != 0;
    }

    /** Reads the question; a name in a question may not use compression. */
    private boolean readQuestion() {
        int p = HEADER;
        while (true) {
            if (p >= length) {
                fail(Verdict.FORMERR, "question name runs past the end");
                return false;
            }
            int len = packet[p] & 0xff;
            if (len == 0) {
                break;
            }
            if (len > 63) {
                fail(Verdict.FORMERR, (len & 0xc0) == 0xc0 ? "compression in the question" : "label longer than 63");
                return false;
            }
            p += len + 1;
            if (p - HEADER + 1 > 255) {
                fail(Verdict.FORMERR, "name longer than 255 bytes");
                return false;
            }
        }
        nameEnd = p + 1;
        if (nameEnd + 4 > length) {
            fail(Verdict.FORMERR, "question truncated");
            return false;
        }
        qtype = u16(nameEnd);
        qclass = u16(nameEnd + 2);
        questionEnd = nameEnd + 4;
        key = CacheKey.of(packet, HEADER, nameEnd, qtype);
        return true;
    }

    /**
     * Reads the additional section: a query may carry one EDNS0 OPT record (RFC 6891 §6.1.1) and nothing
     * else here (no TSIG or SIG(0) is accepted from the LAN, and nothing else belongs in a query).
     */
    private boolean readAdditional(int count) {
        int p = questionEnd;
        if (count > 1) {
            fail(Verdict.FORMERR, count + " additional records (a query carries at most one OPT)");
            return false;
        }
        for (int i = 0; i < count; i++) {
            int nameStart = p;
            p = Wire.skipName(packet, length, p);
            if (p < 0 || p + 10 > length) {
                fail(Verdict.FORMERR, "additional record truncated");
                return false;
            }
            int type = u16(p);
            int rdlen = u16(p + 8);
            if (p + 10 + rdlen > length) {
                fail(Verdict.FORMERR, "additional record data truncated");
                return false;
            }
            if (type != TYPE_OPT) {
                fail(Verdict.FORMERR, "additional record of type " + type + " (a query carries at most one OPT)");
                return false;
            }
            if (rdlen > MAX_EDNS_OPTIONS) {
                fail(Verdict.FORMERR, rdlen + " bytes of EDNS options (at most " + MAX_EDNS_OPTIONS + ")");
                return false;
            }
            if (type == TYPE_OPT) {
                if (edns || packet[nameStart] != 0) {
                    fail(Verdict.FORMERR, "more than one OPT record or OPT not at the root");
                    return false;
                }
                edns = true;
                ednsPayload = u16(p + 2);
                dnssecOk = (packet[p + 6] & 0x80) != 0;
                int version = packet[p + 5] & 0xff;
                if (version != 0) {
                    fail(Verdict.BADVERS, "EDNS version " + version);
                    return false;
                }
            }
            p += 10 + rdlen;
        }
        if (p != length) {
            fail(Verdict.FORMERR, (length - p) + " bytes after the last record");
            return false;
        }
        return true;
    }


    private void fail(Verdict v, String why) {
        verdict = v;
        problem = why;
    }

    private int u16(int at) {
        return ((packet[at] & 0xff) << 8) | (packet[at + 1] & 0xff);
    }

    /** The question name as dnsjava's {@link org.xbill.DNS.Name}, letter case as the client sent it. */
    org.xbill.DNS.Name questionName() {
        try {
            return new org.xbill.DNS.Name(new org.xbill.DNS.DNSInput(Arrays.copyOfRange(packet, HEADER, nameEnd)));
        } catch (org.xbill.DNS.WireParseException e) {
            throw new IllegalStateException("a parsed question name does not parse: " + e.getMessage(), e);
        }
    }

    /** A copy that owns its bytes, for work that outlives the receive buffer (a cache miss). */
    WireQuery detached() {
        WireQuery c = new WireQuery(Arrays.copyOf(packet, length), length);
        c.verdict = verdict;
        c.problem = problem;
        c.nameEnd = nameEnd;
        c.questionEnd = questionEnd;
        c.qtype = qtype;
        c.qclass = qclass;
        c.edns = edns;
        c.ednsPayload = ednsPayload;
        c.dnssecOk = dnssecOk;
        c.key = key;
        return c;
    }

    /** A copy of the question bytes (name as the client wrote it, type, class). */
    byte[] question() {
        return Arrays.copyOfRange(packet, HEADER, questionEnd);
    }
}
