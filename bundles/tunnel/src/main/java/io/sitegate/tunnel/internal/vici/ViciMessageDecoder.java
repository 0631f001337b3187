package io.sitegate.tunnel.internal.vici;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Decodes a VICI message (a sequence of elements) into a {@link ViciSection}, with the checks of
 * charon's {@code vici_message.c} ({@code vici_verify_type}, {@code parse_enumerate}) plus unique names
 * and a nesting limit. Iterative, so a deeply nested message cannot overflow the stack.
 */
final class ViciMessageDecoder {

    /** A section being read: its builder, and the name and offset it was opened with. */
    private record Open(ViciSection.Builder builder, String name, int offset) {
    }

    private ViciMessageDecoder() {
    }

    static ViciSection decode(ViciReader in) throws ViciProtocolException {
        Deque<Open> open = new ArrayDeque<>();
        Open current = new Open(ViciSection.builder(), null, in.position());
        String listName = null;
        int listOffset = -1;
        List<ViciValue> items = null;

        while (in.hasMore()) {
            int offset = in.position();
            int type = in.u8("element type");
            if (items != null) {
                if (type == ViciElementType.LIST_ITEM) {
                    items.add(ViciValue.wrap(in.blob("list item value")));
                } else if (type == ViciElementType.LIST_END) {
                    current.builder().put(listName, new ViciList(items));
                    items = null;
                } else {
                    throw new ViciProtocolException(ViciElementType.describe(type) + " at offset " + offset
                            + " inside list '" + listName + "': only LIST_ITEM and LIST_END may appear in a list");
                }
                continue;
            }
            switch (type) {
                case ViciElementType.SECTION_START -> {
                    String name = uniqueName(in, current, "section name");
                    if (open.size() + 1 > ViciLimits.MAX_SECTION_DEPTH) {
                        throw new ViciProtocolException("section '" + name + "' at offset " + offset + " nests deeper than "
                                + ViciLimits.MAX_SECTION_DEPTH + " sections");
                    }
                    open.push(current);
                    current = new Open(ViciSection.builder(), name, offset);
                }
                case ViciElementType.SECTION_END -> {
                    if (open.isEmpty()) {
                        throw new ViciProtocolException("SECTION_END at offset " + offset + " without an open section");
                    }
                    ViciSection done = current.builder().build();
                    String name = current.name();
                    current = open.pop();
                    current.builder().put(name, done);
                }
                case ViciElementType.KEY_VALUE -> {
                    String key = uniqueName(in, current, "key");
                    current.builder().put(key, ViciValue.wrap(in.blob("value of key '" + key + "'")));
                }
                case ViciElementType.LIST_START -> {
                    listName = uniqueName(in, current, "list name");
                    listOffset = offset;
                    items = new ArrayList<>();
                }
                case ViciElementType.LIST_ITEM, ViciElementType.LIST_END ->
                    throw new ViciProtocolException(ViciElementType.describe(type) + " at offset " + offset + " outside a list");
                default ->
                    throw new ViciProtocolException(ViciElementType.describe(type) + " at offset " + offset);
            }
        }
        if (items != null) {
            throw new ViciProtocolException("unterminated list '" + listName + "' opened at offset " + listOffset
                    + ": message ends without LIST_END");
        }
        if (!open.isEmpty()) {
            throw new ViciProtocolException("unterminated section '" + current.name() + "' opened at offset "
                    + current.offset() + ": message ends with " + open.size() + " section(s) open");
        }
        return current.builder().build();
    }

    private static String uniqueName(ViciReader in, Open section, String what) throws ViciProtocolException {
        int offset = in.position();
        String name = in.name(what);
        if (section.builder().contains(name)) {
            throw new ViciProtocolException("duplicate name '" + name + "' at offset " + offset + " in "
                    + (section.name() == null ? "the root section" : "section '" + section.name() + "'")
                    + ": names must be unique in a section");
        }
        return name;
    }
}
