package io.sitegate.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.HealthState;
import io.sitegate.dns.UpstreamStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutesTest {

    private static final Predicate<String> UP = t -> true;
    private static final Predicate<String> DOWN = t -> false;

    private static Routes routes(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new Routes(DnsConfig.from(m));
    }

    private static List<String> specs(Routes.Selection s) {
        return s.route().upstreams().stream().map(u -> u.spec().toString()).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "a.corp.example.com,       forward corp.example.com",
            "corp.example.com,         forward corp.example.com",
            "x.y.corp.example.com,     forward corp.example.com",
            "www.example.com,          forward example.com",
            "example.com,              forward example.com",
            "notexample.com,           public",
            "xcorp.example.com,        forward example.com",
            "corp.example.com.evil,    public",
            "com,                      public",
            "'',                       public"})
    void longestForwardSuffixWins(String name, String route) {
        Routes r = routes("upstreams", "udp://1.1.1.1",
                "forward.example.com", "udp://10.0.0.1",
                "forward.corp.example.com", "udp://10.0.0.2");

        Routes.Selection s = r.select(name, UP);

        assertThat(s.refusal()).isNull();
        assertThat(s.route().name()).isEqualTo(route);
    }

    @Test
    void forwardSendsToItsOwnUpstreamsInOrder() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "forward.lab.example", "udp://10.0.0.53, tcp://10.0.0.54");

        assertThat(specs(r.select("host.lab.example", UP))).containsExactly("udp://10.0.0.53:53", "tcp://10.0.0.54:53");
        assertThat(specs(r.select("host.example", UP))).containsExactly("udp://1.1.1.1:53");
    }

    @Test
    void defaultRouteIsPublic() {
        Routes r = routes("upstreams", "udp://1.1.1.1, udp://8.8.8.8", "private.upstreams", "udp://10.8.0.53");

        Routes.Selection s = r.select("www.example.com", DOWN);

        assertThat(s.route().name()).isEqualTo("public");
        assertThat(s.route().viaTunnel()).isFalse();
        assertThat(specs(s)).containsExactly("udp://1.1.1.1:53", "udp://8.8.8.8:53");
    }

    @Test
    void defaultRouteCanBePrivate() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53", "route", "private");

        Routes.Selection s = r.select("www.example.com", DOWN);

        assertThat(s.route().name()).isEqualTo("private");
        assertThat(s.route().viaTunnel()).isFalse(); // no tunnel configured: always used
        assertThat(specs(s)).containsExactly("udp://10.8.0.53:53");
    }

    @Test
    void privateRouteBehindATunnelIsUsedWhileTheTunnelIsUp() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "private.tunnel", "tunnel/corp", "forward.corp.example", "private");
        List<String> asked = new ArrayList<>();

        Routes.Selection s = r.select("intranet.corp.example", t -> asked.add(t));

        assertThat(s.route().name()).isEqualTo("private");
        assertThat(s.route().viaTunnel()).isTrue();
        assertThat(asked).containsExactly("tunnel/corp");
    }

    @Test
    void publicNamesDoNotDependOnTheTunnel() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "private.tunnel", "tunnel/corp", "forward.corp.example", "private");
        List<String> asked = new ArrayList<>();

        Routes.Selection s = r.select("www.example.com", t -> asked.add(t) && false);

        assertThat(s.route().name()).isEqualTo("public");
        assertThat(asked).isEmpty();
    }

    @Test
    void tunnelDownAndFailClosedRefusesNamingTheTunnel() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "private.tunnel", "tunnel/corp", "forward.corp.example", "private");

        Routes.Selection s = r.select("intranet.corp.example", DOWN);

        assertThat(s.route()).isNull();
        assertThat(s.refusal()).contains("tunnel/corp").contains("not UP");
    }

    @Test
    void tunnelDownWithoutFailClosedFallsBackToPublic() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "private.tunnel", "tunnel/corp", "private.failClosed", "false", "route", "private");

        Routes.Selection s = r.select("intranet.corp.example", DOWN);

        assertThat(s.refusal()).isNull();
        assertThat(s.route().name()).isEqualTo("public");
        assertThat(specs(s)).containsExactly("udp://1.1.1.1:53");
    }

    @Test
    void tunnelDownWithoutFailClosedAndNoPublicUpstreamsIsRefused() {
        Routes r = routes("private.upstreams", "udp://10.8.0.53", "private.tunnel", "tunnel/corp",
                "private.failClosed", "false", "route", "private");

        Routes.Selection s = r.select("intranet.corp.example", DOWN);

        assertThat(s.route()).isNull();
        assertThat(s.refusal()).contains("no upstreams").contains("public");
    }

    @Test
    void noUpstreamsIsRefused() {
        Routes.Selection s = routes().select("www.example.com", UP);

        assertThat(s.route()).isNull();
        assertThat(s.refusal()).isEqualTo("no upstreams configured for public");
    }

    @Test
    void forwardToPrivateUsesTheSameUpstreamObjects() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "forward.a.example", "private", "forward.b.example", "private", "route", "private");

        Upstream viaA = r.select("x.a.example", UP).route().upstreams().get(0);
        Upstream viaB = r.select("x.b.example", UP).route().upstreams().get(0);
        Upstream byDefault = r.select("x.c.example", UP).route().upstreams().get(0);

        // One health per upstream: a failure seen through one suffix pauses it for all.
        assertThat(viaA).isSameAs(viaB).isSameAs(byDefault);
    }

    @Test
    void statusListsEachUpstreamOnceInOrder() {
        Routes r = routes("upstreams", "udp://1.1.1.1, udp://8.8.8.8",
                "private.upstreams", "udp://10.8.0.53", "private.tunnel", "tunnel/corp",
                "forward.corp.example", "private", "forward.other.example", "private",
                "forward.lab.example", "udp://10.0.0.53");

        List<UpstreamStatus> up = r.status(UP);

        assertThat(up).extracting(UpstreamStatus::spec)
                .containsExactly("udp://1.1.1.1:53", "udp://8.8.8.8:53", "udp://10.8.0.53:53", "udp://10.0.0.53:53");
        assertThat(up).extracting(UpstreamStatus::route)
                .containsExactly("public", "public", "private", "forward lab.example");
        assertThat(up).extracting(UpstreamStatus::state).containsOnly(HealthState.UP);
        assertThat(up).extracting(UpstreamStatus::reason).containsOnly("not asked yet");
    }

    @Test
    void statusShowsUpstreamsBehindADownTunnelAsDown() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53, udp://10.8.0.54",
                "private.tunnel", "tunnel/corp");

        List<UpstreamStatus> down = r.status(DOWN);

        assertThat(down).extracting(UpstreamStatus::state)
                .containsExactly(HealthState.UP, HealthState.DOWN, HealthState.DOWN);
        assertThat(down.get(1).reason()).contains("tunnel/corp");
        assertThat(r.anyHealthy(DOWN)).isTrue();
    }

    @Test
    void anyHealthyIsFalseWhenEveryUsableUpstreamIsPausedOrBehindADownTunnel() {
        Routes r = routes("upstreams", "udp://1.1.1.1", "private.upstreams", "udp://10.8.0.53",
                "private.tunnel", "tunnel/corp");
        r.select("www.example.com", UP).route().upstreams().get(0).failed(0, "timeout");

        assertThat(r.anyHealthy(DOWN)).isFalse();
        assertThat(r.anyHealthy(UP)).isTrue();
        assertThat(routes().anyHealthy(UP)).isFalse();
    }

    @Test
    void statusReflectsFailures() {
        Routes r = routes("upstreams", "udp://1.1.1.1, udp://8.8.8.8");
        r.select("www.example.com", UP).route().upstreams().get(1).failed(0, "no answer within 1500 ms");

        List<UpstreamStatus> s = r.status(UP);

        assertThat(s.get(0).state()).isEqualTo(HealthState.UP);
        assertThat(s.get(1).state()).isEqualTo(HealthState.DEGRADED);
        assertThat(s.get(1).reason()).contains("no answer within 1500 ms");
    }

    @Test
    void aFailedOverTunnelSetStillCarriesThePrivateDnsASingleDegradedTunnelDoesNot() {
        assertThat(Routes.reachable("tunnels", io.sitegate.core.HealthState.UP)).isTrue();
        assertThat(Routes.reachable("tunnels", io.sitegate.core.HealthState.DEGRADED)).isTrue(); // on the backup
        assertThat(Routes.reachable("tunnels", io.sitegate.core.HealthState.DOWN)).isFalse();
        assertThat(Routes.reachable("tunnel/corp", io.sitegate.core.HealthState.UP)).isTrue();
        assertThat(Routes.reachable("tunnel/corp", io.sitegate.core.HealthState.DEGRADED)).isFalse(); // its probe fails
        assertThat(Routes.reachable("tunnel/corp", io.sitegate.core.HealthState.DOWN)).isFalse();
    }
}
