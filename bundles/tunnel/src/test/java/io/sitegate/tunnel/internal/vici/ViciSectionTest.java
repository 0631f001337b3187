package io.sitegate.tunnel.internal.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message model: immutable, ordered, unique names per section (strongSwan's
 * {@code src/libcharon/plugins/vici/README.md}, "Key/Values": "Key names must be unique in the current
 * section"), values that never show their content.
 */
class ViciSectionTest {

    @Test
    void duplicateNamesAreRefusedWhateverTheKind() {
        ViciSection.Builder b = ViciSection.builder().put("proposals", "aes256-sha256-modp2048");

        assertThatThrownBy(() -> b.put("proposals", "aes128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate VICI name 'proposals' in one section: names must be unique in a section, use a list for several values");
        assertThatThrownBy(() -> b.putList("proposals", List.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("proposals", ViciSection.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().string("proposals")).hasValue("aes256-sha256-modp2048");
    }

    @Test
    void theTreeCannotBeChangedFromOutside() {
        byte[] psk = {1, 2, 3};
        ViciSection s = ViciSection.builder().put("data", psk).build();
        psk[0] = 9;
        s.value("data").orElseThrow().bytes()[1] = 9;

        assertThat(s.value("data").orElseThrow().bytes()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> s.entries().put("x", ViciValue.of("y"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ViciList.ofStrings("a").items().add(ViciValue.of("b")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuilderBuildsOnce() {
        ViciSection.Builder b = ViciSection.builder().put("a", "1");
        b.build();

        assertThatThrownBy(() -> b.put("b", "2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void textShowsStructureButNeverValues() {
        ViciSection s = ViciSection.builder().put("secret", "hunter2")
                .put("owners", ViciList.ofStrings("gw"))
                .put("sub", ViciSection.builder().put("k", "v").build()).build();

        assertThat(s.toString()).isEqualTo("{secret=<7 bytes>, owners=ViciList[items=[<2 bytes>]], sub={k=<1 bytes>}}")
                .doesNotContain("hunter2");
    }

    @Test
    void equalityFollowsContentAndOrder() {
        ViciSection a = ViciSection.builder().put("k", new byte[] {1}).putList("l", List.of("x")).build();
        ViciSection b = ViciSection.builder().put("k", new byte[] {1}).putList("l", List.of("x")).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ViciSection.builder().put("k", new byte[] {2}).putList("l", List.of("x")).build());
        assertThat(ViciSection.builder().build()).isSameAs(ViciSection.EMPTY);
    }

    @Test
    void valuesAsText() {
        ViciValue v = ViciValue.of(new byte[] {'o', 'k', (byte) 0xff});

        assertThat(v.asString()).isEqualTo("ok\uFFFD");
        assertThat(v.length()).isEqualTo(3);
        assertThat(ViciList.ofStrings("a", "b").strings()).containsExactly("a", "b");
        assertThat(ViciList.ofStrings("a", "b").size()).isEqualTo(2);
    }
}
