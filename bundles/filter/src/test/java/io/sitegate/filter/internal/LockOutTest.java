package io.sitegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.config.ConfigProblem;
import io.sitegate.filter.internal.FilterRule.Action;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockOutTest {
    final List<ProtectedEndpoint> endpoints;

    LockOutTest() throws Exception {
        endpoints = List.of(new ProtectedEndpoint("the MQTT broker mqtt.example.net:8883", InetAddress.getByName("198.51.100.7"), Proto.TCP, 8883),
                new ProtectedEndpoint("the DNS upstream udp://9.9.9.9:53", InetAddress.getByName("9.9.9.9"), Proto.UDP, 53),
                new ProtectedEndpoint("the tunnel endpoint eu:203.0.113.1", InetAddress.getByName("203.0.113.1"), Proto.UDP, 4500));
    }

    @Test
    void aRuleThatDeniesTheBrokerIsRefusedNamingTheBrokerAndTheRule() {
        List<ConfigProblem> p = LockOut.problems("io.sitegate.filter", RuleSetTest.rules(Action.ALLOW, "deny 198.51.100.0/24"), endpoints);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.property()).isEqualTo("deny");
            assertThat(x.value()).isEqualTo("198.51.100.0/24");
            assertThat(x.reason()).contains("rule 'deny 198.51.100.0/24'", "the MQTT broker mqtt.example.net:8883", "198.51.100.7 tcp/8883");
        });
    }

    @Test
    void aLoopbackUpstreamNeverLeavesThroughTheWanAndIsNotAnObstacle() throws Exception {
        List<ProtectedEndpoint> local = List.of(new ProtectedEndpoint("the DNS upstream udp://127.0.0.1:5301",
                InetAddress.getByName("127.0.0.1"), Proto.UDP, 5301));
        assertThat(LockOut.problems("io.sitegate.filter", RuleSetTest.rules(Action.DENY), local)).isEmpty();
    }

    @Test
    void anAllowListMustNameEveryEndpointAndAMoreSpecificAllowRescuesOne() {
        List<ConfigProblem> p = LockOut.problems("io.sitegate.filter", RuleSetTest.rules(Action.DENY, "allow 198.51.100.7 tcp/8883"), endpoints);
        assertThat(p).hasSize(2).allSatisfy(x -> assertThat(x.reason()).contains("the default action deny"));
        assertThat(LockOut.problems("io.sitegate.filter", RuleSetTest.rules(Action.DENY, "allow 198.51.100.7 tcp/8883",
                "allow 9.9.9.9 udp/53", "deny 203.0.113.0/24", "allow 203.0.113.1/32 udp"), endpoints)).isEmpty();
    }
}
