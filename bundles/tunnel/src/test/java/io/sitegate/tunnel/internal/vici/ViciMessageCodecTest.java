package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages beyond the README example: binary values, empty elements, order, nesting and strongSwan's
 * size limits ({@code vici_socket.h} VICI_MESSAGE_SIZE_MAX = 512 * 1024, {@code vici_builder.c}
 * 0xff-byte names and 0xffff-byte values, strongswan/strongswan at 3b902ea59b86).
 */
class ViciMessageCodecTest {

    @Test
    void binaryValuesTravelUntouched() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ViciSection message = ViciSection.builder().put("der", all)
                .put("items", new ViciList(List.of(ViciValue.of(new byte[] {0, (byte) 0xff, 0}), ViciValue.of(new byte[0]))))
                .build();

        byte[] encoded = ViciCodec.encodeMessage(message);

        assertThat(encoded).startsWith(3, 3, 'd', 'e', 'r', 1, 0, 0, 1, 2);
        assertThat(encoded).endsWith(4, 5, 'i', 't', 'e', 'm', 's', 5, 0, 3, 0, (byte) 0xff, 0, 5, 0, 0, 6);
        assertThat(encoded).hasSize(1 + 1 + 3 + 2 + 256 + 7 + 6 + 3 + 1);
        ViciSection decoded = ViciCodec.decodeMessage(encoded);
        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.value("der").orElseThrow().bytes()).containsExactly(all);
    }

    @Test
    void emptyValuesListsSectionsAndMessages() throws Exception {
        ViciSection message = ViciSection.builder().put("v", "").put("l", ViciList.EMPTY).put("s", ViciSection.EMPTY).build();
        byte[] expected = {3, 1, 'v', 0, 0, 4, 1, 'l', 6, 1, 1, 's', 2};

        assertThat(ViciCodec.encodeMessage(message)).containsExactly(expected);
        assertThat(ViciCodec.decodeMessage(expected)).isEqualTo(message);
        assertThat(ViciCodec.encodeMessage(ViciSection.EMPTY)).isEmpty();
        assertThat(ViciCodec.decodeMessage(new byte[0])).isEqualTo(ViciSection.EMPTY);
    }

    @Test
    void orderIsKeptAndMatters() throws Exception {
        ViciSection ab = ViciSection.builder().put("b", "1").put("a", "2").build();
        ViciSection ba = ViciSection.builder().put("a", "2").put("b", "1").build();

        assertThat(ViciCodec.decodeMessage(ViciCodec.encodeMessage(ab)).names()).containsExactly("b", "a");
        assertThat(ab).isNotEqualTo(ba);
        assertThat(ViciCodec.encodeMessage(ab)).isNotEqualTo(ViciCodec.encodeMessage(ba));
    }

    @Test
    void utf8ValuesRoundTripAsStrings() throws Exception {
        ViciSection message = ViciSection.builder().put("id", "CN=Gateway Köln, O=Sitegate").build();

        ViciSection decoded = ViciCodec.decodeMessage(ViciCodec.encodeMessage(message));

        assertThat(decoded.string("id")).hasValue("CN=Gateway Köln, O=Sitegate");
        assertThat(decoded.value("id").orElseThrow().length()).isEqualTo(28);
    }

    @Test
    void sixtyFourNestedSectionsAreTheLimit() throws Exception {
        ViciSection deepest = nested(64);
        assertThat(deepest.depth()).isEqualTo(64);
        assertThat(ViciCodec.decodeMessage(ViciCodec.encodeMessage(deepest))).isEqualTo(deepest);

        assertThatThrownBy(() -> ViciSection.builder().put("s", deepest))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nests deeper than 64");
    }

    @Test
    void namesUpTo255AsciiBytesAndValuesUpTo65535Bytes() throws Exception {
        String name = "n".repeat(255);
        ViciSection message = ViciSection.builder().put(name, new byte[65535]).build();

        byte[] encoded = ViciCodec.encodeMessage(message);

        assertThat(encoded).hasSize(1 + 1 + 255 + 2 + 65535).startsWith(3, (byte) 255, 'n');
        assertThat(encoded[1 + 1 + 255]).isEqualTo((byte) 0xff);
        assertThat(encoded[1 + 1 + 255 + 1]).isEqualTo((byte) 0xff);
        assertThat(ViciCodec.decodeMessage(encoded)).isEqualTo(message);
    }

    @Test
    void aNameOf256BytesOrNotPrintableAsciiIsRefusedWhenBuilding() {
        assertThatThrownBy(() -> ViciSection.builder().put("n".repeat(256), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes long, VICI allows at most 255");
        assertThatThrownBy(() -> ViciSection.builder().put("Köln", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside printable ASCII at index 1");
        assertThatThrownBy(() -> ViciSection.builder().put("a\nb", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside printable ASCII");
        assertThatThrownBy(() -> ViciPacket.request("c".repeat(256), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CMD_REQUEST name is 256 bytes long");
    }

    @Test
    void aValueOf65536BytesIsRefusedWhenBuilding() {
        assertThatThrownBy(() -> ViciValue.of(new byte[65536]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 bytes exceeds the limit of 65535");
        assertThatThrownBy(() -> ViciList.ofStrings("x".repeat(65536)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 bytes");
    }

    @Test
    void aPacketOfExactly512KiBIsEncodedAndDecodedOneByteMoreIsRefused() throws Exception {
        ViciPacket largest = ViciPacket.response(filler(ViciLimits.MAX_SEGMENT_LENGTH - 1));

        byte[] frame = ViciCodec.encodeFrame(largest);

        assertThat(frame).hasSize(4 + 524288).startsWith(0, 8, 0, 0, 1);
        assertThat(ViciCodec.decodeFrame(frame)).isEqualTo(largest);

        ViciPacket tooLarge = ViciPacket.response(filler(ViciLimits.MAX_SEGMENT_LENGTH));
        assertThatThrownBy(() -> ViciCodec.encodePacket(tooLarge)).isInstanceOf(ViciProtocolException.class)
                .hasMessage("CMD_RESPONSE packet of 524289 bytes exceeds strongSwan's limit of 524288 bytes per packet (VICI_MESSAGE_SIZE_MAX)");
        assertThatThrownBy(() -> ViciCodec.encodeFrame(tooLarge)).isInstanceOf(ViciProtocolException.class);
        assertThatThrownBy(() -> ViciCodec.encodeMessage(filler(ViciLimits.MAX_SEGMENT_LENGTH + 1)))
                .isInstanceOf(ViciProtocolException.class).hasMessageContaining("message of 524289 bytes exceeds");
    }

    @Test
    void theSizeLimitCountsTheCommandName() throws Exception {
        ViciSection message = filler(ViciLimits.MAX_SEGMENT_LENGTH - 1 - 1 - 9);
        assertThat(ViciCodec.encodePacket(ViciPacket.request("load-conn", message))).hasSize(524288);
        assertThatThrownBy(() -> ViciCodec.encodePacket(ViciPacket.request("load-conns", message)))
                .isInstanceOf(ViciProtocolException.class).hasMessageContaining("524289 bytes");
    }

    /** A message of exactly {@code size} bytes: full 65535-byte values, then one that makes up the rest. */
    static ViciSection filler(int size) {
        ViciSection.Builder b = ViciSection.builder();
        int left = size;
        int i = 0;
        while (left > 0) {
            int value = Math.min(65535, left - 6);
            if (left - 6 - value > 0 && left - 6 - value < 6) {
                value -= 6; // leave room for one more key/value of at least 6 bytes
            }
            b.put(String.format("%02d", i++), new byte[value]);
            left -= 6 + value;
        }
        return b.build();
    }

    static ViciSection nested(int depth) {
        ViciSection s = ViciSection.builder().put("k", "v").build();
        for (int i = 0; i < depth; i++) {
            s = ViciSection.builder().put("s", s).build();
        }
        return s;
    }
}
