package io.sitegate.tunnel.internal.openvpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client configuration Sitegate writes, and the values it refuses. Directives checked against OpenVPN's
 * manual ({@code doc/man-sections/} of OpenVPN/openvpn 3de92608: tls-options.rst for remote-cert-tls and
 * verify-x509-name, link-options.rst for keepalive and nobind, management-options.rst for management,
 * management-client-user, management-hold and management-query-remote, protocol-options.rst for data-ciphers).
 */
class OpenVpnClientConfigTest {

    private static final Path ETC = Path.of("/opt/sitegate/etc/secrets/tunnel-corp");

    private static OpenVpnClientConfig config(List<OpenVpnClientConfig.Remote> remotes, String serverName) {
        return new OpenVpnClientConfig("corp", remotes, ETC.resolve("ca.pem"), ETC.resolve("client.pem"),
                ETC.resolve("client.key"), serverName, 25, 120, Path.of("/run/sitegate/openvpn-corp.sock"), "sitegate");
    }

    private static OpenVpnClientConfig.Remote remote(String host) {
        return new OpenVpnClientConfig.Remote(host, 1194, "udp");
    }

    @Test
    void rendersATlsClientDrivenThroughTheManagementSocket() {
        String text = config(List.of(remote("vpn1.eu.example.net"), new OpenVpnClientConfig.Remote("198.51.100.7", 443, "tcp")),
                "vpn.example.net").render();

        assertThat(text.lines()).containsSubsequence(
                "client", "dev sg-corp", "dev-type tun", "nobind",
                "remote vpn1.eu.example.net 1194 udp", "remote 198.51.100.7 443 tcp",
                "tls-client", "remote-cert-tls server", "verify-x509-name vpn.example.net name",
                "ca /opt/sitegate/etc/secrets/tunnel-corp/ca.pem",
                "cert /opt/sitegate/etc/secrets/tunnel-corp/client.pem",
                "key /opt/sitegate/etc/secrets/tunnel-corp/client.key",
                "keepalive 25 120", "route-noexec",
                "management /run/sitegate/openvpn-corp.sock unix", "management-client-user sitegate",
                "management-hold", "management-query-remote", "script-security 1");
        assertThat(text).endsWith("\n").doesNotContain("up ").doesNotContain("auth-user-pass");
    }

    @Test
    void theDeviceIsFixedPerTunnelAndFitsAnInterfaceName() {
        assertThat(config(List.of(remote("vpn.example.net")), null).device()).isEqualTo("sg-corp");
        OpenVpnClientConfig longName = new OpenVpnClientConfig("eu-west-primary-1", List.of(remote("vpn.example.net")),
                ETC.resolve("ca.pem"), ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate");
        OpenVpnClientConfig other = new OpenVpnClientConfig("eu-west-primary-2", List.of(remote("vpn.example.net")),
                ETC.resolve("ca.pem"), ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate");
        assertThat(longName.device()).hasSize(15).startsWith("sg-eu-wes-").matches("[A-Za-z0-9_-]+")
                .isEqualTo(longName.device()).isNotEqualTo(other.device());
        assertThat(longName.render().lines()).contains("dev " + longName.device(), "dev-type tun");
        assertThat(new OpenVpnClientConfig("abcdefghijkl", List.of(remote("vpn.example.net")), ETC.resolve("ca.pem"),
                ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate").device())
                .isEqualTo("sg-abcdefghijkl");
    }

    @Test
    void noValueCanAddADirective() {
        for (String host : new String[] {"vpn.example.net\nup /bin/sh", "vpn example", "-vpn", "vpn.example.net;x", "", "a\"b"}) {
            assertThatThrownBy(() -> remote(host)).as(host).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("remote host").message().doesNotContain("\n");
        }
        assertThatThrownBy(() -> config(List.of(remote("vpn.example.net")), "vpn\nscript-security 3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server name");
        assertThatThrownBy(() -> new OpenVpnClientConfig("corp", List.of(remote("vpn.example.net")), Path.of("/etc/ca pem"),
                ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ca path");
        assertThatThrownBy(() -> new OpenVpnClientConfig("corp", List.of(remote("vpn.example.net")), ETC.resolve("ca.pem"),
                Path.of("/opt/sitegate/../../etc/shadow"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert path");
        assertThatThrownBy(() -> new OpenVpnClientConfig("corp", List.of(remote("vpn.example.net")), ETC.resolve("ca.pem"),
                ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "root root"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("management user");
    }

    @Test
    void badNumbersAndNamesAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new OpenVpnClientConfig.Remote("vpn.example.net", 0, "udp")).hasMessageContaining("port 0");
        assertThatThrownBy(() -> new OpenVpnClientConfig.Remote("vpn.example.net", 1194, "sctp")).hasMessageContaining("'sctp'");
        assertThatThrownBy(() -> config(List.of(), null)).hasMessageContaining("no remote");
        assertThatThrownBy(() -> new OpenVpnClientConfig("corp", List.of(remote("vpn.example.net")), ETC.resolve("ca.pem"),
                ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 60, 90, Path.of("/run/s.sock"), "sitegate"))
                .hasMessageContaining("keepalive timeout 90 s").hasMessageContaining("120 s");
        assertThatThrownBy(() -> new OpenVpnClientConfig("corp/../x", List.of(remote("vpn.example.net")), ETC.resolve("ca.pem"),
                ETC.resolve("c.pem"), ETC.resolve("c.key"), null, 25, 120, Path.of("/run/s.sock"), "sitegate"))
                .hasMessageContaining("tunnel name");
    }
}
