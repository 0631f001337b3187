package io.sitegate.policy.internal.apply;

import io.sitegate.core.HealthState;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.internal.apply.ApplyResult.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.sitegate.policy.internal.apply.Gateway.ALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplyEngineTest {
    @TempDir
    Path dir;
    Gateway gw;
    final PolicyDocument v1 = Gateway.policy(1, "old", ALL);
    final PolicyDocument v2 = Gateway.policy(2, "new", ALL);

    @BeforeEach
    void oldPolicyInForce() throws Exception {
        gw = new Gateway(dir);
        assertThat(gw.engine.recover()).isEmpty();
        assertThat(result(gw.engine.apply(v1, HealthCondition.none())).outcome()).isEqualTo(Outcome.APPLIED);
        gw.clearCalls();
    }

    static ApplyResult result(CompletionStage<ApplyResult> stage) {
        CompletableFuture<ApplyResult> f = stage.toCompletableFuture();
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void appliesEverySectionInOrderAndPersistsTheHighWaterMarkWithTheConfirmedPhase() throws Exception {
        List<String> order = new java.util.ArrayList<>();
        gw.sections.values().forEach(s -> s.calls.clear());
        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.reason()).isEmpty();
        assertThat(r.changes()).containsOnlyKeys(ALL);
        assertThat(List.copyOf(r.changes().keySet())).containsExactlyElementsOf(ALL);
        assertThat(r.changes().get("dns").toString()).contains("upstreams", "dns-new:53");
        assertThat(gw.holds(v2, ALL)).isTrue();
        gw.faults.trace.forEach(t -> {
            if (t.startsWith("apply ") && !t.endsWith("(first configuration)")) {
                order.add(t.substring(6));
            }
        });
        assertThat(order).containsExactlyElementsOf(ALL);

        ApplyEngine rebooted = gw.boot();
        assertThat(rebooted.recover()).isEmpty();
        Journal j = rebooted.journal();
        assertThat(j.phase()).isEqualTo(Phase.CONFIRMED);
        assertThat(j.highWaterMark(Gateway.TARGET)).isEqualTo(2);
        assertThat(j.inForceVersion()).isEqualTo(2);
        assertThat(j.lkgVersion()).isEqualTo(1);
        assertThat(j.lkg()).as("kept for an operator's rollback").containsOnlyKeys(ALL);
        assertThat(j.candidate()).contains("\"version\":2", "dns-new:53");
        assertThat(rebooted.highWaterMark(Gateway.TARGET)).isEqualTo(2);
        assertThat(rebooted.highWaterMark("group:north")).isZero();
    }

    @Test
    void aRejectedPolicyTouchesNothingAndNamesEveryProblem() throws Exception {
        PolicyDocument bad = Gateway.policy(2, "invalid", List.of("cellular", "filter"));
        // the filter's value "host-invalid" is fine; make one value exactly "invalid"
        var sections = new java.util.TreeMap<>(bad.sections());
        sections.put("dns", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"upstreams\":[\"invalid\"]}"));
        sections.put("features", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"install\":[\"x/[1,2)\"]}"));
        sections.put("tunnels", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"Bad Name\":{}}"));
        PolicyDocument doc = new PolicyDocument(2, bad.issuedAt(), bad.expiresAt(), bad.target(), bad.keyId(), sections);
        long generation = gw.store.read(JournalCodec.KEY).orElseThrow().generation();

        ApplyResult r = result(gw.engine.apply(doc, HealthCondition.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.reason()).contains("features: SCHEMA: features.install: feature 'x/[1,2)': a version range is not accepted", "dns: io.sitegate.dns: property 'upstreams'",
                "tunnels: ");
        assertThat(gw.sections.values()).allSatisfy(s -> assertThat(s.calls).isEmpty());
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(gw.store.read(JournalCodec.KEY).orElseThrow().generation()).isEqualTo(generation);
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(1);
    }

    @Test
    void aVersionNotAboveTheHighWaterMarkIsRejected() throws Exception {
        ApplyResult r = result(gw.engine.apply(Gateway.policy(1, "replay", ALL), HealthCondition.none()));
        assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.reason()).contains("version 1 is not above the high-water mark 1");
        assertThat(gw.holds(v1, ALL)).isTrue();
    }

    @Test
    void aSectionRefusingMidwayRestoresTheOnesAppliedBeforeIt() throws Exception {
        gw.sections.get("tunnels").refuseApply = true;

        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("tunnels refused", "the daemon refused it");
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(gw.faults.trace).containsSubsequence("apply cellular", "apply modem", "apply dns", "apply tunnels",
                "restore dns", "restore modem", "restore cellular");
        assertThat(gw.faults.trace).doesNotContain("apply filter", "restore tunnels", "restore filter");
        assertThat(gw.engine.journal().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(1);
    }

    /** The filter refuses its old rules while the tunnels still hold the new endpoint: tried again once they are back. */
    @Test
    void aRestoreRefusedBecauseOfAnotherSectionsNewStateIsTriedAgainAfterTheOthersAreBack() throws Exception {
        FakeSection tunnels = gw.sections.get("tunnels");
        FakeSection filter = gw.sections.get("filter");
        ConfigSection tunnelsBefore = tunnels.current;
        filter.refuseRestoreWhile = () -> !tunnels.current.equals(tunnelsBefore);
        gw.sections.get("features").refuseApply = true;

        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(filter.calls).containsSubsequence("restore refused", "restore");
        assertThat(gw.engine.journal().phase()).isEqualTo(Phase.ROLLED_BACK);
    }

    /** A restore that is still refused after the others are back: the fallback, as before. */
    @Test
    void aRestoreRefusedTwiceFallsBack() throws Exception {
        gw.sections.get("filter").refuseRestoreWhile = () -> true;
        gw.sections.get("features").refuseApply = true;

        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));

        assertThat(r.outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(r.reason()).contains("restoring filter failed");
    }

    @Test
    void noHealthWithinTheConfirmWindowRestoresEverySectionAndNamesTheHealth() throws Exception {
        gw.health.report("tunnels", HealthState.DOWN, "IKE_SA_INIT timed out");
        gw.health.report("mqtt", HealthState.UP, "");
        CompletableFuture<ApplyResult> f = gw.engine.apply(v2,
                HealthCondition.allOf(HealthCondition.up("mqtt"), HealthCondition.up("tunnels"))).toCompletableFuture();
        assertThat(gw.holds(v2, ALL)).isTrue();
        assertThat(gw.engine.confirming()).isTrue();

        gw.time.advance(Duration.ofSeconds(119));
        assertThat(f).isNotDone();
        gw.time.advance(Duration.ofSeconds(1));

        ApplyResult r = f.join();
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("120 s", "tunnels is DOWN: IKE_SA_INIT timed out").doesNotContain("mqtt");
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(gw.engine.confirming()).isFalse();
        assertThat(gw.health.listeners()).isZero();
        assertThat(gw.time.waiting()).isZero();
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(1);
        assertThat(gw.engine.journal().inForceVersion()).isEqualTo(1);
    }

    @Test
    void theHealthComingWithinTheWindowConfirmsAtOnce() throws Exception {
        gw.health.report("mqtt", HealthState.DOWN, "reconnecting");
        CompletableFuture<ApplyResult> f = gw.engine.apply(v2, HealthCondition.up("mqtt")).toCompletableFuture();
        gw.time.advance(Duration.ofMillis(30_500));
        assertThat(f).isNotDone();

        gw.health.report("mqtt", HealthState.UP, "connected");
        gw.time.runDue();

        assertThat(f.join().outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(2);
        assertThat(gw.health.listeners()).isZero();
        assertThat(gw.time.waiting()).isZero();
    }

    @Test
    void aSecondPolicyDuringTheConfirmWindowIsRejected() throws Exception {
        CompletableFuture<ApplyResult> f = gw.engine.apply(v2, HealthCondition.up("mqtt")).toCompletableFuture();
        ApplyResult second = result(gw.engine.apply(Gateway.policy(3, "newer", ALL), HealthCondition.none()));
        assertThat(second.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(second.reason()).contains("version 2 is still in its confirm window");
        gw.time.advance(Duration.ofSeconds(121));
        assertThat(f.join().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void aDryRunShowsTheChangesAndProblemsAndAppliesNothing() throws Exception {
        PolicyCheck check = gw.engine.check(Gateway.policy(2, "new", List.of("dns", "filter")));
        assertThat(check.acceptable()).isTrue();
        assertThat(check.changes()).containsOnlyKeys("dns", "filter");
        assertThat(check.changes().get("filter").toString()).contains("host-new");

        PolicyCheck replay = gw.engine.check(Gateway.policy(1, "x", List.of("dns")));
        assertThat(replay.problems()).singleElement().asString().contains("not above the high-water mark");
        assertThat(gw.sections.values()).allSatisfy(s -> assertThat(s.calls).isEmpty());
        assertThat(gw.holds(v1, ALL)).isTrue();
    }

    @Test
    void aPolicyOfSomeSectionsSnapshotsAndRestoresOnlyThose() throws Exception {
        gw.health.report("tunnels", HealthState.DOWN, "no route");
        PolicyDocument some = Gateway.policy(2, "new", List.of("dns", "tunnels"));
        CompletableFuture<ApplyResult> f = gw.engine.apply(some, HealthCondition.up("tunnels")).toCompletableFuture();
        assertThat(gw.engine.journal().lkg()).containsOnlyKeys("dns", "tunnels");
        gw.time.advance(Duration.ofSeconds(120));
        assertThat(f.join().outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(gw.sections.get("cellular").calls).isEmpty();
    }

    @Test
    void aRestoreThatFailsFallsBackToTheDefaultsKeepingTheCloudSettings() throws Exception {
        gw.sections.get("dns").throwOnRestore = true;
        CompletableFuture<ApplyResult> f = gw.engine.apply(v2, HealthCondition.up("mqtt")).toCompletableFuture();
        gw.time.advance(Duration.ofSeconds(120));

        ApplyResult r = f.join();
        assertThat(r.outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(r.reason()).contains("mqtt reports no health", "restoring dns failed", "read-only file system");
        assertFallback();
    }

    @Test
    void recoveryWhoseRestoreFailsFallsBackToTheDefaultsKeepingTheCloudSettings() throws Exception {
        gw.faults.arm(2 * 7); // two journal writes, cellular, modem, dns, the tunnels in two writes: power lost after them
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none())).isInstanceOf(PowerLoss.class);
        gw.faults.disarm();
        assertThat(gw.sections.get("tunnels").current).isEqualTo(gw.expected(v2, "tunnels"));
        gw.sections.get("modem").throwOnRestore = true;

        ApplyEngine rebooted = gw.boot();
        ApplyResult r = rebooted.recover().orElseThrow();

        assertThat(r.outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(r.reason()).contains("interrupted by a restart", "restoring modem failed");
        assertFallback();
        assertThat(gw.boot().recover()).isEmpty();
    }

    private void assertFallback() throws Exception {
        assertThat(gw.sections.get("cellular").current).isEqualTo(gw.defaults.get("cellular"));
        assertThat(gw.sections.get("dns").current).isEqualTo(gw.defaults.get("dns"));
        assertThat(gw.sections.get("filter").current).isEqualTo(gw.defaults.get("filter"));
        // the cloud connection settings of the last-known-good: the APN, and the tunnels as they were
        assertThat(gw.sections.get("modem").current.values("io.sitegate.modem~wan0"))
                .containsEntry("apn", "iot-old.example").containsEntry("port", "/dev/ttyUSB2");
        assertThat(gw.sections.get("tunnels").current).isEqualTo(gw.expected(v1, "tunnels"));
        Journal j = gw.engine.journal();
        assertThat(j.phase()).isEqualTo(Phase.FALLBACK);
        assertThat(j.highWaterMark(Gateway.TARGET)).isEqualTo(1);
        assertThat(j.inForceVersion()).isZero();
    }

    @Test
    void aPreparedTransactionIsDiscardedAtBoot() throws Exception {
        gw.faults.arm(2); // just after the PREPARED write
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none())).isInstanceOf(PowerLoss.class);
        gw.faults.disarm();
        gw.clearCalls();

        ApplyResult r = gw.boot().recover().orElseThrow();

        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).isEqualTo("interrupted by a restart before anything was applied");
        assertThat(gw.sections.values()).allSatisfy(s -> assertThat(s.calls).isEmpty());
        assertThat(gw.engine.journal().phase()).isEqualTo(Phase.DISCARDED);
    }

    @Test
    void recoveryWaitsForCapabilitiesThatAreNotThereYet() throws Exception {
        gw.faults.arm(2 * 3); // after cellular applied
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none())).isInstanceOf(PowerLoss.class);
        gw.faults.disarm();
        FakeSection dns = gw.sections.remove("dns");
        ApplyEngine rebooted = gw.boot();

        assertThatThrownBy(rebooted::recover).isInstanceOf(SectionsUnavailableException.class)
                .hasMessageContaining("dns");
        assertThat(rebooted.journal().phase()).isEqualTo(Phase.APPLYING);
        ApplyResult refused = result(rebooted.apply(Gateway.policy(3, "x", ALL), HealthCondition.none()));
        assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.reason()).contains("recovery must run first");

        gw.sections.put("dns", dns);
        assertThat(rebooted.recover().orElseThrow().outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(gw.holds(v1, ALL)).isTrue();
    }

    @Test
    void aJournalWriteFailingAfterTheApplyRecoversFromWhatTheDiskHolds() throws Exception {
        gw.store.failWrite(3, false); // PREPARED, APPLYING, then CONFIRMING fails
        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("the journal could not be written", "No space left on device");
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(gw.boot().recover()).isEmpty();
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(1);
    }

    @Test
    void aConfirmWriteThatReachedTheDiskDespiteItsErrorCountsAsApplied() throws Exception {
        gw.store.failWrite(4, true); // CONFIRMED written, then reported as failed
        ApplyResult r = result(gw.engine.apply(v2, HealthCondition.none()));
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(gw.holds(v2, ALL)).isTrue();
        assertThat(gw.boot().recover()).isEmpty();
        assertThat(gw.engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(2);
    }

    @Test
    void aCorruptJournalGenerationAfterPreparedStillRestoresWhatWasApplied() throws Exception {
        gw.faults.arm(2 * 3); // PREPARED, APPLYING written, cellular applied
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none())).isInstanceOf(PowerLoss.class);
        gw.faults.disarm();
        Path current = dir.resolve(JournalCodec.KEY + ".state");
        byte[] bytes = java.nio.file.Files.readAllBytes(current);
        bytes[bytes.length / 2] ^= 0x20; // the APPLYING generation rots: the store hands out PREPARED
        java.nio.file.Files.write(current, bytes);

        ApplyEngine rebooted = gw.boot();
        ApplyResult r = rebooted.recover().orElseThrow();

        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(rebooted.journal().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rebooted.journal().highWaterMark(Gateway.TARGET)).isEqualTo(1);
    }

    @Test
    void aFailedPreparedWriteAppliesNothingAndTheNextPolicyGoesThrough() throws Exception {
        gw.store.failWrite(1, false);
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none()))
                .isInstanceOf(io.sitegate.core.StateStoreException.class).hasMessageContaining("No space left");
        assertThat(gw.sections.values()).allSatisfy(s -> assertThat(s.calls).isEmpty());
        assertThat(result(gw.engine.apply(v2, HealthCondition.none())).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void withARealSchedulerTheHealthReportedFromAnotherThreadConfirms() throws Exception {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            FakeHealth health = new FakeHealth(java.time.Clock.systemUTC());
            health.report("mqtt", HealthState.DOWN, "reconnecting");
            ApplyEngine engine = new ApplyEngine(gw.store, n -> Optional.ofNullable(gw.sections.get(n)), health,
                    ConfirmTimer.of(executor), Duration.ofSeconds(30), () -> gw.defaults,
                    Gateway.CARRY_OVER);
            engine.recover();
            CompletableFuture<ApplyResult> f = engine.apply(v2, HealthCondition.up("mqtt")).toCompletableFuture();
            Thread reporter = new Thread(() -> health.report("mqtt", HealthState.UP, "connected"));
            reporter.start();
            reporter.join();
            assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(engine.journal().highWaterMark(Gateway.TARGET)).isEqualTo(2);
            assertThat(health.listeners()).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aConditionThatThrowsCountsAsMissingHealthAndRollsBack() throws Exception {
        CompletableFuture<ApplyResult> f = gw.engine.apply(v2, health -> {
            throw new IllegalStateException("no MQTT client");
        }).toCompletableFuture();
        gw.time.advance(Duration.ofSeconds(120));
        ApplyResult r = f.join();
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("the health could not be judged", "no MQTT client");
        assertThat(gw.holds(v1, ALL)).isTrue();
    }

    @Test
    void aTimerThatCannotScheduleRollsBackAtOnce() throws Exception {
        ApplyEngine engine = new ApplyEngine(gw.store, n -> Optional.ofNullable(gw.sections.get(n)), gw.health,
                (delay, task) -> {
                    throw new java.util.concurrent.RejectedExecutionException("executor shut down");
                }, Duration.ofSeconds(120), () -> gw.defaults, Gateway.CARRY_OVER);
        engine.recover();
        ApplyResult r = result(engine.apply(v2, HealthCondition.up("mqtt")));
        assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.reason()).contains("the confirm window could not be started", "executor shut down");
        assertThat(gw.holds(v1, ALL)).isTrue();
        assertThat(engine.confirming()).isFalse();
        assertThat(gw.health.listeners()).isZero();
    }

    @Test
    void repeatedCrashesDuringRecoveryDoNotGrowTheReason() throws Exception {
        gw.faults.arm(2 * 4); // after the modem is applied
        assertThatThrownBy(() -> gw.engine.apply(v2, HealthCondition.none())).isInstanceOf(PowerLoss.class);
        for (int i = 0; i < 3; i++) {
            gw.faults.arm(2 * 2); // the ROLLING_BACK write and the first restore done, then the power goes
            assertThatThrownBy(() -> gw.boot().recover()).isInstanceOf(PowerLoss.class);
        }
        gw.faults.disarm();
        ApplyResult r = gw.boot().recover().orElseThrow();
        assertThat(r.reason()).isEqualTo("interrupted by a restart");
        assertThat(gw.holds(v1, ALL)).isTrue();
    }

    @Test
    void theFallbackPlanCarriesNamedPropertiesAndWholeSections() {
        Map<String, ConfigSection> lkg = Map.of(
                "modem", ConfigSection.of("modem", "io.sitegate.modem~wan1", Map.of("apn", "a", "pin", "x")),
                "dns", ConfigSection.of("dns", "io.sitegate.dns", Map.of("upstreams", "1.1.1.1:53")));
        Map<String, ConfigSection> plan = FallbackPlan.sections(lkg,
                Map.of("modem", ConfigSection.of("modem", "io.sitegate.modem~wan0", Map.of("port", "p"))),
                java.util.Set.of("modem/apn"));
        assertThat(plan.get("modem").configurations()).containsOnlyKeys("io.sitegate.modem~wan0", "io.sitegate.modem~wan1");
        assertThat(plan.get("modem").values("io.sitegate.modem~wan1")).containsExactly(Map.entry("apn", "a"));
        assertThat(plan.get("dns").configurations()).isEmpty();
        assertThat(Optional.ofNullable(plan.get("cellular"))).isEmpty();
    }
}
