package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.modem.DataUsage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** Administrator overrides of a reached quota: until the cycle ends, or for a number of bytes. */
class QuotaOverrideTest {
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");

    private static QuotaPolicy policy(long dataLimit, QuotaAction action) {
        return new QuotaPolicy(dataLimit, 10, 5, 15, ZoneId.of("Europe/Berlin"), action, List.of(80, 100),
                Duration.ofMinutes(1));
    }

    private static DataUsage bytes(long total) {
        return new DataUsage(0, 0, total / 2, total - total / 2, true);
    }

    @Test
    void aWholeCycleOverrideLiftsTheBlockUntilTheCycleEnds() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(2_000), 12, 0);
        assertThat(l.checkData().allowed()).isFalse();
        var o = l.grantOverride(OptionalLong.empty(), "karaf");
        assertThat(o.wholeCycle()).isTrue();
        assertThat(o.expires()).isEqualTo(Instant.parse("2025-04-14T22:00:00Z"));
        assertThat(l.checkData().allowed()).isTrue();
        assertThat(l.checkSmsSend().allowed()).isTrue();
        l.observe(bytes(50_000), 12, 0);
        assertThat(l.checkData().allowed()).isTrue();

        clock.set("2025-04-14T22:00:00Z");
        assertThat(l.status().override()).as("an override ends with its cycle").isEmpty();
        l.observe(bytes(51_000), 12, 0);
        assertThat(l.checkData().allowed()).as("the new cycle has its full limit: 1000 of 1000 used").isFalse();
    }

    @Test
    void aByteOverrideRaisesTheLimitForTheRestOfTheCycle() {
        QuotaLedger l = new QuotaLedger(clock, policy(1_000, QuotaAction.BLOCK));
        l.observe(bytes(0), 0, 0);
        l.observe(bytes(1_000), 0, 0);
        l.grantOverride(OptionalLong.of(500), "policy v12");
        assertThat(l.checkData().allowed()).isTrue();
        assertThat(l.checkSmsSend().allowed()).isTrue();
        l.observe(bytes(1_499), 0, 0);
        assertThat(l.checkData().allowed()).isTrue();
        l.observe(bytes(1_500), 0, 0);
        assertThat(l.checkData().reason()).contains("1.50 KB of 1.00 KB + 500 B override");
        assertThat(l.clearOverride()).isTrue();
        assertThat(l.clearOverride()).isFalse();
    }
}
