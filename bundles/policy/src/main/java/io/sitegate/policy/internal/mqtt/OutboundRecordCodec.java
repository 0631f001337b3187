package io.sitegate.policy.internal.mqtt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one queued message, pure: bytes in, records out, no I/O.
 *
 * <pre>
 * offset size
 *  0     4    magic "SGQ1" (0x53475131)
 *  4     4    body length n (big-endian)
 *  8     8    sequence number
 * 16     4    CRC-32C of bytes [4, 16) and of the body
 * 20     n    body: u16 topic length, topic (UTF-8), u8 QoS, u8 flags (bit 0 = retained), payload
 * </pre>
 *
 * The CRC covers the length and the sequence too, so a flipped bit anywhere but in the magic is
 * detected; a record whose length runs past the end of the file is a torn write.
 */
final class OutboundRecordCodec {
    static final int MAGIC = 0x53475131;
    static final int HEADER = 20;
    static final int MIN_BODY = 4;

    private OutboundRecordCodec() {
    }

    /** The encoded record, ready to append. */
    static ByteBuffer encode(long seq, String topic, byte[] payload, int qos, boolean retained) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int n = 2 + t.length + 2 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + n).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(n).putLong(seq).putInt(0);
        b.putShort((short) t.length).put(t).put((byte) qos).put((byte) (retained ? 1 : 0)).put(payload);
        b.putInt(16, crc(b.array(), 0, n));
        b.flip();
        return b;
    }

    /** Outcome of reading at one offset. */
    enum Status { OK, TORN, CORRUPT }

    /** A decoded record, or why there is none at that offset. */
    record Decoded(Status status, long seq, int length, String topic, byte[] payload, int qos, boolean retained) {
        static Decoded of(Status status) {
            return new Decoded(status, -1, 0, null, null, 0, false);
        }
    }

    /**
     * Decodes the record at {@code pos} of {@code data[0, limit)}. {@code TORN}: the file ends inside
     * the record (header or body); {@code CORRUPT}: bad magic, impossible length, CRC mismatch or a
     * malformed body. {@code maxBody} bounds the length field so garbage never allocates much.
     */
    static Decoded decode(byte[] data, int pos, int limit, int maxBody) {
        if (limit - pos < HEADER) {
            return Decoded.of(Status.TORN);
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, limit).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(pos) != MAGIC) {
            return Decoded.of(Status.CORRUPT);
        }
        int n = b.getInt(pos + 4);
        if (n < MIN_BODY || n > maxBody) {
            return Decoded.of(Status.CORRUPT);
        }
        if ((long) limit - pos - HEADER < n) {
            return Decoded.of(Status.TORN);
        }
        if (b.getInt(pos + 16) != crc(data, pos, n)) {
            return Decoded.of(Status.CORRUPT);
        }
        long seq = b.getLong(pos + 8);
        int body = pos + HEADER;
        int tlen = b.getShort(body) & 0xffff;
        if (2 + tlen + 2 > n) {
            return Decoded.of(Status.CORRUPT);
        }
        String topic = new String(data, body + 2, tlen, StandardCharsets.UTF_8);
        int qos = data[body + 2 + tlen];
        boolean retained = (data[body + 3 + tlen] & 1) != 0;
        int plen = n - 4 - tlen;
        byte[] payload = new byte[plen];
        System.arraycopy(data, body + 4 + tlen, payload, 0, plen);
        if (seq < 1 || qos < 0 || qos > 2) {
            return Decoded.of(Status.CORRUPT);
        }
        return new Decoded(Status.OK, seq, HEADER + n, topic, payload, qos, retained);
    }

    /**
     * The offset of the next valid record after a bad one at {@code pos}, or -1: a scan for the magic
     * followed by a record whose CRC checks. Used to skip one corrupt record and keep the rest.
     */
    static int resync(byte[] data, int pos, int limit, int maxBody) {
        for (int p = pos + 1; p + HEADER <= limit; p++) {
            if (data[p] == 0x53 && data[p + 1] == 0x47 && data[p + 2] == 0x51 && data[p + 3] == 0x31
                    && decode(data, p, limit, maxBody).status() == Status.OK) {
                return p;
            }
        }
        return -1;
    }

    private static int crc(byte[] record, int pos, int bodyLength) {
        CRC32C c = new CRC32C();
        c.update(record, pos + 4, 12);
        c.update(record, pos + HEADER, bodyLength);
        return (int) c.getValue();
    }
}
