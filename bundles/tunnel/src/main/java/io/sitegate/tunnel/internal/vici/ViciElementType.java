package io.sitegate.tunnel.internal.vici;

/**
 * The message element types (strongSwan's README, "Message format"; {@code vici_message.h}). Types 0
 * and 7 exist in charon's C enum only as markers for its argument lists ("never encoded") and are
 * unknown on the wire here.
 */
final class ViciElementType {

    static final int SECTION_START = 1;
    static final int SECTION_END = 2;
    static final int KEY_VALUE = 3;
    static final int LIST_START = 4;
    static final int LIST_ITEM = 5;
    static final int LIST_END = 6;

    private static final String[] NAMES = {
        null, "SECTION_START", "SECTION_END", "KEY_VALUE", "LIST_START", "LIST_ITEM", "LIST_END"
    };

    private ViciElementType() {
    }

    static String describe(int type) {
        return type > 0 && type < NAMES.length ? NAMES[type] : String.format("unknown element type 0x%02x", type);
    }
}
