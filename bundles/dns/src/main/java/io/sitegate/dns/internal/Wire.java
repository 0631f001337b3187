package io.sitegate.dns.internal;

import java.util.Arrays;

/** Small wire-format operations shared by the hot path and the answer builder. */
final class Wire {

    /** Length of the OPT record Sitegate appends: root name, type, class (payload), TTL, rdlength. */
    static final int OPT_LENGTH = 11;
    static final int RCODE_FORMERR = 1;
    static final int RCODE_SERVFAIL = 2;
    static final int RCODE_NXDOMAIN = 3;
    static final int RCODE_NOTIMP = 4;
    static final int RCODE_REFUSED = 5;
    /** Extended rcode BADVERS (16): 1 in the OPT's extended bits, 0 in the header. */
    static final int RCODE_BADVERS = 16;

    private Wire() {
    }

    /**
     * Sets the additional count and appends an OPT record when the client sent one.
     *
     * @param extendedRcode the upper 8 bits of the extended rcode (1 for BADVERS)
     * @return the final length
     */
    static int finishAdditional(WireQuery q, byte[] out, int n, int extendedRcode) {
        if (!q.edns) {
            out[10] = 0;
            out[11] = 0;
            return n;
        }
        out[10] = 0;
        out[11] = 1;
        out[n] = 0;
        out[n + 1] = 0;
        out[n + 2] = (byte) WireQuery.TYPE_OPT;
        out[n + 3] = (byte) (WireQuery.EDNS_PAYLOAD >> 8);
        out[n + 4] = (byte) WireQuery.EDNS_PAYLOAD;
        out[n + 5] = (byte) extendedRcode;
        Arrays.fill(out, n + 6, n + 11, (byte) 0);
        if (q.dnssecOk) {
            out[n + 7] = (byte) 0x80; // RFC 3225 §3: the DO bit of the query is copied into the response
        }
        return n + OPT_LENGTH;
    }

    /**
     * Writes an error response (FORMERR, NOTIMP, REFUSED, SERVFAIL, BADVERS) to a query, echoing its
     * question when it parsed.
     *
     * @return the response length
     */
    static int error(WireQuery q, int rcode, byte[] out) {
        byte[] p = q.packet;
        out[0] = p[0];
        out[1] = p[1];
        out[2] = (byte) (0x80 | (p[2] & 0x79));
        // RFC 4035 §3.2.2: CD is copied from the query; AD stays clear (nothing here was validated).
        out[3] = (byte) (0x80 | (p[3] & 0x10) | (rcode & 0x0f));
        int n = WireQuery.HEADER;
        boolean withQuestion = q.questionEnd > 0;
        Arrays.fill(out, 4, 12, (byte) 0);
        if (withQuestion) {
            out[5] = 1;
            System.arraycopy(p, WireQuery.HEADER, out, WireQuery.HEADER, q.questionEnd - WireQuery.HEADER);
            n = q.questionEnd;
        }
        return finishAdditional(q, out, n, rcode >> 4);
    }

    /**
     * The offsets of the TTL fields of every record after the question, in a response that has
     * {@code questionEnd} bytes of header and question.
     *
     * @throws IllegalArgumentException when the message does not parse
     */
    static int[] ttlOffsets(byte[] m, int questionEnd) {
        int records = u16(m, 6) + u16(m, 8) + u16(m, 10);
        int[] offsets = new int[records];
        int p = questionEnd;
        for (int i = 0; i < records; i++) {
            p = skipName(m, m.length, p);
            if (p < 0) {
                throw new IllegalArgumentException("record " + i + ": its name does not end in the message");
            }
            if (p + 10 > m.length) {
                throw new IllegalArgumentException("record " + i + " truncated");
            }
            offsets[i] = p + 4;
            p += 10 + u16(m, p + 8);
        }
        if (p != m.length) {
            throw new IllegalArgumentException("records do not end at the message end");
        }
        return offsets;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /**
     * The offset after the (possibly compressed) name at {@code p} in the first {@code len} bytes of {@code m}, or -1
     * when it does not end inside them or has a label type other than a length or a pointer.
     */
    static int skipName(byte[] m, int len, int p) {
        while (p < len) {
            int l = m[p] & 0xff;
            if (l == 0) {
                return p + 1;
            }
            if ((l & 0xc0) == 0xc0) {
                return p + 2 <= len ? p + 2 : -1;
            }
            if (l > 63) {
                return -1;
            }
            p += l + 1;
        }
        return -1;
    }
}
