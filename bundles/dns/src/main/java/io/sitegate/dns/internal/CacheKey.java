package io.sitegate.dns.internal;

import java.util.Arrays;

/** The cache key of a question: its name in wire form, lower-cased, and its type (the class is always IN). */
final class CacheKey {

    private final byte[] bytes;
    private final int hash;

    private CacheKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key of the name at {@code packet[from, to)} (wire form, uncompressed) and {@code type}. */
    static CacheKey of(byte[] packet, int from, int to, int type) {
        int n = to - from;
        byte[] b = new byte[n + 2];
        for (int i = 0; i < n; i++) {
            byte c = packet[from + i];
            b[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        b[n] = (byte) (type >> 8);
        b[n + 1] = (byte) type;
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
