package io.sitegate.dns.internal;

import static io.sitegate.dns.internal.DnsMessages.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.dns.FirewallMode;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DnsConfigTest {

    static final Path SHIPPED = Path.of("../../etc/io.sitegate.dns.cfg");

    static Map<String, Object> shipped() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(SHIPPED, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put((String) k, v));
        return m;
    }

    private static Map<String, Object> props(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void shippedFileParsesToWhatItDocuments() throws Exception {
        DnsConfig c = DnsConfig.from(shipped());

        assertThat(c.listen()).containsExactly(new ListenSpec(null, "br-lan", 53));
        assertThat(c.wanInterfaces()).containsExactlyInAnyOrder("wwan0", "ppp0", "usb0");
        assertThat(c.listenWan()).isFalse();
        assertThat(c.upstreams()).extracting(UpstreamSpec::toString)
                .containsExactly("tls://9.9.9.9:853#dns.quad9.net", "tls://1.1.1.1:853#cloudflare-dns.com");
        assertThat(c.privateUpstreams()).isEmpty();
        assertThat(c.privateTunnel()).isEmpty();
        assertThat(c.privateFailClosed()).isTrue();
        assertThat(c.routePrivate()).isFalse();
        assertThat(c.forwards()).isEmpty();
        assertThat(c.tlsCa()).isEmpty();
        assertThat(c.upstreamTimeoutMs()).isEqualTo(1500);
        assertThat(c.cache()).isEqualTo(new DnsConfig.CacheConfig(20_000, 8_388_608, 0, 86_400, 3600, false, 86_400));
        assertThat(c.firewall().mode()).isEqualTo(FirewallMode.DENY_LIST);
        assertThat(c.firewall().allow()).isEmpty();
        assertThat(c.firewall().deny()).isEmpty();
        assertThat(c.firewall().answer()).isEqualTo(DnsConfig.BlockAnswer.NXDOMAIN);
        assertThat(c.firewall().sinkhole4()).isEqualTo(ip("0.0.0.0"));
        assertThat(c.firewall().sinkhole6()).isEqualTo(ip("::"));
        assertThat(c.rateLimitQps()).isEqualTo(500);
        assertThat(c.rateLimitBurst()).isEqualTo(1000);
        assertThat(c.tcpIdleTimeoutMs()).isEqualTo(10_000);
        assertThat(c.tcpMaxConnections()).isEqualTo(64);
        assertThat(c.tcpMaxConnectionsPerClient()).isEqualTo(8);
        assertThat(c.querySample()).isZero();
        assertThat(c.blockSample()).isEqualTo(1);
    }

    @Test
    void shippedFileDocumentsEveryPropertyItSets() throws Exception {
        String text = Files.readString(SHIPPED, StandardCharsets.UTF_8);

        for (String key : shipped().keySet()) {
            assertThat(text).as("comment for %s", key)
                    .containsPattern("(?m)^#.*(?<![A-Za-z.])" + java.util.regex.Pattern.quote(key) + "(?![A-Za-z])");
        }
    }

    @Test
    void emptyConfigurationGivesTheDefaults() {
        DnsConfig c = DnsConfig.from(Map.of());

        assertThat(c.listen()).isEmpty();
        assertThat(c.wanInterfaces()).containsExactlyInAnyOrder("wwan0", "ppp0", "usb0");
        assertThat(c.listenWan()).isFalse();
        assertThat(c.upstreams()).isEmpty();
        assertThat(c.privateUpstreams()).isEmpty();
        assertThat(c.privateTunnel()).isEmpty();
        assertThat(c.privateFailClosed()).isTrue();
        assertThat(c.routePrivate()).isFalse();
        assertThat(c.forwards()).isEmpty();
        assertThat(c.upstreamTimeoutMs()).isEqualTo(1500);
        assertThat(c.cache()).isEqualTo(new DnsConfig.CacheConfig(20_000, 8L << 20, 0, 86_400, 3600, false, 86_400));
        assertThat(c.firewall().mode()).isEqualTo(FirewallMode.DENY_LIST);
        assertThat(c.firewall().answer()).isEqualTo(DnsConfig.BlockAnswer.NXDOMAIN);
        assertThat(c.firewall().sinkhole4()).isEqualTo(ip("0.0.0.0"));
        assertThat(c.firewall().sinkhole6()).isEqualTo(ip("::"));
        assertThat(c.firewall().allowFile()).isEmpty();
        assertThat(c.rateLimitQps()).isEqualTo(500);
        assertThat(c.rateLimitBurst()).isEqualTo(1000);
        assertThat(c.tcpIdleTimeoutMs()).isEqualTo(10_000);
        assertThat(c.tcpMaxConnections()).isEqualTo(64);
        assertThat(c.tcpMaxConnectionsPerClient()).isEqualTo(8);
        assertThat(c.querySample()).isZero();
        assertThat(c.blockSample()).isEqualTo(1);
    }

    @Test
    void blankValuesMeanTheDefault() {
        DnsConfig c = DnsConfig.from(props("upstream.timeout", "  ", "route", "", "firewall.answer", " "));

        assertThat(c.upstreamTimeoutMs()).isEqualTo(1500);
        assertThat(c.routePrivate()).isFalse();
        assertThat(c.firewall().answer()).isEqualTo(DnsConfig.BlockAnswer.NXDOMAIN);
    }

    @Test
    void everySettingIsRead() {
        DnsConfig c = DnsConfig.from(props(
                "listen", "192.168.1.1:53, [fd00::1]:5353, br-lan:53",
                "wan.interfaces", "wwan1",
                "upstreams", "udp://1.1.1.1, tcp://[2606:4700:4700::1111]:53, tls://[2620:fe::fe]#dns.quad9.net",
                "private.upstreams", "udp://10.8.0.53:53",
                "private.tunnel", "tunnel/corp",
                "private.failClosed", "false",
                "route", "private",
                "forward.Corp.Example", "private",
                "forward.lab.example", "udp://10.0.0.53:5353, udp://10.0.0.54",
                "tls.ca", "/etc/sitegate/dns-ca.pem",
                "upstream.timeout", "200",
                "cache.maxEntries", "10",
                "cache.maxBytes", "4096",
                "cache.minTtl", "5",
                "cache.maxTtl", "600",
                "cache.negativeMaxTtl", "30",
                "cache.serveStale", "TRUE",
                "cache.staleMaxAge", "3600",
                "firewall.mode", "allowOnly",
                "firewall.allow", "example.com, =www.example.org",
                "firewall.deny", "ads.example",
                "firewall.allowFile", "/etc/sitegate/allow.txt",
                "firewall.denyFile", "/etc/sitegate/deny.txt",
                "firewall.answer", "SinkHole",
                "firewall.sinkhole4", "10.0.0.1",
                "firewall.sinkhole6", "fd00::1",
                "rateLimit.qps", "0",
                "rateLimit.burst", "0",
                "tcp.idleTimeout", "100",
                "tcp.maxConnections", "4096",
                "tcp.maxConnectionsPerClient", "2",
                "log.querySample", "100",
                "log.blockSample", "0"));

        assertThat(c.listen()).extracting(ListenSpec::toString)
                .containsExactly("192.168.1.1:53", "[fd00:0:0:0:0:0:0:1]:5353", "br-lan:53");
        assertThat(c.wanInterfaces()).containsExactly("wwan1");
        assertThat(c.upstreams()).extracting(UpstreamSpec::address).containsExactly(
                new InetSocketAddress(ip("1.1.1.1"), 53),
                new InetSocketAddress(ip("2606:4700:4700::1111"), 53),
                new InetSocketAddress(ip("2620:fe::fe"), 853));
        assertThat(c.upstreams().get(2).tlsName()).isEqualTo("dns.quad9.net");
        assertThat(c.privateUpstreams()).extracting(UpstreamSpec::toString).containsExactly("udp://10.8.0.53:53");
        assertThat(c.privateTunnel()).isEqualTo("tunnel/corp");
        assertThat(c.privateFailClosed()).isFalse();
        assertThat(c.routePrivate()).isTrue();
        assertThat(c.forwards()).containsOnlyKeys("corp.example", "lab.example");
        assertThat(c.forwards().get("corp.example")).isEqualTo(new DnsConfig.Forward(true, c.privateUpstreams()));
        assertThat(c.forwards().get("lab.example").toPrivate()).isFalse();
        assertThat(c.forwards().get("lab.example").upstreams()).extracting(UpstreamSpec::toString)
                .containsExactly("udp://10.0.0.53:5353", "udp://10.0.0.54:53");
        assertThat(c.tlsCa()).isEqualTo("/etc/sitegate/dns-ca.pem");
        assertThat(c.upstreamTimeoutMs()).isEqualTo(200);
        assertThat(c.cache()).isEqualTo(new DnsConfig.CacheConfig(10, 4096, 5, 600, 30, true, 3600));
        assertThat(c.firewall().mode()).isEqualTo(FirewallMode.ALLOW_ONLY);
        assertThat(c.firewall().allow()).containsExactlyInAnyOrder("example.com", "=www.example.org");
        assertThat(c.firewall().deny()).containsExactly("ads.example");
        assertThat(c.firewall().allowFile()).isEqualTo("/etc/sitegate/allow.txt");
        assertThat(c.firewall().denyFile()).isEqualTo("/etc/sitegate/deny.txt");
        assertThat(c.firewall().answer()).isEqualTo(DnsConfig.BlockAnswer.SINKHOLE);
        assertThat(c.firewall().sinkhole4()).isEqualTo(ip("10.0.0.1"));
        assertThat(c.firewall().sinkhole6()).isEqualTo(ip("fd00::1"));
        assertThat(c.rateLimitQps()).isZero();
        assertThat(c.rateLimitBurst()).isZero();
        assertThat(c.tcpIdleTimeoutMs()).isEqualTo(100);
        assertThat(c.tcpMaxConnections()).isEqualTo(4096);
        assertThat(c.tcpMaxConnectionsPerClient()).isEqualTo(2);
        assertThat(c.querySample()).isEqualTo(100);
        assertThat(c.blockSample()).isZero();
    }

    @Test
    void typedValuesFromConfigAdminAreAccepted() {
        Map<String, Object> m = new HashMap<>();
        m.put("upstream.timeout", 250);
        m.put("cache.serveStale", Boolean.TRUE);
        m.put("cache.maxBytes", 1L << 20);

        DnsConfig c = DnsConfig.from(m);

        assertThat(c.upstreamTimeoutMs()).isEqualTo(250);
        assertThat(c.cache().serveStale()).isTrue();
        assertThat(c.cache().maxBytes()).isEqualTo(1L << 20);
    }

    @Test
    void wildcardAndWanListenersAreAllowedWithListenWan() {
        DnsConfig c = DnsConfig.from(props("listen", "0.0.0.0:53, [::]:53, wwan0:53", "listen.wan", "true"));

        assertThat(c.listen()).hasSize(3);
        assertThat(c.listenWan()).isTrue();
    }

    @Test
    void wanInterfacesCanBeRenamed() {
        assertThat(DnsConfig.from(props("listen", "wwan0:53", "wan.interfaces", "ppp9")).listen())
                .containsExactly(new ListenSpec(null, "wwan0", 53));
        assertThatThrownBy(() -> DnsConfig.from(props("listen", "ppp9:53", "wan.interfaces", "ppp9")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("listen"));
    }

    @Test
    void privateRouteWithPrivateUpstreamsIsAccepted() {
        DnsConfig c = DnsConfig.from(props("route", "private", "private.upstreams", "udp://10.8.0.53"));

        assertThat(c.routePrivate()).isTrue();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("listen", props("listen", "0.0.0.0:53")),
                Arguments.of("listen", props("listen", "[::]:53")),
                Arguments.of("listen", props("listen", "192.168.1.1:53, 0.0.0.0:5353")),
                Arguments.of("listen", props("listen", "wwan0:53")),
                Arguments.of("listen", props("listen", "ppp0:53", "listen.wan", "false")),
                Arguments.of("listen", props("listen", "br-lan")),
                Arguments.of("listen", props("listen", "192.168.1.1:0")),
                Arguments.of("listen", props("listen", "192.168.1.1:65536")),
                Arguments.of("listen", props("listen", "192.168.1.1")),
                Arguments.of("listen", props("listen", "http://192.168.1.1:53")),
                Arguments.of("listen.wan", props("listen.wan", "yes")),
                Arguments.of("upstreams", props("upstreams", "udp://example.com:53")),
                Arguments.of("upstreams", props("upstreams", "tls://dns.quad9.net:853#dns.quad9.net")),
                Arguments.of("upstreams", props("upstreams", "tls://1.2.3.4:853")),
                Arguments.of("upstreams", props("upstreams", "udp://1.2.3.4:99999")),
                Arguments.of("upstreams", props("upstreams", "udp://1.2.3.4:0")),
                Arguments.of("upstreams", props("upstreams", "udp://1.2.3.4:53#name")),
                Arguments.of("upstreams", props("upstreams", "https://1.2.3.4/dns-query")),
                Arguments.of("upstreams", props("upstreams", "1.2.3.4")),
                Arguments.of("upstreams", props("upstreams", "udp://1.1.1.1, udp://[::1")),
                Arguments.of("private.upstreams", props("private.upstreams", "udp://corp-dns:53")),
                Arguments.of("private.tunnel", props("private.tunnel", "Tunnel Corp")),
                Arguments.of("private.failClosed", props("private.failClosed", "1")),
                Arguments.of("route", props("route", "private")),
                Arguments.of("route", props("route", "maybe")),
                Arguments.of("forward.corp.example", props("forward.corp.example", "private")),
                Arguments.of("forward.bad..name", props("forward.bad..name", "udp://10.0.0.53")),
                Arguments.of("forward.", props("forward.", "udp://10.0.0.53")),
                Arguments.of("forward.sp ace.example", props("forward.sp ace.example", "udp://10.0.0.53")),
                Arguments.of("forward.lab.example", props("forward.lab.example", "")),
                Arguments.of("forward.lab.example", props("forward.lab.example", "public")),
                Arguments.of("forward.lab.example", props("forward.lab.example", "udp://lab-dns:53")),
                Arguments.of("forward.lab.example", props("forward.lab.example", "tls://10.0.0.53")),
                Arguments.of("upstream.timeout", props("upstream.timeout", "5")),
                Arguments.of("upstream.timeout", props("upstream.timeout", "10001")),
                Arguments.of("upstream.timeout", props("upstream.timeout", "1.5s")),
                Arguments.of("cache.maxEntries", props("cache.maxEntries", "-1")),
                Arguments.of("cache.maxBytes", props("cache.maxBytes", "8M")),
                Arguments.of("cache.minTtl", props("cache.minTtl", "-5")),
                Arguments.of("cache.maxTtl", props("cache.maxTtl", "604801")),
                Arguments.of("cache.negativeMaxTtl", props("cache.negativeMaxTtl", "86401")),
                Arguments.of("cache.serveStale", props("cache.serveStale", "on")),
                Arguments.of("cache.staleMaxAge", props("cache.staleMaxAge", "0")),
                Arguments.of("firewall.mode", props("firewall.mode", "maybe")),
                Arguments.of("firewall.mode", props("firewall.mode", "allow")),
                Arguments.of("firewall.answer", props("firewall.answer", "drop")),
                Arguments.of("firewall.sinkhole4", props("firewall.sinkhole4", "::1")),
                Arguments.of("firewall.sinkhole4", props("firewall.sinkhole4", "localhost")),
                Arguments.of("firewall.sinkhole4", props("firewall.sinkhole4", "10.0.0.256")),
                Arguments.of("firewall.sinkhole6", props("firewall.sinkhole6", "10.0.0.1")),
                Arguments.of("firewall.sinkhole6", props("firewall.sinkhole6", "fd00::1::2")),
                Arguments.of("rateLimit.qps", props("rateLimit.qps", "-1")),
                Arguments.of("rateLimit.burst", props("rateLimit.burst", "lots")),
                Arguments.of("tcp.idleTimeout", props("tcp.idleTimeout", "99")),
                Arguments.of("tcp.maxConnections", props("tcp.maxConnections", "0")),
                Arguments.of("tcp.maxConnectionsPerClient", props("tcp.maxConnectionsPerClient", "0")),
                Arguments.of("tcp.maxConnectionsPerClient", props("tcp.maxConnectionsPerClient", "eight")),
                Arguments.of("log.querySample", props("log.querySample", "-1")),
                Arguments.of("log.blockSample", props("log.blockSample", "2147483648")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void badValueIsRefusedNamingTheProperty(String property, Map<String, Object> properties) {
        String value = String.valueOf(properties.get(property)).trim();

        assertThatThrownBy(() -> DnsConfig.from(properties))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo(property);
                    assertThat(e.getMessage()).contains(property);
                    if (!value.isEmpty() && !property.equals("listen")) {
                        assertThat(e.value()).isEqualTo(value);
                    }
                });
    }

    @Test
    void wildcardListenRefusalSaysHowToAllowIt() {
        assertThatThrownBy(() -> DnsConfig.from(props("listen", "0.0.0.0:53")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("0.0.0.0:53")
                .hasMessageContaining("listen.wan");
    }

    @Test
    void tlsUpstreamWithoutNameSaysWhatIsMissing() {
        assertThatThrownBy(() -> DnsConfig.from(props("upstreams", "tls://1.2.3.4:853")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("tls://1.2.3.4:853")
                .hasMessageContaining("#name");
    }

    @Test
    void probeSeesAnAcceptedSinkhole() throws Exception {
        assertThat(NameLookupProbe.accepted("sinkhole4", "192.0.2.1", "localhost")).containsExactly("192.0.2.1");
    }

    @Test
    void sinkholeThatLooksLikeAnAddressIsRefusedWithoutALookup() throws Exception {
        assertThat(NameLookupProbe.accepted("sinkhole4", "10.0.0.256", "999.1.1.1", "1.2.3.4.5")).isEmpty();
        assertThat(NameLookupProbe.accepted("sinkhole6", "cafe", "dead.beef", "face.b00c")).isEmpty();
    }

    @Test
    void forwardsAreKeyedByLowerCaseSuffix() {
        DnsConfig c = DnsConfig.from(props("forward.LAB.Example", "udp://10.0.0.53"));

        assertThat(c.forwards()).containsOnlyKeys("lab.example");
        assertThat(c.forwards().get("lab.example").upstreams()).hasSize(1);
    }

    @Test
    void listsIgnoreEmptyItems() {
        DnsConfig c = DnsConfig.from(props("upstreams", " udp://1.1.1.1 ,, udp://8.8.8.8 , ", "firewall.deny", "a.example,,b.example,"));

        assertThat(c.upstreams()).hasSize(2);
        assertThat(c.firewall().deny()).containsExactlyInAnyOrder("a.example", "b.example");
    }

    @Test
    void configsWithTheSameValuesAreEqual() {
        assertThat(DnsConfig.from(props("upstreams", "udp://1.1.1.1", "listen", "br-lan:53")))
                .isEqualTo(DnsConfig.from(props("upstreams", "udp://1.1.1.1:53", "listen", "br-lan:53")));
    }

    @Test
    void validationFindsEveryProblemUnknownKeysAndUnloadableFiles() throws Exception {
        Map<String, Object> p = shipped();
        p.put("cache.maxTtl", "forever");
        p.put("upstrems", "udp://192.0.2.1:53");
        p.put("listen", "0.0.0.0:53");
        p.put("forward.Bad Suffix", "private");
        var problems = DnsConfig.problems(DnsConfig.PID, p);
        assertThat(problems).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactlyInAnyOrder("cache.maxTtl", "upstrems", "listen", "forward.Bad Suffix");
        assertThat(problems).filteredOn(x -> x.property().equals("upstrems")).first()
                .satisfies(x -> assertThat(x.reason()).startsWith("unknown property"));

        Map<String, Object> files = shipped();
        files.put("tls.ca", "/nonexistent/ca.pem");
        assertThat(DnsConfig.problems(DnsConfig.PID, files)).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactly("tls.ca");
        files.put("tls.ca", "");
        files.put("firewall.denyFile", "/nonexistent/deny.txt");
        assertThat(DnsConfig.problems(DnsConfig.PID, files)).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactly("firewall.denyFile");
        files.put("firewall.denyFile", "");
        files.put("firewall.deny", "ok.example, bad..example");
        assertThat(DnsConfig.problems(DnsConfig.PID, files)).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactly("firewall.deny");
    }
}
