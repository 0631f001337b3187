package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns an upstream's response into the answer Sitegate gives and caches, keeping only what is in
 * bailiwick: the CNAME/DNAME chain from the question name and the records of the asked type at its end,
 * and for a negative answer the SOA of the zone above the name (RFC 2308). Referral NS records, glue and
 * any other additional data are dropped, so nothing an upstream adds about other names is ever cached.
 * Also builds the firewall's answers.
 */
final class AnswerBuilder {

    private static final int MAX_CHAIN = 16;

    private final DnsConfig.CacheConfig cache;

    AnswerBuilder(DnsConfig.CacheConfig cache) {
        this.cache = cache;
    }

    /** The answer and what it says about the name, for the listeners of resolved names. */
    record Built(Answer answer, List<InetAddress> addresses, List<Name> chain, int minTtl) {
    }

    /**
     * Builds the answer to {@code qname}/{@code qtype} from a matching upstream response with rcode
     * NOERROR or NXDOMAIN.
     */
    Built fromUpstream(Name qname, int qtype, Message response, String source, Decision decision, long generation,
                       long nowNanos) {
        return fromUpstream(qname, qtype, response, source, decision, generation, nowNanos, false, false);
    }

    /**
     * Builds the answer for a client that may have set DO.
     *
     * @param dnssecOk  keep the RRSIGs of the kept RRsets and, in the authority section, the NSEC and NSEC3
     *                  records of the zone with their RRSIGs (RFC 4035 §3.1.1, §3.1.3, §3.2.1); without it
     *                  none of them (RFC 3225 §3: only a client that set DO gets them)
     * @param authentic set AD in the answer: the upstream is trusted and set AD (RFC 4035 §3.2.3)
     */
    Built fromUpstream(Name qname, int qtype, Message response, String source, Decision decision, long generation,
                       long nowNanos, boolean dnssecOk, boolean authentic) {
        Message out = template(qname, qtype, response.getHeader().getRcode());
        if (authentic) {
            out.getHeader().setFlag(Flags.AD);
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        List<Integer> ttls = new ArrayList<>();
        List<Name> chain = new ArrayList<>(List.of(qname));
        List<InetAddress> addresses = new ArrayList<>();
        Name current = qname;
        boolean follow = qtype != Type.CNAME && qtype != Type.ANY;
        for (int hops = 0; follow && hops < MAX_CHAIN; hops++) {
            Record next = null;
            for (Record r : answers) {
                if (r.getType() == Type.DNAME && current.subdomain(r.getName()) && !current.equals(r.getName())) {
                    add(out, r, ttls, r.getTTL());
                }
                if (r.getType() == Type.CNAME && r.getName().equals(current)) {
                    next = r;
                }
            }
            if (next == null) {
                break;
            }
            add(out, next, ttls, next.getTTL());
            current = ((CNAMERecord) next).getTarget();
            chain.add(current);
        }
        for (Record r : answers) {
            if (r.getName().equals(current) && r.getDClass() == DClass.IN
                    && (r.getType() == qtype || qtype == Type.ANY)) {
                add(out, r, ttls, r.getTTL());
                if (r instanceof ARecord a) {
                    addresses.add(a.getAddress());
                } else if (r instanceof AAAARecord a) {
                    addresses.add(a.getAddress());
                }
            }
        }
        Name end = current;
        boolean data = out.getSection(Section.ANSWER).stream()
                .anyMatch(r -> r.getName().equals(end) && (r.getType() == qtype || qtype == Type.ANY));
        boolean negative = response.getHeader().getRcode() == Rcode.NXDOMAIN || !data;
        boolean soa = false;
        if (negative) {
            for (Record r : response.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord s && current.subdomain(s.getName())) {
                    out.addRecord(s, Section.AUTHORITY);
                    ttls.add((int) Math.min(Math.min(s.getTTL(), s.getMinimum()), cache.negativeMaxTtl()));
                    soa = true;
                    break;
                }
            }
        }
        if (dnssecOk) {
            keepDnssec(out, response, ttls, negative);
        }
        int[] clamped = ttls.stream().mapToInt(Integer::intValue).toArray();
        // Without an SOA a negative answer is not cached (RFC 2308).
        int lifetime = clamped.length == 0 || (negative && !soa) ? 0 : java.util.Arrays.stream(clamped).min().getAsInt();
        Answer a = answer(out, clamped, lifetime, source, decision, generation, nowNanos);
        return new Built(a, addresses, chain, lifetime);
    }

