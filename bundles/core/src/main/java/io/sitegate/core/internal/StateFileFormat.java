package io.sitegate.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The on-disk format of one state document generation: a 32-byte header, then the content.
 *
 * <pre>
 *  0  magic "SGST"          4 bytes
 *  4  format version (1)    int
 *  8  generation            long
 * 16  written, epoch ms     long
 * 24  content length        int
 * 28  CRC-32C of bytes 0..27 and the content
 * 32  content
 * </pre>
 *
 * A file shorter or longer than its header says is torn; a checksum mismatch is corruption.
 */
final class StateFileFormat {
    static final int HEADER_BYTES = 32;
    private static final byte[] MAGIC = "SGST".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private StateFileFormat() {
    }

    /** A decoded generation. */
    record Decoded(long generation, Instant written, byte[] content) {
    }

    /** The file could not be decoded; the message says why in plain words. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    static byte[] encode(long generation, Instant written, byte[] content) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + content.length);
        buf.put(MAGIC).putInt(VERSION).putLong(generation).putLong(written.toEpochMilli()).putInt(content.length);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 28);
        crc.update(content);
        buf.putInt((int) crc.getValue()).put(content);
        return buf.array();
    }

    static Decoded decode(byte[] file) throws Unusable {
        if (file.length < HEADER_BYTES) {
            throw new Unusable("torn: " + file.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(file);
        byte[] magic = new byte[4];
        buf.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new Unusable("not a Sitegate state file (bad magic)");
        }
        int version = buf.getInt();
        if (version != VERSION) {
            throw new Unusable("unknown format version " + version);
        }
        long generation = buf.getLong();
        long writtenMs = buf.getLong();
        int length = buf.getInt();
        int storedCrc = buf.getInt();
        if (length < 0 || HEADER_BYTES + (long) length != file.length) {
            throw new Unusable("torn: header announces " + length + " content bytes, file holds "
                    + (file.length - HEADER_BYTES));
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, 28);
        crc.update(file, HEADER_BYTES, length);
        if ((int) crc.getValue() != storedCrc) {
            throw new Unusable("checksum mismatch (stored " + Integer.toHexString(storedCrc) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + ")");
        }
        byte[] content = new byte[length];
        System.arraycopy(file, HEADER_BYTES, content, 0, length);
        return new Decoded(generation, Instant.ofEpochMilli(writtenMs), content);
    }
}
