package io.sitegate.policy.internal.apply;

import io.sitegate.core.HealthState;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.internal.apply.ApplyResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.sitegate.policy.internal.apply.Gateway.ALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss at every point of a policy transaction: before and after every journal write and every
 * section apply or restore. After each, a new engine over the same state directory and the capabilities
 * as they were left recovers, and the gateway must run exactly the old policy or exactly the new one
 * (or, when a restore fails, the fallback), with the high-water mark and journal agreeing.
 */
class ApplyCrashTest {
    /** How the transaction goes when the power stays on. */
    enum Scenario {
        HEALTHY_AT_ONCE, HEALTHY_LATER, CONFIRM_TIMEOUT, SECTION_REFUSES, RESTORE_FAILS
    }

    @TempDir
    Path root;
    private int runs;

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyCrashPointRecoversToTheOldOrTheNewPolicy(Scenario scenario) throws Exception {
        int points = 2 * steps(scenario, ALL);
        assertThat(points).isGreaterThanOrEqualTo(2 * 8);
        System.out.println("apply crash test: " + scenario + ": " + points + " crash points");
        for (int k = 1; k <= points; k++) {
            Gateway gw = crash(scenario, ALL, k);
            String label = scenario + " crash point " + k + "/" + points + " " + gw.faults.trace;
            gw.boot().recover();
            assertConsistent(gw, scenario, ALL, label);
        }
    }

    @Test
    void everyCrashPointOfTheRecoveryAfterEveryCrashPointOfARollback() throws Exception {
        int points = 2 * steps(Scenario.CONFIRM_TIMEOUT, ALL);
        int pairs = 0;
        for (int k = 1; k <= points; k++) {
            for (int again = 1; ; again++) {
                Gateway gw = crash(Scenario.CONFIRM_TIMEOUT, ALL, k);
                String label = "crash point " + k + " " + gw.faults.trace;
                gw.faults.arm(again);
                boolean crashed = false;
                try {
                    gw.boot().recover();
                } catch (PowerLoss expected) {
                    crashed = true;
                    label += " then recovery crash point " + again + " " + gw.faults.trace;
                }
                gw.faults.disarm();
                gw.boot().recover();
                assertConsistent(gw, Scenario.CONFIRM_TIMEOUT, ALL, label);
                if (!crashed) {
                    break;
                }
                pairs++;
            }
        }
        System.out.println("apply crash test: " + pairs + " crashes during recovery after " + points + " crash points");
        assertThat(pairs).isGreaterThan(points);
    }

    @Test
    void twoHundredRandomCrashesSomeDuringRecoveryToo() throws Exception {
        Random seeds = new Random(20261204L);
        for (int i = 0; i < 200; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            Scenario scenario = Scenario.values()[r.nextInt(Scenario.values().length)];
            List<String> names = new ArrayList<>();
            for (String n : ALL) {
                if (r.nextBoolean()) {
                    names.add(n);
                }
            }
            if (names.isEmpty()) {
                names.add(ALL.get(r.nextInt(ALL.size())));
            }
            int k = 1 + r.nextInt(2 * steps(scenario, names));
            Gateway gw = crash(scenario, names, k);
            String label = "seed " + seed + " " + scenario + " " + names + " crash point " + k + " " + gw.faults.trace;
            if (r.nextBoolean()) {
                int again = 1 + r.nextInt(30);
                gw.faults.arm(again);
                try {
                    gw.boot().recover();
                } catch (PowerLoss expected) {
                    label += " then during recovery at " + again + " " + gw.faults.trace;
                }
                gw.faults.disarm();
            }
            gw.boot().recover();
            assertConsistent(gw, scenario, names, label);
        }
    }

    @Test
    void withoutPowerLossEachScenarioEndsAsItShould() throws Exception {
        for (Scenario s : Scenario.values()) {
            Gateway gw = crash(s, ALL, 0);
            Journal j = gw.engine.journal();
            Phase expected = switch (s) {
                case HEALTHY_AT_ONCE, HEALTHY_LATER -> Phase.CONFIRMED;
                case CONFIRM_TIMEOUT, SECTION_REFUSES -> Phase.ROLLED_BACK;
                case RESTORE_FAILS -> Phase.FALLBACK;
            };
            assertThat(j.phase()).as(s.name()).isEqualTo(expected);
            assertThat(gw.boot().recover()).isEmpty();
            assertConsistent(gw, s, ALL, s.name());
        }
    }

