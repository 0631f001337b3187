package io.sitegate.dns.internal;

/**
 * An answer kept in wire form, as fast resolvers keep them: a hit copies the bytes, patches the id,
 * the client's question (its letter case), the TTLs (minus the time the answer spent in the cache)
 * and the EDNS0 record, and never parses or re-serialises a message.
 *
 * <p>The template holds the header (id 0), the question, and the answer and authority records; it has
 * no additional section (no OPT, no glue: nothing out of bailiwick is kept). For a client that set DO the
 * records include the RRSIG, NSEC and NSEC3 records of the answer (RFC 4035 §3.2.1); the header's AD bit
 * says a trusted upstream validated it.
 */
final class Answer {

    private static final long NANOS = 1_000_000_000L;
    /** TTL of a stale answer (RFC 8767). */
    static final int STALE_TTL = 30;

    private final byte[] wire;
    private final int questionEnd;
    private final int[] ttlOffsets;
    private final int[] ttls;
    private final long storedNanos;
    private final long expiresNanos;
    private final String source;
    private final Decision decision;
    private final long generation;
    /** Second-chance bit for the cache's clock eviction: set on a hit. */
    volatile boolean used;

    Answer(byte[] wire, int questionEnd, int[] ttlOffsets, int[] ttls, long storedNanos, int lifetimeSeconds,
           String source, Decision decision, long generation) {
        this.wire = wire;
        this.questionEnd = questionEnd;
        this.ttlOffsets = ttlOffsets;
        this.ttls = ttls;
        this.storedNanos = storedNanos;
        this.expiresNanos = storedNanos + lifetimeSeconds * NANOS;
        this.source = source;
        this.decision = decision;
        this.generation = generation;
    }

    /** Response code of the answer (NOERROR 0, SERVFAIL 2, NXDOMAIN 3, REFUSED 5). */
    int rcode() {
        return wire[3] & 0x0f;
    }

    boolean fresh(long nowNanos) {
        return nowNanos < expiresNanos;
    }

    /** Whole seconds left before the answer expires (0 when it has). */
    long secondsLeft(long nowNanos) {
        return Math.max(0, (expiresNanos - nowNanos) / NANOS);
    }

    /** Whether the answer expired less than {@code maxAgeNanos} ago (serve-stale window). */
    boolean staleUsable(long nowNanos, long maxAgeNanos) {
        return nowNanos - expiresNanos < maxAgeNanos;
    }

    long generation() {
        return generation;
    }

    /** What answered: an upstream, the firewall rule or the forwarder. */
    String source() {
        return source;
    }

    /** The firewall decision behind a blocked answer, whose rule counts every answer given; else null. */
    Decision decision() {
        return decision;
    }

    /** Bytes held, for the cache's memory bound. */
    int size() {
        return wire.length + 8 * ttlOffsets.length + 64;
    }

    /** The template, for building what the shell shows. Do not modify. */
    byte[] template() {
        return wire;
    }

    /**
     * Writes this answer to {@code q} into {@code out}.
     *
     * @param out   at least 65535 + 11 bytes
     * @param udp   whether the response goes over UDP (then it is truncated, with TC, beyond the client's limit)
     * @param stale serve with the stale TTL
     * @return the response length
     */
    int render(WireQuery q, byte[] out, boolean udp, long nowNanos, boolean stale) {
        int n = wire.length;
        System.arraycopy(wire, 0, out, 0, n);
        out[0] = q.packet[0];
        out[1] = q.packet[1];
        // AA stays clear: an answer relayed by a forwarder is never authoritative.
        out[2] = (byte) (0x80 | (q.packet[2] & 0x01));
        // RA; CD copied from the query (RFC 4035 §3.2.2); AD only when the template has it (an answer from a
        // trusted upstream that validated it) and the client asked with DO or AD (RFC 4035 §3.2.3, RFC 6840 §5.8).
        boolean ad = (wire[3] & 0x20) != 0 && (q.dnssecOk || q.authenticDataWanted());
        out[3] = (byte) (0x80 | (ad ? 0x20 : 0) | (q.packet[3] & 0x10) | (wire[3] & 0x0f));
        System.arraycopy(q.packet, WireQuery.HEADER, out, WireQuery.HEADER, questionEnd - WireQuery.HEADER);
        long elapsed = (nowNanos - storedNanos) / NANOS;
        for (int i = 0; i < ttlOffsets.length; i++) {
            long ttl = stale ? STALE_TTL : Math.max(0, ttls[i] - elapsed);
            putInt(out, ttlOffsets[i], (int) ttl);
        }
        int limit = udp ? q.udpLimit() : 65535;
        if (n + (q.edns ? Wire.OPT_LENGTH : 0) > limit) {
            n = questionEnd;
            out[2] |= 0x02;
            out[6] = out[7] = out[8] = out[9] = 0;
        }
        return Wire.finishAdditional(q, out, n, 0);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
