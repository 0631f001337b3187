package io.sitegate.tunnel.internal.vici;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of a VICI byte sequence, refusing to read past its end. Every length is checked
 * against the bytes that remain before anything is allocated, so a length field never sizes a buffer.
 */
final class ViciReader {

    private final byte[] data;
    private final int end;
    private int position;

    ViciReader(byte[] data, int from, int end) {
        this.data = data;
        this.position = from;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    int u8(String what) throws ViciProtocolException {
        need(1, what);
        return data[position++] & 0xff;
    }

    int u16(String what) throws ViciProtocolException {
        need(2, what);
        int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
        position += 2;
        return value;
    }

    /** An 8-bit length, then that many bytes of printable ASCII. */
    String name(String what) throws ViciProtocolException {
        int at = position;
        int length = u8("length of " + what);
        need(length, what + " of " + length + " bytes");
        for (int i = position; i < position + length; i++) {
            if (!ViciLimits.isPrintable(data[i] & 0xff)) {
                throw new ViciProtocolException(what + " at offset " + at + " has byte 0x"
                        + String.format("%02x", data[i] & 0xff) + " at offset " + i + ", not printable ASCII");
            }
        }
        String name = new String(data, position, length, StandardCharsets.US_ASCII);
        position += length;
        return name;
    }

    /** A 16-bit length, then that many bytes. */
    byte[] blob(String what) throws ViciProtocolException {
        int length = u16("length of " + what);
        need(length, what + " of " + length + " bytes");
        byte[] value = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return value;
    }

    private void need(int count, String what) throws ViciProtocolException {
        if (end - position < count) {
            throw new ViciProtocolException("truncated: " + what + " at offset " + position + " needs " + count
                    + " bytes, " + (end - position) + " left");
        }
    }
}
