package io.sitegate.dns.internal;

import java.util.Arrays;

/**
 * The cache key of a question: its name in wire form, lower-cased, its type (the class is always IN) and
 * the two DNSSEC bits that change the answer: DO (RFC 3225 §3: RRSIG, NSEC and NSEC3 records only for a
 * client that asked for them) and CD (RFC 4035 §3.2.2: the upstream does not validate). A client without
 * DO thus never gets the larger signed answer another client caused to be cached, and the reverse.
 */
final class CacheKey {

    private final byte[] bytes;
    private final int hash;

    private CacheKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key of the name at {@code packet[from, to)} (wire form, uncompressed) and {@code type}, without DO or CD. */
    static CacheKey of(byte[] packet, int from, int to, int type) {
        return of(packet, from, to, type, false, false);
    }

    /** The key of the name at {@code packet[from, to)}, {@code type} and the query's DO and CD bits. */
    static CacheKey of(byte[] packet, int from, int to, int type, boolean dnssecOk, boolean checkingDisabled) {
        int n = to - from;
        byte[] b = new byte[n + 3];
        for (int i = 0; i < n; i++) {
            byte c = packet[from + i];
            b[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        b[n] = (byte) (type >> 8);
        b[n + 1] = (byte) type;
        b[n + 2] = (byte) ((dnssecOk ? 1 : 0) | (checkingDisabled ? 2 : 0));
        return new CacheKey(b);
    }

    /** Bytes this key holds, for the cache's memory bound. */
    int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
