package io.sitegate.dns.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Builds and reads DNS messages for the tests, with dnsjava (an implementation independent of the code under test). */
final class DnsMessages {

    /** No EDNS0 record in the query. */
    static final int NO_EDNS = -1;

    private DnsMessages() {
    }

    static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A client query with RD set, and an OPT record offering {@code ednsPayload} unless it is {@link #NO_EDNS}. */
    static byte[] query(String name, int type, int id, int ednsPayload) {
        Message m = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        m.getHeader().setID(id);
        if (ednsPayload != NO_EDNS) {
            m.addRecord(new OPTRecord(ednsPayload, 0, 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    static WireQuery parsed(byte[] packet) {
        return WireQuery.parse(packet, packet.length);
    }

    /** A response as an upstream would send it: QR, RD and RA set, the question, then {@code records} in their sections. */
    static Message response(int id, String qname, int qtype, int rcode) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
        return m;
    }

    static Message parse(byte[] b, int len) {
        try {
            return new Message(Arrays.copyOf(b, len));
        } catch (IOException e) {
            throw new UncheckedIOException("does not parse as DNS: " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code b} with the 16-bit value at {@code at} replaced. */
    static byte[] withU16(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) (value >> 8);
        c[at + 1] = (byte) value;
        return c;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A query header: id 0x1234, RD, the given opcode and counts. */
    static byte[] header(int opcode, int qd, int an, int ns, int ar) {
        return bytes(0x12, 0x34, (opcode << 3) | 0x01, 0, qd >> 8, qd, an >> 8, an, ns >> 8, ns, ar >> 8, ar);
    }

    /** A name in wire form from label lengths, each label filled with 'a'. */
    static byte[] nameOfLabels(int... lengths) {
        int n = 1;
        for (int l : lengths) {
            n += l + 1;
        }
        byte[] b = new byte[n];
        int p = 0;
        for (int l : lengths) {
            b[p++] = (byte) l;
            Arrays.fill(b, p, p + l, (byte) 'a');
            p += l;
        }
        b[p] = 0;
        return b;
    }

    /** A bare EDNS0 OPT record (root name, type 41, payload, version, no options). */
    static byte[] opt(int payload, int version) {
        return bytes(0, 0, 41, payload >> 8, payload, 0, version, 0, 0, 0, 0);
    }
}
