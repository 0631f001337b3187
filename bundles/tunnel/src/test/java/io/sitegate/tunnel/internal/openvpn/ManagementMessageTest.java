package io.sitegate.tunnel.internal.openvpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real-time messages and commands of OpenVPN's management interface, with the examples of OpenVPN's
 * {@code doc/management-notes.txt} (commit 3de92608 of github.com/OpenVPN/openvpn): "COMMAND -- state",
 * "COMMAND -- bytecount", "COMMAND -- hold", "COMMAND -- password and username", "COMMAND -- remote",
 * "Command Parsing" and "OUTPUT FORMAT".
 */
class ManagementMessageTest {

    @Test
    void stateWithAllNineFields() throws Exception {
        var m = ManagementMessage.parse(">STATE:1733300000,CONNECTED,SUCCESS,10.8.0.6,198.51.100.7,1194,192.0.2.20,40312,fd00::6");

        assertThat(m).isEqualTo(new ManagementMessage.State(1733300000L, "CONNECTED", "SUCCESS", "10.8.0.6", "198.51.100.7",
                "1194", "192.0.2.20", "40312", "fd00::6"));
        assertThat(((ManagementMessage.State) m).connected()).isTrue();
    }

    @Test
    void stateWithOnlyTheFirstFieldsAsOlderVersionsSendThem() throws Exception {
        var m = (ManagementMessage.State) ManagementMessage.parse(">STATE:1733300001,RECONNECTING,ping-restart,,");

        assertThat(m.state()).isEqualTo("RECONNECTING");
        assertThat(m.description()).isEqualTo("ping-restart");
        assertThat(m.tunIpv6()).isEmpty();
        assertThat(m.connected()).isFalse();
    }

    @Test
    void byteCountHoldPasswordRemoteAndFatal() throws Exception {
        assertThat(ManagementMessage.parse(">BYTECOUNT:12345,678")).isEqualTo(new ManagementMessage.ByteCount(12345, 678));
        assertThat(ManagementMessage.parse(">HOLD:Waiting for hold release:10"))
                .isEqualTo(new ManagementMessage.Hold("Waiting for hold release:10", Optional.of(10)));
        assertThat(ManagementMessage.parse(">HOLD:Waiting for hold release"))
                .isEqualTo(new ManagementMessage.Hold("Waiting for hold release", Optional.empty()));
        assertThat(ManagementMessage.parse(">PASSWORD:Need 'Auth' username/password"))
                .isEqualTo(new ManagementMessage.Password("Auth", false, true, "Need 'Auth' username/password"));
        assertThat(ManagementMessage.parse(">PASSWORD:Need 'Private Key' password"))
                .isEqualTo(new ManagementMessage.Password("Private Key", false, false, "Need 'Private Key' password"));
        assertThat(((ManagementMessage.Password) ManagementMessage.parse(">PASSWORD:Verification Failed: 'Auth'"))
                .verificationFailed()).isTrue();
        assertThat(ManagementMessage.parse(">REMOTE:vpn.example.com,1194,udp"))
                .isEqualTo(new ManagementMessage.Remote("vpn.example.com", 1194, "udp"));
        assertThat(ManagementMessage.parse(">FATAL:Cannot open TUN/TAP dev /dev/net/tun"))
                .isEqualTo(new ManagementMessage.Fatal("Cannot open TUN/TAP dev /dev/net/tun"));
        assertThat(ManagementMessage.parse(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info"))
                .isInstanceOf(ManagementMessage.Other.class);
    }

    @Test
    void malformedLinesGiveAClearError() {
        for (String bad : new String[] {"STATE:1,CONNECTED", ">", ">:x", ">STATE:", ">STATE:abc,CONNECTED",
                ">STATE:1733300000", ">BYTECOUNT:1", ">BYTECOUNT:-1,2", ">BYTECOUNT:x,y", ">REMOTE:host,99999,udp",
                ">REMOTE:,1194,udp", ">PASSWORD:Need Auth", ">BYTECOUNT:1\u001b[31m,2"}) {
            assertThatThrownBy(() -> ManagementMessage.parse(bad)).as(bad).isInstanceOf(ManagementProtocolException.class)
                    .message().doesNotContain("\u001b");
        }
    }

    @Test
    void commandsQuoteTheirArgumentsAsOpenVpnsLexerReadsThem() {
        assertThat(ManagementCommands.password("Private Key", "foo\"bar")).isEqualTo("password \"Private Key\" \"foo\\\"bar\"");
        assertThat(ManagementCommands.password("Auth", "a\\b c")).isEqualTo("password \"Auth\" \"a\\\\b c\"");
        assertThat(ManagementCommands.username("Auth", "gw-0042")).isEqualTo("username \"Auth\" \"gw-0042\"");
        assertThat(ManagementCommands.remoteMod("vpn2.example.net", 1195)).isEqualTo("remote MOD vpn2.example.net 1195");
        assertThat(ManagementCommands.remoteAccept()).isEqualTo("remote ACCEPT");
        assertThat(ManagementCommands.remoteSkip()).isEqualTo("remote SKIP");
        assertThat(ManagementCommands.signal(ManagementCommands.Signal.SIGUSR1)).isEqualTo("signal SIGUSR1");
        assertThat(ManagementCommands.bytecount(5)).isEqualTo("bytecount 5");
        assertThat(ManagementCommands.holdRelease()).isEqualTo("hold release");
        assertThat(ManagementCommands.stateOn()).isEqualTo("state on");
    }

    @Test
    void noArgumentCanAddACommandAndSecretsAreNeverShown() {
        assertThatThrownBy(() -> ManagementCommands.password("Auth", "x\nsignal SIGTERM")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagementCommands.username("Auth", "u\r")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagementCommands.remoteMod("h; signal SIGTERM", 1194)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagementCommands.remoteMod("vpn.example.net", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagementCommands.password("Auth", "x".repeat(257))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ManagementCommands.redacted(ManagementCommands.password("Auth", "s3cret")))
                .isEqualTo("password \"Auth\" <redacted>").doesNotContain("s3cret");
        assertThat(ManagementCommands.redacted("state on")).isEqualTo("state on");
    }
}
