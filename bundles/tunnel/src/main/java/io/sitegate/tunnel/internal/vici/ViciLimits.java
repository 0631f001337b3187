package io.sitegate.tunnel.internal.vici;

import java.nio.charset.StandardCharsets;

/**
 * The size limits of the VICI protocol, as strongSwan enforces them, plus one of Sitegate's own.
 */
public final class ViciLimits {

    /**
     * Largest transport segment (packet type, name and message; the 4-byte length prefix not included):
     * {@code VICI_MESSAGE_SIZE_MAX (512 * 1024)} in strongSwan's {@code vici_socket.h}; charon and
     * libvici refuse a length prefix above it ({@code vici_socket.c do_read}, {@code libvici.c on_read}),
     * and the README says "limited to 512KB".
     */
    public static final int MAX_SEGMENT_LENGTH = 512 * 1024;

    /** Size of the big-endian length prefix of a transport segment, in bytes. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    /** Longest name (packet, section, key or list name): an 8-bit length header ({@code vici_builder.c}). */
    public static final int MAX_NAME_LENGTH = 0xff;

    /** Longest value (key/value or list item): a 16-bit length header ({@code vici_builder.c}). */
    public static final int MAX_VALUE_LENGTH = 0xffff;

    /**
     * Deepest section nesting Sitegate encodes or decodes. strongSwan sets no limit ("nested to
     * arbitrary levels"); its own messages nest a handful of levels. The limit keeps a hostile message of
     * 262,144 nested empty sections from exhausting the stack of whoever walks the tree.
     */
    public static final int MAX_SECTION_DEPTH = 64;

    private ViciLimits() {
    }

    /**
     * Checks a name the way charon does ({@code vici_stringify}: every byte {@code isprint} in the C
     * locale, i.e. printable ASCII 0x20-0x7e) and the 255-byte limit.
     *
     * @param name the name
     * @param what what the name names, for the message ("key", "event name", ...)
     * @return the name's bytes
     * @throws IllegalArgumentException if the name is null, too long or not printable ASCII
     */
    static byte[] checkName(String name, String what) {
        if (name == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " is " + name.length() + " bytes long, VICI allows at most "
                    + MAX_NAME_LENGTH + ": '" + name.substring(0, 32) + "...'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isPrintable(c)) {
                throw new IllegalArgumentException(what + " '" + io.sitegate.core.SafeText.escape(name)
                        + "' has a character outside printable ASCII at index " + i + ", which charon refuses");
            }
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isPrintable(int c) {
        return c >= 0x20 && c <= 0x7e;
    }
}
