package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input, each case with the checks charon itself makes: {@code vici_message.c}
 * ({@code vici_verify_type}, {@code parse_enumerate}: unknown types, items outside lists, other
 * elements inside lists, SECTION_END outside a section, names that are not printable), {@code libvici.c}
 * ({@code on_read}: length prefix above VICI_MESSAGE_SIZE_MAX or below one byte, unknown packet types)
 * and the README (balanced sections, closed lists, unique keys), strongswan/strongswan at 3b902ea59b86.
 * Every case must end in a {@link ViciProtocolException} that says what and where.
 */
class ViciMalformedInputTest {

    static AbstractThrowableAssert<?, ? extends Throwable> decodingMessage(int... bytes) {
        return assertThatThrownBy(() -> ViciCodec.decodeMessage(bytes(bytes))).isInstanceOf(ViciProtocolException.class);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void truncatedElements() {
        decodingMessage(3).hasMessage("truncated: length of key at offset 1 needs 1 bytes, 0 left");
        decodingMessage(3, 4, 'k', 'e').hasMessage("truncated: key of 4 bytes at offset 2 needs 4 bytes, 2 left");
        decodingMessage(3, 1, 'k', 0).hasMessage("truncated: length of value of key 'k' at offset 3 needs 2 bytes, 1 left");
        decodingMessage(3, 1, 'k', 0, 6, 'v', 'a', 'l').hasMessage("truncated: value of key 'k' of 6 bytes at offset 5 needs 6 bytes, 3 left");
        decodingMessage(4, 1, 'l', 5, 0, 2, 'x').hasMessage("truncated: list item value of 2 bytes at offset 6 needs 2 bytes, 1 left");
        decodingMessage(1, (byte) 255, 'a', 'b').hasMessage("truncated: section name of 255 bytes at offset 2 needs 255 bytes, 2 left");
    }

    @Test
    void everyTruncationOfTheReadmeExampleIsRefused() {
        byte[] readme = ViciReadmeExampleTest.README_MESSAGE;
        for (int cut = 1; cut < readme.length; cut++) {
            byte[] prefix = Arrays.copyOf(readme, cut);
            if (cut == 14) { // "key1 = value1" alone is a whole message
                assertThat(catchThrowableOfType(() -> ViciCodec.decodeMessage(prefix), ViciProtocolException.class)).isNull();
                continue;
            }
            int at = cut;
            assertThatThrownBy(() -> ViciCodec.decodeMessage(prefix)).as("cut at %d", at)
                    .isInstanceOf(ViciProtocolException.class)
                    .hasMessageMatching("(truncated|unterminated).*");
        }
    }

    @Test
    void oversizedInput() {
        assertThatThrownBy(() -> ViciCodec.decodeMessage(new byte[ViciLimits.MAX_SEGMENT_LENGTH + 1]))
                .isInstanceOf(ViciProtocolException.class)
                .hasMessage("VICI segment of 524289 bytes exceeds strongSwan's limit of 524288 bytes (VICI_MESSAGE_SIZE_MAX)");
        byte[] packet = new byte[ViciLimits.MAX_SEGMENT_LENGTH + 1];
        packet[0] = 1;
        assertThatThrownBy(() -> ViciCodec.decodePacket(packet)).isInstanceOf(ViciProtocolException.class)
                .hasMessageContaining("524289 bytes exceeds");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 0x7f, 0xff})
    void unknownElementTypes(int type) {
        decodingMessage(type, 1, 'k', 0, 0).hasMessage(String.format("unknown element type 0x%02x at offset 0", type));
        decodingMessage(3, 1, 'k', 0, 0, type).hasMessage(String.format("unknown element type 0x%02x at offset 5", type));
        decodingMessage(4, 1, 'l', type).hasMessageStartingWith(String.format("unknown element type 0x%02x at offset 3 inside list 'l'", type));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 0x80, 0xff})
    void unknownPacketTypes(int type) {
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(type, 3, 'a', 'b', 'c')))
                .isInstanceOf(ViciProtocolException.class)
                .hasMessage(String.format("unknown packet type 0x%02x at offset 0", type));
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0, 0, 0, 1, type)))
                .isInstanceOf(ViciProtocolException.class)
                .hasMessage(String.format("unknown packet type 0x%02x at offset 4", type));
    }

    @Test
    void unterminatedSections() {
        decodingMessage(1, 1, 's').hasMessage("unterminated section 's' opened at offset 0: message ends with 1 section(s) open");
        decodingMessage(1, 1, 'a', 1, 1, 'b', 3, 1, 'k', 0, 0, 2)
                .hasMessage("unterminated section 'a' opened at offset 0: message ends with 1 section(s) open");
        decodingMessage(1, 1, 'a', 1, 1, 'b')
                .hasMessage("unterminated section 'b' opened at offset 3: message ends with 2 section(s) open");
    }

    @Test
    void unterminatedLists() {
        decodingMessage(4, 1, 'l').hasMessage("unterminated list 'l' opened at offset 0: message ends without LIST_END");
        decodingMessage(1, 1, 's', 4, 1, 'l', 5, 0, 0)
                .hasMessage("unterminated list 'l' opened at offset 3: message ends without LIST_END");
    }

    @Test
    void sectionEndWithoutASection() {
        decodingMessage(2).hasMessage("SECTION_END at offset 0 without an open section");
        decodingMessage(1, 1, 's', 2, 2).hasMessage("SECTION_END at offset 4 without an open section");
    }

    @Test
    void listItemsAndListEndsOutsideAList() {
        decodingMessage(5, 0, 1, 'x').hasMessage("LIST_ITEM at offset 0 outside a list");
        decodingMessage(4, 1, 'l', 6, 5, 0, 0).hasMessage("LIST_ITEM at offset 4 outside a list");
        decodingMessage(6).hasMessage("LIST_END at offset 0 outside a list");
    }

    @Test
    void onlyItemsMayAppearInAList() {
        decodingMessage(4, 1, 'l', 3, 1, 'k', 0, 0)
                .hasMessage("KEY_VALUE at offset 3 inside list 'l': only LIST_ITEM and LIST_END may appear in a list");
        decodingMessage(4, 1, 'l', 1, 1, 's', 2).hasMessageStartingWith("SECTION_START at offset 3 inside list 'l'");
        decodingMessage(4, 1, 'l', 4, 1, 'm', 6, 6).hasMessageStartingWith("LIST_START at offset 3 inside list 'l'");
        decodingMessage(1, 1, 's', 4, 1, 'l', 2).hasMessageStartingWith("SECTION_END at offset 6 inside list 'l'");
    }

    @Test
    void namesThatAreNotPrintableAscii() {
        decodingMessage(3, 2, 'a', 0, 0, 0).hasMessage("key at offset 1 has byte 0x00 at offset 3, not printable ASCII");
        decodingMessage(1, 1, 0xc3, 2).hasMessage("section name at offset 1 has byte 0xc3 at offset 2, not printable ASCII");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(7, 2, 'a', 0x7f)))
                .isInstanceOf(ViciProtocolException.class).hasMessageStartingWith("EVENT name at offset 1 has byte 0x7f");
    }

    @Test
    void duplicateNamesInOneSection() {
        decodingMessage(3, 1, 'k', 0, 0, 3, 1, 'k', 0, 0)
                .hasMessage("duplicate name 'k' at offset 6 in the root section: names must be unique in a section");
        decodingMessage(1, 1, 's', 4, 1, 'x', 6, 3, 1, 'x', 0, 0, 2)
                .hasMessage("duplicate name 'x' at offset 8 in section 's': names must be unique in a section");
        decodingMessage(1, 1, 'x', 2, 4, 1, 'x', 6).hasMessage("duplicate name 'x' at offset 5 in the root section: names must be unique in a section");
        // the same name in different sections is fine
        assertThat(catchThrowableOfType(() -> ViciCodec.decodeMessage(bytes(3, 1, 'k', 0, 0, 1, 1, 's', 3, 1, 'k', 0, 0, 2)),
                ViciProtocolException.class)).isNull();
    }

    @Test
    void nestingDeeperThan64SectionsIsRefusedWithoutExhaustingTheStack() {
        byte[] hostile = new byte[ViciLimits.MAX_SEGMENT_LENGTH]; // 262,144 SECTION_STARTs with empty names
        for (int i = 0; i < hostile.length; i += 2) {
            hostile[i] = 1;
        }
        assertThatThrownBy(() -> ViciCodec.decodeMessage(hostile)).isInstanceOf(ViciProtocolException.class)
                .hasMessage("section '' at offset 128 nests deeper than 64 sections");
    }

    @Test
    void lengthPrefixesOutOfRange() {
        assertThatThrownBy(() -> ViciCodec.segmentLength(0)).isInstanceOf(ViciProtocolException.class)
                .hasMessage("length prefix 0: a VICI packet has at least its type byte");
        assertThatThrownBy(() -> ViciCodec.segmentLength(524289)).isInstanceOf(ViciProtocolException.class)
                .hasMessageContaining("524289 bytes exceeds");
        // a "negative" prefix is a huge unsigned length, refused before anything is allocated
        assertThatThrownBy(() -> ViciCodec.segmentLength(-1)).isInstanceOf(ViciProtocolException.class)
                .hasMessageContaining("4294967295 bytes exceeds");
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0x80, 0, 0, 0, 1))).isInstanceOf(ViciProtocolException.class)
                .hasMessageContaining("2147483648 bytes exceeds");
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0x7f, 0xff, 0xff, 0xff))).isInstanceOf(ViciProtocolException.class)
                .hasMessageContaining("2147483647 bytes exceeds");
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0, 0, 0, 0))).isInstanceOf(ViciProtocolException.class)
                .hasMessageStartingWith("length prefix 0");
    }

    @Test
    void framesThatDoNotMatchTheirPrefix() {
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0, 0, 0))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("truncated: length prefix needs 4 bytes, 3 given");
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0, 0, 0, 2, 5))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("truncated: length prefix says 2 bytes, 1 follow");
        assertThatThrownBy(() -> ViciCodec.decodeFrame(bytes(0, 0, 0, 1, 5, 5))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("trailing data: length prefix says 1 bytes, 2 follow");
    }

    @Test
    void malformedPackets() {
        assertThatThrownBy(() -> ViciCodec.decodePacket(new byte[0])).isInstanceOf(ViciProtocolException.class)
                .hasMessage("empty packet: a VICI packet has at least its type byte");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(7))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("truncated: length of EVENT name at offset 1 needs 1 bytes, 0 left");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(0, 5, 'a'))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("truncated: CMD_REQUEST name of 5 bytes at offset 2 needs 5 bytes, 1 left");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(5, 3, 1, 'k', 0, 0))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("trailing data: EVENT_CONFIRM carries no message, but 5 bytes follow at offset 1");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(3, 1, 'x', 3))).isInstanceOf(ViciProtocolException.class)
                .hasMessage("trailing data: EVENT_REGISTER carries no message, but 1 bytes follow at offset 3");
        assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(1, 1, 1, 's'))).isInstanceOf(ViciProtocolException.class)
                .hasMessageStartingWith("unterminated section 's' opened at offset 1");
    }
}
