package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenSpecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "127.0.0.1:53,        127.0.0.1,      53",
            "192.168.1.1:5353,    192.168.1.1,    5353",
            "0.0.0.0:53,          0.0.0.0,        53",
            "[::1]:53,            ::1,            53",
            "[fd00::1]:65535,     fd00::1,        65535",
            "[::]:1,              ::,             1",
            "' 10.0.0.1:53 ',     10.0.0.1,       53"})
    void parsesAddressEntries(String text, String address, int port) {
        ListenSpec s = ListenSpec.parse(text);

        assertThat(s.address()).isEqualTo(ip(address));
        assertThat(s.iface()).isNull();
        assertThat(s.port()).isEqualTo(port);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"br-lan:53, br-lan, 53", "eth0.100:53, eth0.100, 53", "wlan0:5353, wlan0, 5353",
            "lan@br0:53, lan@br0, 53", "abcdefghijklmno:53, abcdefghijklmno, 53"})
    void parsesInterfaceEntries(String text, String iface, int port) {
        ListenSpec s = ListenSpec.parse(text);

        assertThat(s.address()).isNull();
        assertThat(s.iface()).isEqualTo(iface);
        assertThat(s.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:53", "[0:0:0:0:0:0:0:1]:53", "br-lan:53"})
    void toStringParsesBack(String text) {
        ListenSpec s = ListenSpec.parse(text);

        assertThat(s).hasToString(text);
        assertThat(ListenSpec.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void listKeepsTheOrderAndSkipsEmptyItems() {
        assertThat(ListenSpec.parseList("br-lan:53, ,[::1]:53,")).extracting(ListenSpec::toString)
                .containsExactly("br-lan:53", "[0:0:0:0:0:0:0:1]:53");
        assertThat(ListenSpec.parseList("")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"br-lan", "127.0.0.1", "[::1]", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:123456",
            "br-lan:0", "br-lan:99999", ":53", "0br-lan:53", "abcdefghijklmnop:53", "br lan:53", "[::1:53",
            "::1:53", "127.0.0.1:53:53", "udp://127.0.0.1:53", "127.0.0.1:-1", "[fe80::1%br-lan]:53", "", "*:53"})
    void badEntryIsRefused(String text) {
        assertThatThrownBy(() -> ListenSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.trim());
    }

    @Test
    void probeSeesAnAcceptedLiteral() throws Exception {
        assertThat(NameLookupProbe.accepted("listen", "192.0.2.1:53", "[2001:db8::1]:53"))
                .containsExactly("192.0.2.1:53", "[2001:db8::1]:53");
    }

    @Test
    void somethingThatLooksLikeAnAddressIsRefusedWithoutALookup() throws Exception {
        assertThat(NameLookupProbe.accepted("listen", "999.1.1.1:53", "256.0.0.1:53", "[cafe]:53", "[dead.beef]:53"))
                .isEmpty();
    }
}
