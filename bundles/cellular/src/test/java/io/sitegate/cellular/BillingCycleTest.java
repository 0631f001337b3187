package io.sitegate.cellular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class BillingCycleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void theCycleStartsAtLocalMidnightOfItsDay() {
        BillingCycle c = BillingCycle.containing(Instant.parse("2025-03-20T10:00:00Z"), 15, BERLIN);
        assertThat(c.start()).hasToString("2025-03-15T00:00+01:00[Europe/Berlin]");
        assertThat(c.end()).hasToString("2025-04-15T00:00+02:00[Europe/Berlin]");
        assertThat(c.next().end()).hasToString("2025-05-15T00:00+02:00[Europe/Berlin]");
    }

    @Test
    void beforeTheStartDayTheCycleBeganLastMonthAndTheBoundaryBelongsToTheNewCycle() {
        BillingCycle c = BillingCycle.containing(Instant.parse("2025-01-10T00:00:00Z"), 15, ZoneOffset.UTC);
        assertThat(c.start().toLocalDate()).hasToString("2024-12-15");
        Instant boundary = Instant.parse("2025-01-15T00:00:00Z");
        assertThat(c.contains(boundary)).isFalse();
        assertThat(BillingCycle.containing(boundary, 15, ZoneOffset.UTC).start().toInstant()).isEqualTo(boundary);
        assertThat(BillingCycle.containing(boundary.minusNanos(1), 15, ZoneOffset.UTC)).isEqualTo(c);
    }

    @Test
    void theZoneDecidesWhichDayItIs() {
        Instant lateEvening = Instant.parse("2025-04-14T22:30:00Z"); // already the 15th in Berlin
        assertThat(BillingCycle.containing(lateEvening, 15, BERLIN).start().toLocalDate()).hasToString("2025-04-15");
        assertThat(BillingCycle.containing(lateEvening, 15, ZoneOffset.UTC).start().toLocalDate()).hasToString("2025-03-15");
    }

    @Test
    void onlyDaysEveryMonthHasAreAccepted() {
        assertThatThrownBy(() -> BillingCycle.containing(Instant.EPOCH, 29, BERLIN)).hasMessageContaining("1 to 28");
        assertThatThrownBy(() -> BillingCycle.containing(Instant.EPOCH, 0, BERLIN)).hasMessageContaining("1 to 28");
    }

    @Test
    void aCycleMustEndAfterItStarts() {
        var start = Instant.EPOCH.atZone(BERLIN);
        assertThatThrownBy(() -> new BillingCycle(start, start)).isInstanceOf(IllegalArgumentException.class);
    }
}
