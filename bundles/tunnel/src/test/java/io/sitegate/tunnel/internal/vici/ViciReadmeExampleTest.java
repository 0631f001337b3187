package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encoding example of strongSwan's {@code src/libcharon/plugins/vici/README.md} ("Encoding
 * example", strongswan/strongswan at 3b902ea59b86), byte for byte, both ways.
 */
class ViciReadmeExampleTest {

    /** The README's C array, copied verbatim. */
    static final byte[] README_MESSAGE = {
        /* key1 = value1 */
        3, 4,'k','e','y','1', 0,6,'v','a','l','u','e','1',
        /* section1 */
        1, 8,'s','e','c','t','i','o','n','1',
        /* sub-section */
        1, 11,'s','u','b','-','s','e','c','t','i','o','n',
        /* key2 = value2 */
        3, 4,'k','e','y','2', 0,6,'v','a','l','u','e','2',
        /* sub-section end */
        2,
        /* list1 */
        4, 5, 'l','i','s','t','1',
        /* item1 */
        5, 0,5,'i','t','e','m','1',
        /* item2 */
        5, 0,5,'i','t','e','m','2',
        /* list1 end */
        6,
        /* section1 end */
        2,
    };

    /** The README's tree: key1 = value1, section1 = { sub-section = { key2 = value2 }, list1 = [item1, item2] }. */
    static ViciSection readmeTree() {
        return ViciSection.builder()
                .put("key1", "value1")
                .put("section1", ViciSection.builder()
                        .put("sub-section", ViciSection.builder().put("key2", "value2").build())
                        .putList("list1", List.of("item1", "item2"))
                        .build())
                .build();
    }

    @Test
    void encodesTheReadmeTreeToTheReadmeBytes() throws Exception {
        assertThat(ViciCodec.encodeMessage(readmeTree())).containsExactly(README_MESSAGE);
    }

    @Test
    void decodesTheReadmeBytesToTheReadmeTree() throws Exception {
        ViciSection message = ViciCodec.decodeMessage(README_MESSAGE);

        assertThat(message).isEqualTo(readmeTree());
        assertThat(message.names()).containsExactly("key1", "section1");
        assertThat(message.string("key1")).hasValue("value1");
        ViciSection section1 = message.section("section1").orElseThrow();
        assertThat(section1.names()).containsExactly("sub-section", "list1");
        assertThat(section1.section("sub-section").orElseThrow().string("key2")).hasValue("value2");
        assertThat(section1.list("list1").orElseThrow().strings()).containsExactly("item1", "item2");
        assertThat(message.depth()).isEqualTo(2);
    }

    @Test
    void theReadmeMessageTravelsInACommandRequestFrame() throws Exception {
        byte[] frame = ViciCodec.encodeFrame(ViciPacket.request("load-conn", readmeTree()));

        byte[] head = {0, 0, 0, (byte) (1 + 1 + 9 + README_MESSAGE.length), 0, 9, 'l', 'o', 'a', 'd', '-', 'c', 'o', 'n', 'n'};
        assertThat(frame).hasSize(head.length + README_MESSAGE.length).startsWith(head).endsWith(README_MESSAGE);
        assertThat(ViciCodec.decodeFrame(frame)).isEqualTo(ViciPacket.request("load-conn", readmeTree()));
    }

    @Test
    void accessorsAnswerOnlyForTheRightKindOfElement() throws Exception {
        ViciSection message = ViciCodec.decodeMessage(README_MESSAGE);

        assertThat(message.section("key1")).isEmpty();
        assertThat(message.list("key1")).isEmpty();
        assertThat(message.string("section1")).isEmpty();
        assertThat(message.value("missing")).isEmpty();
        assertThat(message.get("section1")).containsInstanceOf(ViciSection.class);
    }
}
