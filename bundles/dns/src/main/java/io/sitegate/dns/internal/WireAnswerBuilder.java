package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * The answer to a plain question built straight from the upstream's bytes, without parsing the response into
 * objects or serialising a message: the common cache miss (A, AAAA, TXT, HTTPS, SVCB or CAA, no DNSSEC records
 * wanted, an answer that is the records, maybe behind a CNAME chain, or a negative answer with its SOA).
 *
 * <p>It keeps exactly what {@link AnswerBuilder#fromUpstream} keeps (the CNAME chain from the question name,
 * the records of the asked type at its end, for a negative answer the SOA of the zone above the name, nothing
 * else), with the same TTL rules. Anything else it is not sure of (a DNAME, a duplicate record, a name that
 * does not parse, another type) returns null, and the caller takes the full path. {@code WireAnswerBuilderTest}
 * checks both paths give the same answers.
 */
final class WireAnswerBuilder {

    private static final int TYPE_A = 1;
    private static final int TYPE_NS = 2;
    private static final int TYPE_CNAME = 5;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_TXT = 16;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_DNAME = 39;
    private static final int TYPE_SVCB = 64;
    private static final int TYPE_HTTPS = 65;
    private static final int TYPE_CAA = 257;
    private static final int MAX_CHAIN = 16;
    private static final int MAX_RECORDS = 64;

    private final DnsConfig.CacheConfig cache;

    WireAnswerBuilder(DnsConfig.CacheConfig cache) {
        this.cache = cache;
    }

    /** Whether answers to this type can be built here: their data holds no name that may be compressed. */
    static boolean handles(int qtype) {
        return qtype == TYPE_A || qtype == TYPE_AAAA || qtype == TYPE_TXT || qtype == TYPE_HTTPS || qtype == TYPE_SVCB
                || qtype == TYPE_CAA;
    }

    /** One record of the response: where its parts are, its owner name uncompressed in lower case. */
    private record Rr(byte[] owner, int type, int rclass, long ttl, int rdata, int rdlength) {
    }

    /**
     * Builds the answer, or returns null for the full path.
     *
     * @param m        the upstream's response, whose question was checked to be the client's
     * @param question the question as the client sent it: name, type, class
     */
    AnswerBuilder.Built build(byte[] m, int len, byte[] question, int qtype, String source, Decision decision,
                              long generation, long nowNanos, boolean authentic) {
        try {
            return parseAndBuild(m, len, question, qtype, source, decision, generation, nowNanos, authentic);
        } catch (RuntimeException e) {
            return null; // anything odd: the full path decides, with its own checks
        }
    }

