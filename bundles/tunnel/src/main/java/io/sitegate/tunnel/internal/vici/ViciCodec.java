package io.sitegate.tunnel.internal.vici;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes VICI messages, packets and transport frames (strongSwan's
 * {@code src/libcharon/plugins/vici/README.md}):
 * <ul>
 * <li>a frame is a 32-bit big-endian length, then that many bytes of packet, at most
 *     {@value ViciLimits#MAX_SEGMENT_LENGTH} ({@code VICI_MESSAGE_SIZE_MAX});</li>
 * <li>a packet is a type byte, for named types an 8-bit name length and the name, then for
 *     CMD_REQUEST, CMD_RESPONSE and EVENT the message;</li>
 * <li>a message is a sequence of elements, see {@link ViciSection}.</li>
 * </ul>
 * Pure and stateless. Decoding throws only {@link ViciProtocolException}; encoding refuses, with the
 * same exception, a packet that strongSwan would refuse as too large.
 */
public final class ViciCodec {

    private ViciCodec() {
    }

    /**
     * @param message a message
     * @return its element sequence
     * @throws ViciProtocolException if it is larger than a segment may be
     */
    public static byte[] encodeMessage(ViciSection message) throws ViciProtocolException {
        ByteBuffer out = ByteBuffer.allocate(checkedSize(ViciMessageEncoder.size(message), "message"));
        ViciMessageEncoder.write(message, out);
        return out.array();
    }

    /**
     * @param bytes a whole element sequence
     * @return the message
     * @throws ViciProtocolException if the bytes are not a valid message or exceed a segment
     */
    public static ViciSection decodeMessage(byte[] bytes) throws ViciProtocolException {
        checkSegmentLength(bytes.length);
        return ViciMessageDecoder.decode(new ViciReader(bytes, 0, bytes.length));
    }

    /**
     * @param packet a packet
     * @return its bytes, without the length prefix
     * @throws ViciProtocolException if it is larger than {@value ViciLimits#MAX_SEGMENT_LENGTH} bytes
     */
    public static byte[] encodePacket(ViciPacket packet) throws ViciProtocolException {
        return encode(packet, 0);
    }

    /**
     * @param bytes a whole packet, without the length prefix
     * @return the packet
     * @throws ViciProtocolException if it is empty, too large, of an unknown type, or malformed
     */
    public static ViciPacket decodePacket(byte[] bytes) throws ViciProtocolException {
        return decodePacket(bytes, 0, bytes.length);
    }

    /**
     * @param packet a packet
     * @return the length prefix and the packet, ready for the socket
     * @throws ViciProtocolException if the packet is larger than {@value ViciLimits#MAX_SEGMENT_LENGTH} bytes
     */
    public static byte[] encodeFrame(ViciPacket packet) throws ViciProtocolException {
        byte[] frame = encode(packet, ViciLimits.LENGTH_PREFIX_BYTES);
        ByteBuffer.wrap(frame).putInt(frame.length - ViciLimits.LENGTH_PREFIX_BYTES);
        return frame;
    }

    /**
     * @param bytes exactly one frame: length prefix and packet
     * @return the packet
     * @throws ViciProtocolException if the prefix is out of range, or does not match the bytes that
     *         follow (truncated or trailing data), or the packet is malformed
     */
    public static ViciPacket decodeFrame(byte[] bytes) throws ViciProtocolException {
        if (bytes.length < ViciLimits.LENGTH_PREFIX_BYTES) {
            throw new ViciProtocolException("truncated: length prefix needs " + ViciLimits.LENGTH_PREFIX_BYTES
                    + " bytes, " + bytes.length + " given");
        }
        int length = segmentLength(ByteBuffer.wrap(bytes).getInt());
        int body = bytes.length - ViciLimits.LENGTH_PREFIX_BYTES;
        if (body != length) {
            throw new ViciProtocolException((body < length ? "truncated" : "trailing data") + ": length prefix says "
                    + length + " bytes, " + body + " follow");
        }
        return decodePacket(bytes, ViciLimits.LENGTH_PREFIX_BYTES, bytes.length);
    }

    /**
     * Checks a length prefix as read from the wire, before anything is allocated for the segment. Like
     * libvici, an empty segment is refused: every packet has at least its type byte.
     *
     * @param prefix the 32 bits of the prefix, as a signed int (a set top bit means more than 2 GiB)
     * @return the segment length, 1 to {@value ViciLimits#MAX_SEGMENT_LENGTH}
     * @throws ViciProtocolException if it is 0 or larger than {@value ViciLimits#MAX_SEGMENT_LENGTH}
     */
    public static int segmentLength(int prefix) throws ViciProtocolException {
        long length = Integer.toUnsignedLong(prefix);
        if (length == 0) {
            throw new ViciProtocolException("length prefix 0: a VICI packet has at least its type byte");
        }
        checkSegmentLength(length);
        return (int) length;
    }

    private static void checkSegmentLength(long length) throws ViciProtocolException {
        if (length > ViciLimits.MAX_SEGMENT_LENGTH) {
            throw new ViciProtocolException("VICI segment of " + length + " bytes exceeds strongSwan's limit of "
                    + ViciLimits.MAX_SEGMENT_LENGTH + " bytes (VICI_MESSAGE_SIZE_MAX)");
        }
    }

    private static int checkedSize(long size, String what) throws ViciProtocolException {
        if (size > ViciLimits.MAX_SEGMENT_LENGTH) {
            throw new ViciProtocolException(what + " of " + size + " bytes exceeds strongSwan's limit of "
                    + ViciLimits.MAX_SEGMENT_LENGTH + " bytes per packet (VICI_MESSAGE_SIZE_MAX)");
        }
        return (int) size;
    }

    private static byte[] encode(ViciPacket packet, int reserve) throws ViciProtocolException {
        ViciPacketType type = packet.type();
        String name = packet.name().orElse(null);
        long size = 1 + (type.isNamed() ? 1 + name.length() : 0)
                + (type.carriesMessage() ? ViciMessageEncoder.size(packet.message()) : 0);
        ByteBuffer out = ByteBuffer.allocate(reserve + checkedSize(size, type + " packet"));
        out.position(reserve);
        if (type.isNamed()) {
            ViciMessageEncoder.name(out, type.code(), name);
        } else {
            out.put((byte) type.code());
        }
        if (type.carriesMessage()) {
            ViciMessageEncoder.write(packet.message(), out);
        }
        return out.array();
    }

    private static ViciPacket decodePacket(byte[] bytes, int from, int end) throws ViciProtocolException {
        int length = end - from;
        if (length == 0) {
            throw new ViciProtocolException("empty packet: a VICI packet has at least its type byte");
        }
        checkSegmentLength(length);
        ViciReader in = new ViciReader(bytes, from, end);
        int code = in.u8("packet type");
        ViciPacketType type = ViciPacketType.fromCode(code).orElseThrow(() -> new ViciProtocolException(
                String.format("unknown packet type 0x%02x at offset %d", code, from)));
        String name = type.isNamed() ? in.name(type + " name") : null;
        ViciSection message = null;
        if (type.carriesMessage()) {
            message = ViciMessageDecoder.decode(in);
        } else if (in.hasMore()) {
            throw new ViciProtocolException("trailing data: " + type + " carries no message, but " + in.remaining()
                    + " bytes follow at offset " + in.position());
        }
        return ViciPacket.of(type, name, message);
    }
}
