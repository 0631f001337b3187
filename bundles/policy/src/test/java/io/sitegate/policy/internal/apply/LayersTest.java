package io.sitegate.policy.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.internal.apply.ApplyResult.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own policy over its groups', section by section; and an operator's rollback. */
class LayersTest {
    static final String GROUP = "group:plant-7";
    @TempDir
    Path dir;
    Gateway gw;

    @BeforeEach
    void boot() throws Exception {
        gw = new Gateway(dir);
        assertThat(gw.engine.recover()).isEmpty();
    }

    private ApplyResult apply(PolicyDocument doc) throws Exception {
        CompletionStage<ApplyResult> stage = gw.engine.apply(doc, HealthCondition.none());
        return stage.toCompletableFuture().join();
    }

    @Test
    void aGroupPolicyLeavesTheSectionsOfTheGatewaysOwnPolicyAlone() throws Exception {
        PolicyDocument group1 = Gateway.policy(1, "g1", List.of("dns", "cellular"), GROUP);
        PolicyDocument own1 = Gateway.policy(1, "own1", List.of("dns"));
        PolicyDocument group2 = Gateway.policy(2, "g2", List.of("dns", "cellular"), GROUP);
        assertThat(apply(group1).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(own1).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(gw.holds(own1, List.of("dns"))).isTrue();
        assertThat(gw.holds(group1, List.of("cellular"))).isTrue();

        ApplyResult r = apply(group2);

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(gw.holds(own1, List.of("dns"))).as("the gateway's own dns section stays").isTrue();
        assertThat(gw.holds(group2, List.of("cellular"))).as("the group's cellular section is new").isTrue();
        assertThat(r.changes()).containsOnlyKeys("cellular");
        assertThat(gw.engine.journal().highWaterMark(GROUP)).isEqualTo(2);
        assertThat(Layers.overridden(group2, Gateway.TARGET, gw.engine.journal().layers())).containsExactly("dns");
    }

    @Test
    void aSectionTheGatewaysOwnPolicyDropsGoesBackToTheGroups() throws Exception {
        PolicyDocument group1 = Gateway.policy(1, "g1", List.of("dns", "cellular"), GROUP);
        PolicyDocument own1 = Gateway.policy(1, "own1", List.of("dns", "cellular"));
        PolicyDocument own2 = Gateway.policy(2, "own2", List.of("cellular"));
        apply(group1);
        apply(own1);
        assertThat(gw.holds(own1, List.of("dns", "cellular"))).isTrue();

        assertThat(apply(own2).outcome()).isEqualTo(Outcome.APPLIED);

        assertThat(gw.holds(own2, List.of("cellular"))).isTrue();
        assertThat(gw.holds(group1, List.of("dns"))).as("dns is the group's again").isTrue();
        // and a later group policy changes it again
        PolicyDocument group2 = Gateway.policy(2, "g2", List.of("dns", "cellular"), GROUP);
        apply(group2);
        assertThat(gw.holds(group2, List.of("dns"))).isTrue();
        assertThat(gw.holds(own2, List.of("cellular"))).isTrue();
    }

    @Test
    void theLayersSurviveARestart() throws Exception {
        apply(Gateway.policy(1, "own1", List.of("dns")));
        gw.boot();
        assertThat(gw.engine.recover()).isEmpty();
        PolicyDocument group = Gateway.policy(5, "g5", List.of("dns", "filter"), GROUP);
        ApplyResult r = apply(group);
        assertThat(r.changes()).containsOnlyKeys("filter");
        assertThat(gw.engine.journal().layers()).containsOnlyKeys(Gateway.TARGET, GROUP);
    }

    @Test
    void anOperatorRollbackRestoresThePreviousPolicyAndKeepsTheHighWaterMark() throws Exception {
        PolicyDocument v1 = Gateway.policy(1, "one", List.of("dns", "cellular"));
        PolicyDocument v2 = Gateway.policy(2, "two", List.of("dns"));
        apply(v1);
        apply(v2);
        Map<String, ConfigSection> before = gw.state();

        ApplyResult r = gw.engine.rollbackInForce("operator 'tech'");

        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("rolled back by operator 'tech' to version 1");
        assertThat(gw.holds(v1, List.of("dns", "cellular"))).isTrue();
        assertThat(gw.state()).isNotEqualTo(before);
        Journal j = gw.engine.journal();
        assertThat(j.inForceVersion()).isEqualTo(1);
        assertThat(j.highWaterMark(Gateway.TARGET)).as("the cloud cannot replay version 2").isEqualTo(2);
        assertThat(Layers.sections(j.layers().get(Gateway.TARGET))).containsOnlyKeys("dns", "cellular");
        assertThat(apply(v2).outcome()).isEqualTo(Outcome.REJECTED);
        assertThatThrownBy(() -> gw.engine.rollbackInForce("operator 'tech'"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing to roll back");
    }

    @Test
    void anOperatorRollbackCutAtAnyPointEndsOnExactlyOneOfTheTwoVersions() throws Exception {
        PolicyDocument v1 = Gateway.policy(1, "one", List.of("dns", "cellular"));
        PolicyDocument v2 = Gateway.policy(2, "two", List.of("dns", "cellular"));
        int points = 0;
        for (int k = 1; ; k++) {
            Path d = dir.resolve("k" + k);
            java.nio.file.Files.createDirectories(d);
            gw = new Gateway(d);
            gw.engine.recover();
            apply(v1);
            apply(v2);
            gw.faults.arm(k);
            boolean cut = false;
            try {
                gw.engine.rollbackInForce("operator 'tech'");
            } catch (PowerLoss e) {
                cut = true;
            }
            gw.faults.disarm();
            if (!cut) {
                points = k - 1;
                break;
            }
            gw.boot();
            gw.engine.recover();
            Journal j = gw.engine.journal();
            String label = "crash point " + k + " " + gw.faults.trace;
            assertThat(j.phase().terminal()).as(label).isTrue();
            assertThat(j.highWaterMark(Gateway.TARGET)).as(label).isEqualTo(2);
            if (j.inForceVersion() == 1) {
                assertThat(gw.holds(v1, List.of("dns", "cellular"))).as(label).isTrue();
            } else {
                assertThat(j.inForceVersion()).as(label).isEqualTo(2);
                assertThat(gw.holds(v2, List.of("dns", "cellular"))).as(label).isTrue();
            }
        }
        assertThat(points).as("the rollback has steps to cut").isGreaterThanOrEqualTo(3);
    }
}
