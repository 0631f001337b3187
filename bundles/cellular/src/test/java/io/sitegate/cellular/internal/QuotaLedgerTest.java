package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaKind;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.cellular.QuotaStatus;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.DataUsage;
import io.sitegate.modem.GateDecision;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class QuotaLedgerTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    // cycle day 15 in Berlin: 2025-03-15T00:00+01:00 .. 2025-04-15T00:00+02:00 (DST began on 30 March)
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");

    private static QuotaPolicy policy(long dataLimit, QuotaAction action) {
        return new QuotaPolicy(dataLimit, 10, 5, 15, BERLIN, action, List.of(80, 100), Duration.ofMinutes(1));
    }

    private static DataUsage bytes(long total) {
        return new DataUsage(0, 0, total / 2, total - total / 2, true);
    }

    private static List<Object> percents(List<CellularEvent> events) {
        return events.stream().map(e -> e.properties().get("percent")).toList();
    }

    @Test
    void theFirstReadingIsOnlyABaselineThenDeltasCount() {
        QuotaLedger l = new QuotaLedger(clock, policy(0, QuotaAction.NOTIFY));
        l.observe(bytes(10_000), 7, 3); // usage from before the cellular policy existed is not billed to this cycle
        assertThat(l.status().data().used()).isZero();
        l.observe(bytes(12_500), 8, 5);
        QuotaStatus s = l.status();
        assertThat(s.data().used()).isEqualTo(2_500);
        assertThat(s.smsMo().used()).isEqualTo(1);
        assertThat(s.smsMt().used()).isEqualTo(2);
        assertThat(s.data().unlimited()).isTrue();
    }

    @Test
    void aModemTotalThatGoesBackwardsCountsFromZeroWithoutLosingOrDoubleCounting() {
        QuotaLedger l = new QuotaLedger(clock, policy(0, QuotaAction.NOTIFY));
        l.observe(bytes(5_000), 0, 0);
        l.observe(bytes(6_000), 0, 0);
        l.observe(bytes(300), 0, 0); // the modem's own ledger was lost: 300 bytes since
        l.observe(bytes(1_300), 0, 0);
        assertThat(l.status().data().used()).isEqualTo(1_000 + 300 + 1_000);
    }

    @Test
    void eachThresholdIsReportedOncePerCycle() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.NOTIFY));
        l.observe(bytes(0), 0, 0);
        assertThat(l.observe(bytes(799), 0, 0)).isEmpty();
        List<CellularEvent> at80 = l.observe(bytes(800), 0, 0);
        assertThat(at80).singleElement().satisfies(e -> {
            assertThat(e.topic()).isEqualTo(SitegateTopics.QUOTA_THRESHOLD);
            assertThat(e.properties()).containsEntry("quota", "data").containsEntry("percent", 80)
                    .containsEntry("used", 800L).containsEntry("limit", 1_000L).containsEntry("action", "notify")
                    .containsEntry("cycleEnd", "2025-04-14T22:00:00Z");
        });
        assertThat(l.observe(bytes(900), 0, 0)).isEmpty();
        assertThat(percents(l.observe(bytes(1_000), 0, 0))).containsExactly(100);
        assertThat(l.observe(bytes(5_000), 0, 0)).isEmpty();
        assertThat(l.status().data().warned()).containsExactly(80, 100);
        assertThat(l.status().data().percent()).isEqualTo(500);
    }

    @Test
    void aJumpPastSeveralThresholdsReportsEachInOrder() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.THROTTLE));
        l.observe(bytes(0), 0, 0);
        List<CellularEvent> events = l.observe(bytes(1_500), 0, 0);
        assertThat(percents(events)).containsExactly(80, 100);
        assertThat(events).allSatisfy(e -> assertThat(e.properties()).containsEntry("action", "throttle"));
        assertThat(l.checkData().allowed()).as("throttle only hints").isTrue();
    }

    @Test
    void blockRefusesDataAtTheLimitUntilTheNextCycleAcrossDst() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000_000, QuotaAction.BLOCK));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(999_999), 0, 0);
        assertThat(l.checkData().allowed()).isTrue();
        l.observe(bytes(1_200_000), 0, 0);
        GateDecision d = l.checkData();
        assertThat(d.allowed()).isFalse();
        assertThat(d.gate()).isEqualTo("quota-data");
        assertThat(d.reason()).isEqualTo("monthly data quota used up: 1.20 MB of 1.00 MB; blocked until "
                + "2025-04-15 00:00 CEST (Europe/Berlin) or an administrator's quota override");

        clock.set("2025-04-14T21:59:59Z"); // 23:59:59 summer time: still the old cycle
        assertThat(l.checkData().allowed()).isFalse();
        clock.set("2025-04-14T22:00:00Z"); // midnight in Berlin, though 22:00 in UTC
        assertThat(l.checkData().allowed()).isTrue();
        QuotaStatus s = l.status();
        assertThat(s.cycle().start().toInstant()).isEqualTo(Instant.parse("2025-04-14T22:00:00Z"));
        assertThat(s.cycle().end().toInstant()).isEqualTo(Instant.parse("2025-05-14T22:00:00Z"));
        assertThat(s.data().used()).isZero();
        assertThat(s.data().warned()).isEmpty();

        assertThat(percents(l.observe(bytes(2_300_000), 0, 0))).as("thresholds warn again in the new cycle")
                .containsExactly(80, 100);
    }

    @Test
    void theAutumnDstChangeMovesTheCycleEndByAnHour() {
        clock.set("2025-10-20T10:00:00Z");
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        assertThat(l.status().cycle().start().toInstant()).isEqualTo(Instant.parse("2025-10-14T22:00:00Z"));
        assertThat(l.status().cycle().end().toInstant()).isEqualTo(Instant.parse("2025-11-14T23:00:00Z"));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(1_000), 0, 0);
        clock.set("2025-11-14T22:30:00Z"); // 23:30 winter time on the 14th
        assertThat(l.checkData().allowed()).isFalse();
        clock.set("2025-11-14T23:00:00Z");
        assertThat(l.checkData().allowed()).isTrue();
    }

    @Test
    void theSmsQuotaBlocksSendingButOnlyWarnsAboutReceiving() {
        QuotaLedger l = new QuotaLedger(clock, policy(0, QuotaAction.BLOCK));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(0), 9, 0);
        assertThat(l.checkSmsSend().allowed()).isTrue();
        List<CellularEvent> events = l.observe(bytes(0), 10, 7);
        assertThat(events).extracting(e -> e.properties().get("quota") + "@" + e.properties().get("percent"))
                .containsExactly("sms-mo@100", "sms-mt@80", "sms-mt@100");
        GateDecision d = l.checkSmsSend();
        assertThat(d.gate()).isEqualTo("quota-sms");
        assertThat(d.reason()).startsWith("monthly SMS quota used up: 10 of 10 SMS sent; blocked until 2025-04-15 00:00");
        assertThat(l.checkData().allowed()).as("SMS quotas never block data").isTrue();
    }

    @Test
    void withoutModemCountersDataIsNeitherCountedNorEnforced() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(DataUsage.none(), 0, 0);
        l.observe(DataUsage.none(), 0, 0);
        assertThat(l.status().countersAvailable()).isFalse();
        assertThat(l.checkData().allowed()).isTrue();
    }

    @Test
    void aRestartMidCycleKeepsTheCountersAndCountsWhatFlowedMeanwhileOnce() throws Exception {
        QuotaLedger before = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        before.observe(bytes(10_000), 2, 1);
        before.observe(bytes(10_850), 3, 1);
        before.grantOverride(OptionalLong.of(100), "karaf");
        assertThat(before.dirty()).isTrue();
        byte[] saved = before.encode();
        assertThat(before.dirty()).isFalse();

        clock.advance(Duration.ofDays(3));
        QuotaLedger after = QuotaLedger.restore(saved, clock, policy(1_000, QuotaAction.BLOCK));
        assertThat(after.dirty()).isFalse();
        assertThat(after.status().data().used()).isEqualTo(850);
        assertThat(after.status().data().warned()).containsExactly(80);
        assertThat(after.status().smsMo().used()).isEqualTo(1);
        assertThat(after.status().override()).hasValueSatisfying(o -> assertThat(o.grantedBy()).isEqualTo("karaf"));
        assertThat(after.observe(bytes(10_900), 3, 1)).as("80 % was already reported").isEmpty();
        assertThat(after.status().data().used()).isEqualTo(900);
        assertThat(after.dirty()).isTrue();
    }

    @Test
    void aRestartAfterTheCycleEndedStartsTheNewCycleAndKeepsTheBaseline() throws Exception {
        QuotaLedger before = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        before.observe(bytes(10_000), 0, 0);
        before.observe(bytes(11_000), 0, 0);
        before.grantOverride(OptionalLong.empty(), "karaf");
        byte[] saved = before.encode();

        clock.set("2025-04-20T08:00:00Z");
        QuotaLedger after = QuotaLedger.restore(saved, clock, policy(1_000, QuotaAction.BLOCK));
        QuotaStatus s = after.status();
        assertThat(s.cycle().start().toInstant()).isEqualTo(Instant.parse("2025-04-14T22:00:00Z"));
        assertThat(s.data().used()).isZero();
        assertThat(s.data().warned()).isEmpty();
        assertThat(s.override()).isEmpty();
        assertThat(after.dirty()).isTrue();
        after.observe(bytes(11_400), 0, 0);
        assertThat(after.status().data().used()).isEqualTo(400);
    }

    @Test
    void severalCyclesLaterStillLandsInTheCurrentCycle() throws Exception {
        QuotaLedger before = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        byte[] saved = before.encode();
        clock.set("2025-09-01T00:00:00Z");
        QuotaLedger after = QuotaLedger.restore(saved, clock, policy(1_000, QuotaAction.BLOCK));
        assertThat(after.status().cycle().start().toLocalDate()).hasToString("2025-08-15");
    }

    @Test
    void aClockThatJumpsBackKeepsTheCycleAndItsUsage() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(1_000), 0, 0);
        clock.set("1970-01-01T00:00:10Z"); // RTC without battery before NTP
        assertThat(l.checkData().allowed()).isFalse();
        assertThat(l.status().data().used()).isEqualTo(1_000);
        assertThat(l.status().cycle().start().toInstant()).isEqualTo(Instant.parse("2025-03-14T23:00:00Z"));
        clock.set("2025-03-21T00:00:00Z");
        assertThat(l.checkData().allowed()).isFalse();
    }

    @Test
    void newLimitsReportNewlyReachedThresholdsAndForgetUnreachedOnes() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.NOTIFY));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(850), 0, 0); // 80 % reported
        assertThat(percents(l.updatePolicy(policy(850, QuotaAction.BLOCK)))).containsExactly(100);
        assertThat(l.checkData().allowed()).isFalse();

        assertThat(l.updatePolicy(policy(2_000, QuotaAction.BLOCK))).isEmpty(); // 42 %: 80 and 100 forgotten
        assertThat(l.status().data().warned()).isEmpty();
        assertThat(l.checkData().allowed()).isTrue();
        assertThat(percents(l.observe(bytes(1_600), 0, 0))).containsExactly(80);
    }

    @Test
    void aNewCycleDayReanchorsTheCycleAndKeepsTheUsage() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.NOTIFY));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(500), 0, 0);
        QuotaPolicy firstOfMonth = new QuotaPolicy(1_000, 10, 5, 1, BERLIN, QuotaAction.NOTIFY, List.of(80, 100),
                Duration.ofMinutes(1));
        l.updatePolicy(firstOfMonth);
        assertThat(l.status().cycle().start().toInstant()).isEqualTo(Instant.parse("2025-02-28T23:00:00Z"));
        assertThat(l.status().cycle().end().toInstant()).isEqualTo(Instant.parse("2025-03-31T22:00:00Z"));
        assertThat(l.status().data().used()).isEqualTo(500);
    }

    @Test
    void aLedgerStartedAfterALossSaysSoUntilTheCycleEnds() {
        QuotaLedger l = QuotaLedger.afterLoss(clock, policy(1_000, QuotaAction.BLOCK), "every generation is corrupt");
        assertThat(l.status().problem()).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo("quota counters restarted on 2025-03-20T10:00:00Z: every generation is corrupt"));
        assertThat(l.dirty()).isTrue();
        clock.set("2025-04-15T00:00:00Z");
        assertThat(l.status().problem()).isEmpty();
    }

    @Test
    void onlyChangesMakeTheLedgerDirty() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(bytes(100), 1, 1);
        l.encode();
        l.observe(bytes(100), 1, 1);
        assertThat(l.dirty()).isFalse();
        l.observe(bytes(101), 1, 1);
        assertThat(l.dirty()).isTrue();
        l.encode();
        l.markDirty();
        assertThat(l.dirty()).isTrue();
    }

    @Test
    void theEncodedDocumentIsStableAndVersioned() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(bytes(100), 1, 1);
        String doc = new String(l.encode(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(doc).startsWith("format=1\n").contains("cycleStart=2025-03-14T23:00:00Z\n")
                .contains("baseline.data=100\n").contains("used.data=0\n").contains("override=none\n");
        assertThat(l.encode()).isEqualTo(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(QuotaKind.DATA.label()).isEqualTo("data");
    }
}