    private AnswerBuilder.Built parseAndBuild(byte[] m, int len, byte[] question, int qtype, String source,
                                              Decision decision, long generation, long nowNanos, boolean authentic) {
        int rcode = m[3] & 0x0f;
        if (!handles(qtype) || (rcode != 0 && rcode != 3) || Wire.u16(m, 4) != 1) {
            return null;
        }
        int an = Wire.u16(m, 6);
        int ns = Wire.u16(m, 8);
        if (an + ns > MAX_RECORDS) {
            return null;
        }
        int p = WireQuery.HEADER + question.length;
        List<Rr> answers = new ArrayList<>(an);
        for (int i = 0; i < an; i++) {
            p = read(m, len, p, answers);
            if (p < 0) {
                return null;
            }
        }
        List<Rr> authority = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            p = read(m, len, p, authority);
            if (p < 0) {
                return null;
            }
        }
        for (Rr r : answers) {
            if (r.type() == TYPE_DNAME) {
                return null;
            }
        }
        // the chain from the question name, as AnswerBuilder follows it
        byte[] current = lower(question, 0, question.length - 4);
        List<Rr> kept = new ArrayList<>();
        List<byte[]> chain = new ArrayList<>();
        chain.add(current);
        for (int hops = 0; hops < MAX_CHAIN; hops++) {
            Rr next = null;
            for (Rr r : answers) {
                if (r.type() == TYPE_CNAME && Arrays.equals(r.owner(), current)) {
                    next = r;
                }
            }
            if (next == null) {
                break;
            }
            if (kept.contains(next)) {
                return null; // a loop
            }
            kept.add(next);
            current = lower(name(m, len, next.rdata()));
            chain.add(current);
        }
        int chained = kept.size();
        List<InetAddress> addresses = new ArrayList<>();
        for (Rr r : answers) {
            if (r.type() == qtype && r.rclass() == WireQuery.CLASS_IN && Arrays.equals(r.owner(), current)) {
                kept.add(r);
                if (r.type() == TYPE_A || r.type() == TYPE_AAAA) {
                    addresses.add(address(m, r));
                }
            }
        }
        if (duplicates(m, kept)) {
            return null;
        }
        boolean data = kept.size() > chained;
        boolean negative = rcode == 3 || !data;
        Rr soa = null;
        if (negative) {
            for (Rr r : authority) {
                if (r.type() == TYPE_SOA && subdomain(current, r.owner())) {
                    soa = r;
                    break;
                }
            }
        }
        return write(m, len, question, rcode, authentic, kept, soa, chain, addresses, source, decision, generation, nowNanos);
    }

    private AnswerBuilder.Built write(byte[] m, int len, byte[] question, int rcode, boolean authentic, List<Rr> kept,
                                      Rr soa, List<byte[]> chain, List<InetAddress> addresses, String source,
                                      Decision decision, long generation, long nowNanos) {
        Writer w = new Writer(question.length + 64 * (kept.size() + 1) + 512);
        w.u16(0);
        w.u8(0x80); // QR
        w.u8(0x80 | (authentic ? 0x20 : 0) | rcode); // RA, AD, rcode
        w.u16(1);
        w.u16(kept.size());
        w.u16(soa == null ? 0 : 1);
        w.u16(0);
        w.bytes(question, 0, question.length);
        w.known.add(new Object[] {lower(question, 0, question.length - 4), WireQuery.HEADER});
        int[] ttls = new int[kept.size() + (soa == null ? 0 : 1)];
        int n = 0;
        for (Rr r : kept) {
            w.name(r.owner());
            w.u16(r.type());
            w.u16(r.rclass());
            w.u32(r.ttl());
            if (r.type() == TYPE_CNAME) {
                byte[] target = name(m, len, r.rdata());
                int at = w.size();
                w.u16(0);
                w.name(lower(target), target);
                w.patch16(at, w.size() - at - 2);
            } else {
                w.u16(r.rdlength());
                w.bytes(m, r.rdata(), r.rdlength());
            }
            ttls[n++] = r.ttl() > Integer.MAX_VALUE ? 0 : clamp((int) r.ttl()); // RFC 2181 §8
        }
        if (soa != null) {
            int p = soa.rdata();
            byte[] mname = name(m, len, p);
            p = Wire.skipName(m, len, p);
            byte[] rname = name(m, len, p);
            p = Wire.skipName(m, len, p);
            if (p + 20 != soa.rdata() + soa.rdlength()) {
                throw new IllegalArgumentException("SOA data of the wrong length");
            }
            long minimum = Integer.toUnsignedLong(Wire.readInt(m, p + 16));
            w.name(soa.owner());
            w.u16(TYPE_SOA);
            w.u16(soa.rclass());
            w.u32(soa.ttl());
            int at = w.size();
            w.u16(0);
            w.name(lower(mname), mname);
            w.name(lower(rname), rname);
            w.bytes(m, p, 20);
            w.patch16(at, w.size() - at - 2);
            ttls[n++] = (int) Math.min(Math.min(soa.ttl(), minimum), cache.negativeMaxTtl());
        }
        byte[] wire = w.toBytes();
        boolean negative = rcode == 3 || kept.size() == chain.size() - 1;
        // Without an SOA a negative answer is not cached (RFC 2308), as on the full path.
        int lifetime = ttls.length == 0 || (negative && soa == null) ? 0 : Arrays.stream(ttls).min().getAsInt();
        int questionEnd = WireQuery.HEADER + question.length;
        Answer a = new Answer(wire, questionEnd, Wire.ttlOffsets(wire, questionEnd), ttls, nowNanos, lifetime, source,
                decision, generation);
        List<Name> names = new ArrayList<>(chain.size());
        for (byte[] c : chain) {
            names.add(toName(c));
        }
        return new AnswerBuilder.Built(a, addresses, names, lifetime);
    }

    private int clamp(int ttl) {
        return Math.max(cache.minTtl(), Math.min(cache.maxTtl(), ttl));
    }

    /** Reads one record at {@code p} into {@code out}; returns the offset after it, or -1. */
    private static int read(byte[] m, int len, int p, List<Rr> out) {
        byte[] owner = lower(name(m, len, p));
        p = Wire.skipName(m, len, p);
        if (p + 10 > len) {
            return -1;
        }
        int type = Wire.u16(m, p);
        int rclass = Wire.u16(m, p + 2);
        long ttl = Integer.toUnsignedLong(Wire.readInt(m, p + 4));
        int rdlength = Wire.u16(m, p + 8);
        if (p + 10 + rdlength > len) {
            return -1;
        }
        if (type == TYPE_A && rdlength != 4 || type == TYPE_AAAA && rdlength != 16) {
            return -1;
        }
        if (type == TYPE_CNAME && Wire.skipName(m, len, p + 10) != p + 10 + rdlength) {
            return -1;
        }
        out.add(new Rr(owner, type, rclass, ttl, p + 10, rdlength));
        return p + 10 + rdlength;
    }

    /** The name at {@code p}, uncompressed, in wire form (letter case kept). */
    static byte[] name(byte[] m, int len, int p) {
        byte[] out = new byte[255];
        int n = 0;
        int jumps = 0;
        while (true) {
            if (p >= len) {
                throw new IllegalArgumentException("name runs past the end");
            }
            int l = m[p] & 0xff;
            if ((l & 0xc0) == 0xc0) {
                if (p + 1 >= len || ++jumps > 32) {
                    throw new IllegalArgumentException("bad compression pointer");
                }
                int target = ((l & 0x3f) << 8) | (m[p + 1] & 0xff);
                if (target >= p) {
                    throw new IllegalArgumentException("forward compression pointer");
                }
                p = target;
                continue;
            }
            if (l > 63) {
                throw new IllegalArgumentException("label type " + l);
            }
            if (n + l + 1 > 255 || p + l >= len) {
                throw new IllegalArgumentException("name too long or truncated");
            }
            System.arraycopy(m, p, out, n, l + 1);
            n += l + 1;
            if (l == 0) {
                return Arrays.copyOf(out, n);
            }
            p += l + 1;
        }
    }


    private static byte[] lower(byte[] b) {
        return lower(b, 0, b.length);
    }

    private static byte[] lower(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = 0; i < out.length; i++) {
            byte c = b[from + i];
            out[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        return out;
    }

    /** Whether {@code name} is {@code zone} or below it (both lower case, wire form). */
    private static boolean subdomain(byte[] name, byte[] zone) {
        if (zone.length > name.length) {
            return false;
        }
        int start = name.length - zone.length;
        if (!Arrays.equals(name, start, name.length, zone, 0, zone.length)) {
            return false;
        }
        // the suffix must start at a label boundary
        int p = 0;
        while (p < start) {
            p += (name[p] & 0xff) + 1;
        }
        return p == start;
    }

    private static boolean duplicates(byte[] m, List<Rr> kept) {
        for (int i = 0; i < kept.size(); i++) {
            for (int j = i + 1; j < kept.size(); j++) {
                Rr a = kept.get(i);
                Rr b = kept.get(j);
                if (a.type() == b.type() && a.rdlength() == b.rdlength() && Arrays.equals(a.owner(), b.owner())
                        && Arrays.equals(m, a.rdata(), a.rdata() + a.rdlength(), m, b.rdata(), b.rdata() + b.rdlength())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static InetAddress address(byte[] m, Rr r) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(m, r.rdata(), r.rdata() + r.rdlength()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Name toName(byte[] wire) {
        try {
            return new Name(new DNSInput(wire));
        } catch (WireParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A growing output with whole-name compression against the names written so far. */
    private static final class Writer {
        private byte[] b;
        private int n;
        /** Names written in full ({lower-case wire form, offset}), for pointers. */
        final List<Object[]> known = new ArrayList<>();

        Writer(int capacity) {
            b = new byte[capacity];
        }

        private void room(int more) {
            if (n + more > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        void u8(int v) {
            room(1);
            b[n++] = (byte) v;
        }

        void u16(int v) {
            room(2);
            b[n++] = (byte) (v >> 8);
            b[n++] = (byte) v;
        }

        void u32(long v) {
            room(4);
            b[n++] = (byte) (v >> 24);
            b[n++] = (byte) (v >> 16);
            b[n++] = (byte) (v >> 8);
            b[n++] = (byte) v;
        }

        void bytes(byte[] src, int from, int count) {
            room(count);
            System.arraycopy(src, from, b, n, count);
            n += count;
        }

        void patch16(int at, int v) {
            b[at] = (byte) (v >> 8);
            b[at + 1] = (byte) v;
        }

        int size() {
            return n;
        }

        /** Writes a name given in lower case (as it is written too). */
        void name(byte[] lowerCase) {
            name(lowerCase, lowerCase);
        }

        /** Writes {@code original} (or a pointer to an equal name written before); {@code lowerCase} is its key. */
        void name(byte[] lowerCase, byte[] original) {
            for (Object[] k : known) {
                if (Arrays.equals((byte[]) k[0], lowerCase)) {
                    u16(0xc000 | (Integer) k[1]);
                    return;
                }
            }
            if (n < 0x3fff && lowerCase.length > 1) {
                known.add(new Object[] {lowerCase, n});
            }
            bytes(original, 0, original.length);
        }

        byte[] toBytes() {
            return Arrays.copyOf(b, n);
        }
    }
}
