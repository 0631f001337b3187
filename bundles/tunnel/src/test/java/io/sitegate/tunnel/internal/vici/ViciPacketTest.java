package io.sitegate.tunnel.internal.vici;

import static io.sitegate.tunnel.internal.vici.ViciMalformedInputTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The packet layer and transport framing of strongSwan's {@code src/libcharon/plugins/vici/README.md}
 * ("Transport protocol", "Packet layer") and {@code python/vici/protocol.py} ({@code Transport},
 * {@code Packet}), strongswan/strongswan at 3b902ea59b86: a 32-bit big-endian length of the data only,
 * an 8-bit packet type, an 8-bit name length and the name for named types, then the message.
 */
class ViciPacketTest {

    static final ViciSection MESSAGE = ViciSection.builder().put("ike", "primary").build();
    static final byte[] MESSAGE_BYTES = {3, 3, 'i', 'k', 'e', 0, 7, 'p', 'r', 'i', 'm', 'a', 'r', 'y'};

    @Test
    void typeNumbersAndShapesAreTheReadmes() {
        assertThat(ViciPacketType.values()).extracting(ViciPacketType::code).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(ViciPacketType.values()).filteredOn(ViciPacketType::isNamed)
                .containsExactly(ViciPacketType.CMD_REQUEST, ViciPacketType.EVENT_REGISTER, ViciPacketType.EVENT_UNREGISTER, ViciPacketType.EVENT);
        assertThat(ViciPacketType.values()).filteredOn(ViciPacketType::carriesMessage)
                .containsExactly(ViciPacketType.CMD_REQUEST, ViciPacketType.CMD_RESPONSE, ViciPacketType.EVENT);
        assertThat(ViciPacketType.fromCode(8)).isEmpty();
        assertThat(ViciPacketType.fromCode(-1)).isEmpty();
    }

    @Test
    void commandRequestWithAndWithoutArguments() throws Exception {
        assertRoundTrip(ViciPacket.request("version", null), 0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n');
        assertRoundTrip(ViciPacket.request("initiate", MESSAGE), concat(bytes(0, 8, 'i', 'n', 'i', 't', 'i', 'a', 't', 'e'), MESSAGE_BYTES));
    }

    @Test
    void commandResponseEmptyAndWithAMessage() throws Exception {
        assertRoundTrip(ViciPacket.response(null), 1);
        assertRoundTrip(ViciPacket.response(MESSAGE), concat(bytes(1), MESSAGE_BYTES));
    }

    @Test
    void packetsWithoutNameOrMessage() throws Exception {
        assertRoundTrip(ViciPacket.of(ViciPacketType.CMD_UNKNOWN, null, null), 2);
        assertRoundTrip(ViciPacket.of(ViciPacketType.EVENT_CONFIRM, null, null), 5);
        assertRoundTrip(ViciPacket.of(ViciPacketType.EVENT_UNKNOWN, null, null), 6);
    }

    @Test
    void eventRegistration() throws Exception {
        assertRoundTrip(ViciPacket.register("ike-updown"), 3, 10, 'i', 'k', 'e', '-', 'u', 'p', 'd', 'o', 'w', 'n');
        assertRoundTrip(ViciPacket.unregister("log"), 4, 3, 'l', 'o', 'g');
    }

    @Test
    void eventsWithAndWithoutMessage() throws Exception {
        assertRoundTrip(ViciPacket.event("child-updown", MESSAGE),
                concat(bytes(7, 12, 'c', 'h', 'i', 'l', 'd', '-', 'u', 'p', 'd', 'o', 'w', 'n'), MESSAGE_BYTES));
        assertRoundTrip(ViciPacket.event("log", null), 7, 3, 'l', 'o', 'g');
    }

    @Test
    void emptyAndLongestNames() throws Exception {
        assertRoundTrip(ViciPacket.event("", null), 7, 0);
        ViciPacket longest = ViciPacket.request("c".repeat(255), null);
        byte[] encoded = ViciCodec.encodePacket(longest);
        assertThat(encoded).hasSize(257).startsWith(0, 255, 'c');
        assertThat(ViciCodec.decodePacket(encoded)).isEqualTo(longest);
    }

    @Test
    void namesAndMessagesMustFitTheType() {
        assertThatThrownBy(() -> ViciPacket.of(ViciPacketType.CMD_RESPONSE, "x", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("CMD_RESPONSE packets carry no name, got 'x'");
        assertThatThrownBy(() -> ViciPacket.of(ViciPacketType.EVENT_REGISTER, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("EVENT_REGISTER name must not be null");
        assertThatThrownBy(() -> ViciPacket.of(ViciPacketType.EVENT_CONFIRM, null, MESSAGE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("EVENT_CONFIRM packets carry no message");
        assertThat(ViciPacket.of(ViciPacketType.CMD_UNKNOWN, null, ViciSection.EMPTY).message()).isEqualTo(ViciSection.EMPTY);
    }

    @Test
    void accessorsAndText() {
        ViciPacket event = ViciPacket.event("ike-updown", MESSAGE);
        assertThat(event.type()).isEqualTo(ViciPacketType.EVENT);
        assertThat(event.name()).hasValue("ike-updown");
        assertThat(event.message()).isEqualTo(MESSAGE);
        assertThat(event).hasToString("EVENT ike-updown {ike=<7 bytes>}");
        assertThat(ViciPacket.response(null).name()).isEmpty();
    }

    @Test
    void framesCarryTheBigEndianLengthOfThePacketOnly() throws Exception {
        byte[] frame = ViciCodec.encodeFrame(ViciPacket.register("log"));

        assertThat(frame).containsExactly(0, 0, 0, 5, 3, 3, 'l', 'o', 'g');

        byte[] larger = ViciCodec.encodeFrame(ViciPacket.response(ViciSection.builder().put("k", new byte[1000]).build()));
        assertThat(larger).hasSize(4 + 1006).startsWith(0, 0, 0x03, 0xee, 1, 3, 1, 'k', 0x03, 0xe8);
    }

    private static void assertRoundTrip(ViciPacket packet, int... expected) throws Exception {
        assertRoundTrip(packet, bytes(expected));
    }

    private static void assertRoundTrip(ViciPacket packet, byte[] expected) throws Exception {
        assertThat(ViciCodec.encodePacket(packet)).containsExactly(expected);
        assertThat(ViciCodec.decodePacket(expected)).isEqualTo(packet);

        byte[] frame = ViciCodec.encodeFrame(packet);
        assertThat(frame).hasSize(4 + expected.length)
                .startsWith(expected.length >>> 24, expected.length >>> 16 & 0xff, expected.length >>> 8 & 0xff, expected.length & 0xff)
                .endsWith(expected);
        assertThat(ViciCodec.decodeFrame(frame)).isEqualTo(packet);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