    /**
     * Adds the DNSSEC records that go with the kept answer: the RRSIGs over the kept answer RRsets, and the
     * NSEC/NSEC3 records (denial of existence, wildcard proofs) of the zone that signed the answer or whose
     * SOA it carries, with their RRSIGs. Records of other zones stay out, as they do without DO.
     */
    private void keepDnssec(Message out, Message response, List<Integer> ttls, boolean negative) {
        List<Record> kept = new ArrayList<>(out.getSection(Section.ANSWER));
        List<Name> zones = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof RRSIGRecord sig && covers(kept, sig)) {
                add(out, sig, ttls, sig.getTTL());
                zones.add(sig.getSigner());
            }
        }
        long negativeTtl = -1;
        for (Record r : out.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord s) {
                zones.add(s.getName());
                negativeTtl = Math.min(Math.min(s.getTTL(), s.getMinimum()), cache.negativeMaxTtl());
            }
        }
        List<Record> authority = new ArrayList<>(out.getSection(Section.AUTHORITY));
        for (Record r : response.getSection(Section.AUTHORITY)) {
            boolean denial = r.getType() == Type.NSEC || r.getType() == Type.NSEC3;
            if (denial && zones.stream().anyMatch(z -> r.getName().subdomain(z))) {
                addAuthority(out, r, ttls, negative && negativeTtl >= 0 ? negativeTtl : r.getTTL());
                authority.add(r);
            }
        }
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof RRSIGRecord sig && covers(authority, sig)) {
                addAuthority(out, sig, ttls, negative && negativeTtl >= 0 ? negativeTtl : sig.getTTL());
            }
        }
    }

    private static boolean covers(List<Record> records, RRSIGRecord sig) {
        return records.stream().anyMatch(r -> r.getType() == sig.getTypeCovered() && r.getName().equals(sig.getName()));
    }

    private void addAuthority(Message out, Record r, List<Integer> ttls, long ttl) {
        if (!out.findRecord(r, Section.AUTHORITY)) {
            out.addRecord(r, Section.AUTHORITY);
            ttls.add(ttl > Integer.MAX_VALUE ? 0 : clamp((int) ttl));
        }
    }

    /**
     * The firewall's answer to a blocked name: NXDOMAIN, REFUSED or the sinkhole address. Never AD: it is
     * made up here and nothing could validate it (RFC 4035 §3.2.3).
     */
    Answer blocked(Name qname, int qtype, DnsConfig.FirewallConfig fw, String source, Decision decision,
                   long generation, long nowNanos) {
        int rcode = switch (fw.answer()) {
            case NXDOMAIN -> Rcode.NXDOMAIN;
            case REFUSED -> Rcode.REFUSED;
            case SINKHOLE -> Rcode.NOERROR;
        };
        Message out = template(qname, qtype, rcode);
        List<Integer> ttls = new ArrayList<>();
        if (fw.answer() == DnsConfig.BlockAnswer.SINKHOLE && qtype == Type.A) {
            out.addRecord(new ARecord(qname, DClass.IN, BLOCK_TTL, fw.sinkhole4()), Section.ANSWER);
            ttls.add(BLOCK_TTL);
        } else if (fw.answer() == DnsConfig.BlockAnswer.SINKHOLE && qtype == Type.AAAA) {
            out.addRecord(new AAAARecord(qname, DClass.IN, BLOCK_TTL, fw.sinkhole6()), Section.ANSWER);
            ttls.add(BLOCK_TTL);
        }
        return answer(out, ttls.stream().mapToInt(Integer::intValue).toArray(), BLOCK_TTL, source, decision,
                generation, nowNanos);
    }

    /** How long a blocked answer lives in caches (a rule change invalidates it at once here). */
    static final int BLOCK_TTL = 60;

    /** An uncacheable answer with only an rcode (SERVFAIL when no upstream answered, REFUSED). */
    Answer rcodeOnly(Name qname, int qtype, int rcode, String source, long nowNanos) {
        return answer(template(qname, qtype, rcode), new int[0], 0, source, null, -1, nowNanos);
    }

    private static Message template(Name qname, int qtype, int rcode) {
        Message out = new Message(0);
        out.getHeader().setFlag(Flags.QR);
        out.getHeader().setFlag(Flags.RA);
        out.getHeader().setRcode(rcode);
        out.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
        return out;
    }

    private void add(Message out, Record r, List<Integer> ttls, long ttl) {
        if (!out.findRecord(r, Section.ANSWER)) {
            out.addRecord(r, Section.ANSWER);
            // RFC 2181 8: a TTL with the top bit set counts as zero.
            ttls.add(ttl > Integer.MAX_VALUE ? 0 : clamp((int) ttl));
        }
    }

    private int clamp(int ttl) {
        return Math.max(cache.minTtl(), Math.min(cache.maxTtl(), ttl));
    }

    private static Answer answer(Message out, int[] ttls, int lifetime, String source, Decision decision,
                                 long generation, long nowNanos) {
        byte[] wire = out.toWire();
        int questionEnd = WireQuery.HEADER + out.getQuestion().getName().length() + 4;
        int[] offsets = Wire.ttlOffsets(wire, questionEnd);
        if (offsets.length != ttls.length) {
            throw new IllegalStateException("built " + offsets.length + " records but have " + ttls.length + " TTLs");
        }
        return new Answer(wire, questionEnd, offsets, ttls, nowNanos, lifetime, source, decision, generation);
    }
}
