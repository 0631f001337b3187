package io.sitegate.tunnel.internal.ipsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The IKE packet lines charon 5.9.8 raised in the lab (StrongSwanIT), as the overhead count reads them. */
class IpsecDriverTest {
    @Test
    void dpdPacketsAreReadFromCharonsNetLines() {
        Matcher sent = IpsecDriver.PACKET.matcher("sending packet: from 198.18.0.1[4500] to 198.18.0.20[4500] (80 bytes)");
        assertThat(sent.matches()).isTrue();
        assertThat(sent.group(1)).isEqualTo("sending");
        assertThat(sent.group(2)).isEqualTo("198.18.0.1");
        assertThat(sent.group(3)).isEqualTo("4500");
        assertThat(sent.group(4)).isEqualTo("80");
        Matcher received = IpsecDriver.PACKET.matcher("received packet: from 2001:db8::5[500] to 2001:db8::1[500] (892 bytes)");
        assertThat(received.matches()).isTrue();
        assertThat(received.group(2)).isEqualTo("2001:db8::5");
        assertThat(received.group(3)).isEqualTo("500");
        assertThat(IpsecDriver.PACKET.matcher("sending DPD request").matches()).isFalse();
        assertThat(IpsecDriver.PACKET.matcher("sending packet: from x[1] to y[2] (99999999 bytes)").matches()).isFalse();
    }
}