    private int steps(Scenario scenario, List<String> names) throws Exception {
        Gateway gw = crash(scenario, names, 0);
        return gw.faults.steps();
    }

    /** A gateway on policy 1 that applies policy 2 as the scenario says, the power lost at point k (0: never). */
    private Gateway crash(Scenario scenario, List<String> names, int k) throws Exception {
        Gateway gw = new Gateway(root.resolve("run-" + runs++));
        gw.engine.recover();
        assertThat(gw.engine.apply(v1(), HealthCondition.none()).toCompletableFuture().join().outcome())
                .isEqualTo(Outcome.APPLIED);
        PolicyDocument v2 = Gateway.policy(2, "new", names);
        String last = names.get(names.size() - 1);
        if (scenario == Scenario.SECTION_REFUSES) {
            gw.sections.get(last).refuseApply = true;
        } else if (scenario == Scenario.RESTORE_FAILS) {
            gw.sections.get(last).throwOnRestore = true;
        }
        gw.faults.arm(k);
        try {
            switch (scenario) {
                case HEALTHY_AT_ONCE, SECTION_REFUSES -> gw.engine.apply(v2, HealthCondition.none());
                case HEALTHY_LATER -> {
                    gw.health.report("mqtt", HealthState.DOWN, "reconnecting");
                    gw.engine.apply(v2, HealthCondition.up("mqtt"));
                    gw.time.advance(Duration.ofSeconds(10));
                    gw.health.report("mqtt", HealthState.UP, "connected");
                    gw.time.runDue();
                }
                case CONFIRM_TIMEOUT, RESTORE_FAILS -> {
                    gw.engine.apply(v2, HealthCondition.up("tunnels"));
                    gw.time.advance(Duration.ofSeconds(121));
                }
            }
        } catch (PowerLoss expected) {
            // the gateway is dead; what is on disk and in the capabilities stays
        }
        gw.faults.disarm();
        return gw;
    }

    private static PolicyDocument v1() {
        return Gateway.policy(1, "old", ALL);
    }

    private static void assertConsistent(Gateway gw, Scenario scenario, List<String> names, String label) throws Exception {
        PolicyDocument v1 = v1();
        PolicyDocument v2 = Gateway.policy(2, "new", names);
        Journal j = gw.engine.journal();
        List<String> others = new ArrayList<>(ALL);
        others.removeAll(names);
        Map<String, ConfigSection> old = new TreeMap<>();
        names.forEach(n -> old.put(n, gw.expected(v1, n)));
        Map<String, ConfigSection> fallback = FallbackPlan.sections(old, gw.defaults, Gateway.CARRY_OVER);

        assertThat(j.phase().terminal()).as(label + ": phase " + j.phase()).isTrue();
        assertThat(gw.holds(v1, others)).as(label + ": sections the policy does not touch").isTrue();
        long mark = j.highWaterMark(Gateway.TARGET);
        if (gw.holds(v2, names)) {
            assertThat(List.of(j.phase(), j.version(), mark, j.inForceVersion())).as(label + ": new policy in force")
                    .containsExactly(Phase.CONFIRMED, 2L, 2L, 2L);
            assertThat(scenario).as(label).isIn(Scenario.HEALTHY_AT_ONCE, Scenario.HEALTHY_LATER);
        } else if (j.phase() == Phase.FALLBACK) {
            // the carried-over tunnels are the old ones: a fallback can equal the old policy in some sections
            assertThat(scenario).as(label).isEqualTo(Scenario.RESTORE_FAILS);
            assertThat(gw.holds(fallback, names)).as(label + ": fallback sections " + gw.state()).isTrue();
            assertThat(List.of(j.version(), mark, j.inForceVersion())).as(label + ": fallback").containsExactly(2L, 1L, 0L);
        } else if (gw.holds(v1, names)) {
            assertThat(List.of(mark, j.inForceVersion())).as(label + ": old policy in force").containsExactly(1L, 1L);
            boolean previousTransaction = j.phase() == Phase.CONFIRMED && j.version() == 1;
            boolean thisOneUndone = (j.phase() == Phase.ROLLED_BACK || j.phase() == Phase.DISCARDED) && j.version() == 2;
            assertThat(previousTransaction || thisOneUndone).as(label + ": journal " + j.phase() + " v" + j.version()).isTrue();
        } else {
            fail(label + ": a mix: " + gw.state() + " journal " + j.phase() + " v" + j.version());
        }
    }
}
