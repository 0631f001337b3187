package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTallyTest {
    private static final String T = "group:g";

    private static GatewayStatus online(String gw, String health) throws IOException {
        return FleetTableTest.status("{\"state\":\"online\",\"gateway\":\"" + gw + "\",\"groups\":[\"g\"],\"health\":" + health + "}");
    }

    @Test
    void canaryPassesOnlyAppliedAndHealthy() throws IOException {
        PolicyAck applied = new PolicyAck("c1", 5, T, "applied", "");
        assertThat(RolloutTally.canaryProblem("c1", applied, online("c1", "{\"mqtt\":\"UP\",\"tunnels\":\"UP\",\"other\":\"DOWN\"}"))).isNull();
        assertThat(RolloutTally.canaryProblem("c1", applied, online("c1", "{\"tunnels\":\"DOWN\"}"))).isEqualTo("c1: health tunnels: DOWN");
        assertThat(RolloutTally.canaryProblem("c1", applied, online("c1", "{\"modem/wan0\":\"DEGRADED\"}"))).contains("modem/wan0: DEGRADED");
        assertThat(RolloutTally.canaryProblem("c1", null, online("c1", "{}"))).isEqualTo("c1: no final ack");
        assertThat(RolloutTally.canaryProblem("c1", new PolicyAck("c1", 5, T, "rolled_back", "tunnel down"), online("c1", "{}")))
                .isEqualTo("c1: rolled_back (tunnel down)");
        assertThat(RolloutTally.canaryProblem("c1", applied, FleetTableTest.status("{\"state\":\"offline\",\"gateway\":\"c1\"}")))
                .contains("offline");
    }

    @Test
    void canaryRejectionAsAlreadyAppliedCountsAsApplied() {
        RolloutTally t = new RolloutTally(Set.of("c1", "m1", "m2"), Set.of("c1"), 5, T);
        t.ack(new PolicyAck("c1", 5, T, "received", ""));
        t.ack(new PolicyAck("c1", 5, T, "rejected", "version 5 is not above the high-water mark 5 of group:g"));
        t.ack(new PolicyAck("m1", 5, T, "applied", ""));
        assertThat(t.complete()).isFalse();
        t.ack(new PolicyAck("m2", 4, T, "applied", "")); // another version: not counted
        assertThat(t.summary(1.25)).isEqualTo("applied 2, rejected 0, rolled back 0, silent 1 (of 3 gateways) in 1.3 s");
        t.ack(new PolicyAck("m2", 5, T, "applied", ""));
        assertThat(t.complete()).isTrue();
        assertThat(t.allApplied()).isTrue();
    }

    @Test
    void nonCanaryReplayIsARejectionAndReasonsAreListed() {
        RolloutTally t = new RolloutTally(Set.of("m1", "m2", "m3"), Set.of(), 5, T);
        t.ack(new PolicyAck("m1", 5, T, "rejected", "version 5 is not above the high-water mark 5 of group:g"));
        t.ack(new PolicyAck("m2", 5, T, "rolled_back", "tunnels DOWN"));
        assertThat(t.allApplied()).isFalse();
        assertThat(t.summary(0)).startsWith("applied 0, rejected 1, rolled back 1, silent 1 (of 3 gateways)");
        assertThat(t.problems()).containsExactly("m1: rejected (version 5 is not above the high-water mark 5 of group:g)",
                "m2: rolled_back (tunnels DOWN)", "m3: silent");
    }

    @Test
    void membersAndCanariesComeFromStatuses() throws IOException {
        Map<String, GatewayStatus> all = Map.of("b", online("b", "{}"), "a", online("a", "{}"),
                "z", FleetTableTest.status("{\"state\":\"online\",\"gateway\":\"z\",\"groups\":[\"other\"]}"),
                "c", FleetTableTest.status("{\"state\":\"offline\",\"gateway\":\"c\"}"));
        Map<String, GatewayStatus> members = RolloutTally.membersOf("g", all);
        assertThat(members).containsOnlyKeys("a", "b");
        assertThat(RolloutTally.pickCanaries(members, 1)).containsExactly("a");
        assertThat(RolloutTally.pickCanaries(members, 5)).containsExactly("a", "b");
    }
}
