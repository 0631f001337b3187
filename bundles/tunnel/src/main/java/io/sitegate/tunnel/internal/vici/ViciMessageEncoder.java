package io.sitegate.tunnel.internal.vici;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes a {@link ViciSection} as a VICI element sequence, the way strongSwan's
 * {@code vici_builder.c} and {@code python/vici/protocol.py} do. The model already enforces names,
 * value sizes and nesting, so encoding cannot fail; the size is known before a byte is written.
 */
final class ViciMessageEncoder {

    private ViciMessageEncoder() {
    }

    /** Bytes the section's elements take (recursion is bounded by the model's nesting limit). */
    static long size(ViciSection section) {
        long size = 0;
        for (Map.Entry<String, ViciElement> e : section.entries().entrySet()) {
            size += 2 + e.getKey().length();
            ViciElement element = e.getValue();
            if (element instanceof ViciValue v) {
                size += 2 + v.length();
            } else if (element instanceof ViciList l) {
                for (ViciValue item : l.items()) {
                    size += 3 + item.length();
                }
                size += 1;
            } else if (element instanceof ViciSection s) {
                size += size(s) + 1;
            }
        }
        return size;
    }

    static void write(ViciSection section, ByteBuffer out) {
        for (Map.Entry<String, ViciElement> e : section.entries().entrySet()) {
            ViciElement element = e.getValue();
            if (element instanceof ViciValue v) {
                name(out, ViciElementType.KEY_VALUE, e.getKey());
                blob(out, v);
            } else if (element instanceof ViciList l) {
                name(out, ViciElementType.LIST_START, e.getKey());
                for (ViciValue item : l.items()) {
                    out.put((byte) ViciElementType.LIST_ITEM);
                    blob(out, item);
                }
                out.put((byte) ViciElementType.LIST_END);
            } else if (element instanceof ViciSection s) {
                name(out, ViciElementType.SECTION_START, e.getKey());
                write(s, out);
                out.put((byte) ViciElementType.SECTION_END);
            }
        }
    }

    static void name(ByteBuffer out, int type, String name) {
        out.put((byte) type);
        out.put((byte) name.length());
        out.put(name.getBytes(StandardCharsets.US_ASCII));
    }

    private static void blob(ByteBuffer out, ViciValue value) {
        out.putShort((short) value.length());
        out.put(value.unsafeBytes());
    }
}
