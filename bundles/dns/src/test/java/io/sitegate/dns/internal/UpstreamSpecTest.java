package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.dns.internal.UpstreamSpec.Transport;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamSpecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "udp://1.1.1.1:53,            UDP, 1.1.1.1,           53,   ''",
            "udp://1.1.1.1,               UDP, 1.1.1.1,           53,   ''",
            "tcp://8.8.8.8,               TCP, 8.8.8.8,           53,   ''",
            "tcp://8.8.8.8:5353,          TCP, 8.8.8.8,           5353, ''",
            "tls://9.9.9.9#dns.quad9.net, TLS, 9.9.9.9,           853,  dns.quad9.net",
            "tls://9.9.9.9:8853#dns.quad9.net, TLS, 9.9.9.9,      8853, dns.quad9.net",
            "udp://[2001:db8::53]:53,     UDP, 2001:db8::53,      53,   ''",
            "udp://[2001:db8::53],        UDP, 2001:db8::53,      53,   ''",
            "tls://[2620:fe::fe]#dns.quad9.net, TLS, 2620:fe::fe, 853,  dns.quad9.net",
            "tcp://[::1]:1,               TCP, ::1,               1,    ''",
            "udp://10.0.0.53:65535,       UDP, 10.0.0.53,         65535, ''"})
    void parsesEveryForm(String text, Transport transport, String address, int port, String tlsName) {
        UpstreamSpec s = UpstreamSpec.parse(text);

        assertThat(s.transport()).isEqualTo(transport);
        assertThat(s.address()).isEqualTo(new InetSocketAddress(ip(address), port));
        assertThat(s.address().isUnresolved()).isFalse();
        assertThat(s.tlsName()).isEqualTo(tlsName.isEmpty() ? null : tlsName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "udp://10.0.0.53:53,                    false",
            "tcp://10.0.0.53,                       false",
            "udp://10.0.0.53:53?trusted,            true",
            "tcp://[2001:db8::53]?trusted,          true",
            "tls://9.9.9.9#dns.quad9.net,           true",
            "tls://9.9.9.9:853?trusted#dns.quad9.net, true"})
    void aTlsUpstreamOrOneMarkedTrustedIsTrustedForTheAdBit(String text, boolean trusted) {
        // RFC 4035 §4.6, §4.9.3: AD is only worth passing on over a path the operator trusts.
        assertThat(UpstreamSpec.parse(text).trusted()).isEqualTo(trusted);
    }

    @Test
    void theTrustedMarkerIsNeverATlsName() {
        UpstreamSpec s = UpstreamSpec.parse("tls://9.9.9.9:853?trusted#trusted");

        assertThat(s.tlsName()).isEqualTo("trusted");
        assertThat(s.marked()).isTrue();
    }

    @Test
    void ipv6AddressIsIpv6() {
        assertThat(UpstreamSpec.parse("udp://[2001:db8::53]").address().getAddress()).isInstanceOf(Inet6Address.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp://1.1.1.1:53", "tcp://[2001:db8:0:0:0:0:0:53]:53", "tls://9.9.9.9:853#dns.quad9.net",
            "udp://10.0.0.53:53?trusted", "tls://9.9.9.9:853?trusted#dns.quad9.net"})
    void toStringIsTheCanonicalSpecAndParsesBack(String text) {
        UpstreamSpec s = UpstreamSpec.parse(text);

        assertThat(s.toString()).isEqualTo(text);
        assertThat(UpstreamSpec.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void toStringShowsTheDefaultPort() {
        assertThat(UpstreamSpec.parse("udp://[2001:db8::53]")).hasToString("udp://[2001:db8:0:0:0:0:0:53]:53");
        assertThat(UpstreamSpec.parse("tls://1.1.1.1#one.one.one.one")).hasToString("tls://1.1.1.1:853#one.one.one.one");
    }

    @Test
    void surroundingBlanksAreIgnored() {
        assertThat(UpstreamSpec.parse("  udp://1.1.1.1:53 \t")).isEqualTo(UpstreamSpec.parse("udp://1.1.1.1:53"));
    }

    @Test
    void listKeepsTheOrderAndSkipsEmptyItems() {
        assertThat(UpstreamSpec.parseList("udp://1.1.1.1, ,tcp://8.8.8.8,")).extracting(UpstreamSpec::toString)
                .containsExactly("udp://1.1.1.1:53", "tcp://8.8.8.8:53");
        assertThat(UpstreamSpec.parseList("")).isEmpty();
        assertThat(UpstreamSpec.parseList(" , ")).isEmpty();
    }

    @Test
    void listIsImmutable() {
        assertThatThrownBy(() -> UpstreamSpec.parseList("udp://1.1.1.1").add(UpstreamSpec.parse("udp://8.8.8.8")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void oneBadItemRefusesTheList() {
        assertThatThrownBy(() -> UpstreamSpec.parseList("udp://1.1.1.1, udp://dns.google"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("udp://dns.google");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
            "udp://example.com:53", "udp://dns.google", "tls://dns.quad9.net:853#dns.quad9.net", "udp://localhost:53",
            "tls://1.2.3.4:853", "tls://1.2.3.4", "tls://1.2.3.4:853#", "udp://1.2.3.4:53#name", "tcp://1.2.3.4#name",
            "udp://1.2.3.4:99999", "udp://1.2.3.4:65536", "udp://1.2.3.4:0", "udp://1.2.3.4:123456", "udp://1.2.3.4:",
            "udp://1.2.3.4:-1", "https://1.2.3.4/dns-query", "quic://1.2.3.4", "1.2.3.4", "1.2.3.4:53",
            "udp://", "udp://:53", "udp://[]:53", "udp://[::1", "udp://::1:53", "udp://[::1]:53:53",
            "udp://1.2.3.4 :53", "udp://1.2.3.4:53, udp://1.2.3.5", "tls://1.2.3.4#bad name", "tls://1.2.3.4#na/me",
            "udp://[fe80::1%eth0]:53", "", "   ", "udp://1.2.3.4:53#trusted", "udp://1.2.3.4:53?Trusted",
            "udp://1.2.3.4:53?trusted?trusted", "tls://1.2.3.4#name?trusted", "udp://1.2.3.4:53 ?trusted"})
    void badSpecIsRefusedWithTheSpecInTheMessage(String text) {
        assertThatThrownBy(() -> UpstreamSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.trim());
    }

    @Test
    void probeSeesAnAcceptedLiteral() throws Exception {
        assertThat(NameLookupProbe.accepted("upstream", "udp://192.0.2.1:53", "udp://dns.google"))
                .containsExactly("udp://192.0.2.1:53");
    }

    @Test
    void somethingThatLooksLikeAnAddressIsRefusedWithoutALookup() throws Exception {
        assertThat(NameLookupProbe.accepted("upstream", "udp://999.1.1.1:53", "udp://1.2.3.4.5:53",
                "udp://[cafe]:53", "udp://[dead.beef]:53", "tls://[face.b00c]#x.example")).isEmpty();
    }

    @Test
    void abbreviatedIpv4IsRefused() {
        assertThatThrownBy(() -> UpstreamSpec.parse("tls://9.9.9:853#dns.quad9.net"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
