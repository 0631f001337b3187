package io.sitegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SecretStore;
import io.sitegate.core.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelSettingsTest {
    @TempDir
    Path dir;
    private SecretStore secrets;
    private Path pem;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/corp-psk"), "0123456789abcdef0123");
        pem = Files.writeString(dir.resolve("a.pem"), "-----BEGIN CERTIFICATE-----\n");
        secrets = new SecretStore() {
            @Override
            public Secret read(String name) throws SecretException {
                throw new SecretException("not in this test");
            }

            @Override
            public Path directory() {
                return dir.resolve("secrets");
            }
        };
    }

    private Map<String, Object> openvpn() {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "openvpn");
        m.put("priority", "100");
        m.put("endpoints", "eu:vpn1.example.net, eu:198.51.100.7:443, na:vpn-us.example.net");
        m.put("prefixes", "10.99.0.0/24");
        m.put("probe.address", "10.99.0.10");
        m.put("openvpn.ca", pem.toString());
        m.put("openvpn.cert", pem.toString());
        m.put("openvpn.key", pem.toString());
        m.put("openvpn.command", pem.toString());
        return m;
    }

    private Map<String, Object> ipsec() {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "ipsec");
        m.put("endpoints", "eu:203.0.113.5");
        m.put("prefixes", "10.99.0.0/24");
        m.put("probe.address", "10.99.0.10");
        m.put("source", "10.77.1.1");
        m.put("ipsec.auth", "psk");
        m.put("ipsec.pskSecret", "corp-psk");
        m.put("ipsec.localId", "gw1.site.test");
        m.put("ipsec.remoteId", "ike.cloud.test");
        m.put("ipsec.localTs", "10.77.1.0/24");
        m.put("ipsec.proposals", "aes256gcm16-prfsha384-ecp384");
        return m;
    }

    private List<ConfigProblem> problems(String name, Map<String, Object> m) {
        return TunnelSettings.problems("io.sitegate.tunnel~" + name, m, secrets);
    }

    @Test
    void aCompleteOpenVpnTunnelIsValidWithSafeDefaults() {
        assertThat(problems("primary", openvpn())).isEmpty();
        TunnelSettings s = TunnelSettings.from("io.sitegate.tunnel~primary", openvpn(), secrets);
        assertThat(s.device()).isEqualTo("sg-primary");
        assertThat(s.leaveRegion()).isFalse();
        assertThat(s.keepalive()).isEqualTo(25);
        assertThat(s.probeInterval()).hasSeconds(10);
        assertThat(s.holdDown()).hasSeconds(60);
        assertThat(s.candidates("eu")).extracting(TunnelSettings.Endpoint::host).containsExactly("vpn1.example.net", "198.51.100.7");
        assertThat(s.candidates("asia")).isEmpty();
    }

    @Test
    void leavingTheRegionIsOnlyAllowedWhenConfiguredAndThenComesLast() {
        Map<String, Object> m = openvpn();
        m.put("region.leave", "true");
        TunnelSettings s = TunnelSettings.from("io.sitegate.tunnel~primary", m, secrets);
        assertThat(s.candidates("na")).extracting(TunnelSettings.Endpoint::host)
                .containsExactly("vpn-us.example.net", "vpn1.example.net", "198.51.100.7");
    }

    @Test
    void aCompleteIpsecTunnelIsValid() {
        assertThat(problems("corp", ipsec())).isEmpty();
        assertThat(TunnelSettings.from("io.sitegate.tunnel~corp", ipsec(), secrets).device()).isEqualTo("ipsec0");
    }

    @Test
    void everyProblemIsFoundAtOnceAndNamesItsProperty() {
        Map<String, Object> m = ipsec();
        m.put("prefixes", "10.99.0.1/24, 10.98.0.0/33");
        m.put("ipsec.proposals", "aes256-sha999-modp2048");
        m.put("ipsec.pskSecret", "missing");
        m.put("endpoints", "eu:203.0.113.5:500");
        m.put("probe.interval", "0");
        m.put("prioritty", "5");
        assertThat(problems("corp", m)).extracting(ConfigProblem::property)
                .contains("prefixes", "ipsec.pskSecret", "endpoints", "probe.interval", "prioritty");
        m.put("prefixes", "10.99.0.0/24");
        m.put("endpoints", "eu:203.0.113.5");
        assertThat(problems("corp", m)).filteredOn(p -> p.property().equals("ipsec.proposals")).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("sha999"));
    }

    @Test
    void credentialsAndFilesMustExist() {
        Map<String, Object> m = openvpn();
        m.put("openvpn.key", dir.resolve("nope.key").toString());
        m.remove("openvpn.ca");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property, ConfigProblem::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("openvpn.key", "no such file"))
                .anySatisfy(t -> assertThat(t.toList()).first().isEqualTo("openvpn.ca"));
        Map<String, Object> i = ipsec();
        i.remove("ipsec.pskSecret");
        i.put("source", "10.1.1.1");
        assertThat(problems("corp", i)).extracting(ConfigProblem::property).containsExactlyInAnyOrder("ipsec.pskSecret", "source");
    }

    @Test
    void theProbeMustGoThroughTheTunnelAndNamesAreRefusedForIt() {
        Map<String, Object> m = openvpn();
        m.put("probe.address", "10.1.2.3");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property).containsExactly("probe.address");
        m.put("probe.address", "probe.cloud.example");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property).containsExactly("probe.address");
    }

    @Test
    void anOpenVpnNameTooLongForItsDeviceAndUnknownTypesAreRefused() {
        assertThat(problems("a-very-long-name", openvpn())).extracting(ConfigProblem::property).containsExactly("type");
        Map<String, Object> m = openvpn();
        m.put("type", "wireguard");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property).containsExactly("type");
        m.remove("type");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property).containsExactly("type");
    }

    @Test
    void keepaliveTimeoutMustCoverTwoKeepalivesAndEndpointsAreStrict() {
        Map<String, Object> m = openvpn();
        m.put("keepalive", "60");
        m.put("keepalive.timeout", "90");
        m.put("endpoints", "eu:vpn1.example.net;reboot, EU:x.example.net, eu:%any");
        assertThat(problems("primary", m)).extracting(ConfigProblem::property)
                .containsExactlyInAnyOrder("keepalive.timeout", "endpoints", "endpoints", "endpoints");
    }

    @Test
    void noPropertyNameLooksLikeAFrameworkPropertyThatTheContractWouldDrop() {
        // a key ending in ".target" (a DS reference target) is dropped by ConfigSection.normalise: probe.target was
        for (java.lang.reflect.Method m : TunnelConfig.class.getDeclaredMethods()) {
            String key = io.sitegate.core.ConfigurationValues.propertyName(m.getName());
            assertThat(io.sitegate.core.config.ConfigSection.isFramework(key)).as(key).isFalse();
        }
    }
}
