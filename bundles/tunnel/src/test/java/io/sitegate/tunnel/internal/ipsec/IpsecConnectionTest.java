package io.sitegate.tunnel.internal.ipsec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.tunnel.internal.vici.ViciCodec;
import io.sitegate.tunnel.internal.vici.ViciSection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connection Sitegate loads into charon, and what it refuses, naming the property. Keys from strongSwan's
 * swanctl.opt and vici README.md ("load-conn", "load-shared") at 3b902ea59b; proposal keywords from
 * proposal_keywords_static.txt.
 */
class IpsecConnectionTest {

    private static IpsecConnection psk(String remote, List<String> proposals, List<String> remoteTs) {
        return new IpsecConnection("corp", remote, "gw-0042.sites.example.com", "vpn.eu.example.com",
                IpsecConnection.Auth.PSK, proposals, List.of("aes256gcm16-ecp384"), List.of("192.168.10.0/24"), remoteTs, 30);
    }

    @Test
    void loadConnHasTheSwanctlLayoutWithTheSupervisorInCharge() throws Exception {
        IpsecConnection c = psk("198.51.100.7", List.of("aes256gcm16-prfsha384-ecp384", "default"), List.of("10.20.0.0/16", "2001:db8:20::/48"));

        ViciSection conn = c.loadConn(List.of(), List.of()).section("corp").orElseThrow();

        assertThat(conn.string("version")).contains("2");
        assertThat(conn.list("remote_addrs").orElseThrow().strings()).containsExactly("198.51.100.7");
        assertThat(conn.list("proposals").orElseThrow().strings()).containsExactly("aes256gcm16-prfsha384-ecp384", "default");
        assertThat(conn.string("dpd_delay")).contains("30s");
        assertThat(conn.section("local").orElseThrow().string("auth")).contains("psk");
        assertThat(conn.section("local").orElseThrow().string("id")).contains("gw-0042.sites.example.com");
        assertThat(conn.section("remote").orElseThrow().string("id")).contains("vpn.eu.example.com");
        ViciSection child = conn.section("children").orElseThrow().section("corp-child").orElseThrow();
        assertThat(child.list("local_ts").orElseThrow().strings()).containsExactly("192.168.10.0/24");
        assertThat(child.list("remote_ts").orElseThrow().strings()).containsExactly("10.20.0.0/16", "2001:db8:20::/48");
        assertThat(child.string("start_action")).contains("none");
        assertThat(child.string("dpd_action")).contains("clear");
        // it encodes as a VICI message (names, sizes and nesting within strongSwan's limits)
        assertThat(ViciCodec.encodeMessage(c.loadConn(List.of(), List.of()))).isNotEmpty();
    }

    @Test
    void certificatesGoOverViciAsData() {
        IpsecConnection c = new IpsecConnection("corp", "vpn.eu.example.com", "gw-0042.sites.example.com", "vpn.eu.example.com",
                IpsecConnection.Auth.PUBKEY, List.of("default"), List.of("default"), List.of("192.168.10.0/24"),
                List.of("10.20.0.0/16"), 0);
        byte[] cert = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

        ViciSection conn = c.loadConn(List.of(cert), List.of(cert)).section("corp").orElseThrow();

        assertThat(conn.section("local").orElseThrow().string("auth")).contains("pubkey");
        assertThat(conn.section("local").orElseThrow().list("certs").orElseThrow().items().get(0).bytes()).isEqualTo(cert);
        assertThat(conn.section("remote").orElseThrow().list("cacerts").orElseThrow().size()).isEqualTo(1);
        assertThatThrownBy(() -> c.loadConn(List.of(), List.of(cert))).hasMessageContaining("needs a certificate");
        assertThatThrownBy(() -> c.loadShared(new byte[32])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePskIsSentOwnedByBothIdentitiesAndNeverPrinted() {
        IpsecConnection c = psk("198.51.100.7", List.of("default"), List.of("10.20.0.0/16"));
        byte[] secret = "a-long-enough-shared-secret".getBytes(StandardCharsets.UTF_8);

        ViciSection shared = c.loadShared(secret);

        assertThat(shared.string("type")).contains("IKE");
        assertThat(shared.value("data").orElseThrow().bytes()).isEqualTo(secret);
        assertThat(shared.list("owners").orElseThrow().strings()).containsExactly("gw-0042.sites.example.com", "vpn.eu.example.com");
        assertThat(shared.toString()).doesNotContain("a-long-enough");
        assertThatThrownBy(() -> c.loadShared("short".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("16 bytes");
    }

    @Test
    void noIkeFromTheWanTheRemoteIsOneEndpoint() {
        for (String remote : new String[] {"%any", "0.0.0.0/0", "198.51.100.0/24", "198.51.100.1-198.51.100.9", "", "vpn example",
                "vpn.example.com,%any", "300.1.2.3"}) {
            assertThatThrownBy(() -> psk(remote, List.of("default"), List.of("10.20.0.0/16"))).as(remote)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("remote = ");
        }
        assertThat(psk("2001:db8::7", List.of("default"), List.of("10.20.0.0/16")).remote()).isEqualTo("2001:db8::7");
        assertThatThrownBy(() -> new IpsecConnection("corp", "198.51.100.7", "gw", "%any", IpsecConnection.Auth.PSK,
                List.of("default"), List.of("default"), List.of("192.168.10.0/24"), List.of("10.20.0.0/16"), 30))
                .hasMessageStartingWith("remoteId = '%any'");
    }

    @Test
    void unknownProposalsAndBadSelectorsAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> psk("198.51.100.7", List.of("aes256gcm16-prfsha384-ecp385"), List.of("10.20.0.0/16")))
                .hasMessage("proposals = 'aes256gcm16-prfsha384-ecp385': 'ecp385' is not an algorithm strongSwan knows");
        assertThatThrownBy(() -> psk("198.51.100.7", List.of("aes256--sha256"), List.of("10.20.0.0/16")))
                .hasMessageStartingWith("proposals = 'aes256--sha256'");
        assertThatThrownBy(() -> psk("198.51.100.7", List.of(), List.of("10.20.0.0/16"))).hasMessageStartingWith("proposals = (missing)");
        for (String ts : new String[] {"10.20.0.0", "10.20.0.1/16", "10.20.0.0/33", "10.20.0.0/16\nx", "::/129", "a.b.c.d/8"}) {
            assertThatThrownBy(() -> psk("198.51.100.7", List.of("default"), List.of(ts))).as(ts)
                    .hasMessageStartingWith("remoteTs = ").message().doesNotContain("\n");
        }
        assertThat(IpsecConnection.KEYWORDS).contains("aes256gcm16", "prfsha384", "ecp384", "x25519", "chacha20poly1305", "esn");
    }
}
