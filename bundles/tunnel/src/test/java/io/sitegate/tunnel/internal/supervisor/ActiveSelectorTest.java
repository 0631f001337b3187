package io.sitegate.tunnel.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.tunnel.internal.supervisor.ActiveSelector.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActiveSelectorTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(60);

    private static Candidate c(String name, int prio, boolean healthy, Instant since) {
        return new Candidate(name, prio, healthy, since, HOLD);
    }

    @Test
    void theHealthyTunnelOfHighestPriorityIsChosenWhenNoneIsActive() {
        assertThat(ActiveSelector.choose(List.of(c("backup", 50, true, T0), c("primary", 100, true, T0)), Optional.empty(), null, T0))
                .contains("primary");
        assertThat(ActiveSelector.choose(List.of(c("backup", 50, true, T0), c("primary", 100, false, T0)), Optional.empty(), null, T0))
                .contains("backup");
    }

    @Test
    void anUnhealthyActiveTunnelFailsOverAtOnceWithoutAnyHoldDown() {
        Instant now = T0.plusSeconds(1);
        assertThat(ActiveSelector.choose(List.of(c("primary", 100, false, T0), c("backup", 50, true, now)), Optional.of("primary"), null, now))
                .contains("backup");
    }

    @Test
    void failbackWaitsUntilTheBetterTunnelHasBeenHealthyForItsHoldDown() {
        Instant back = T0.plusSeconds(100);
        List<Candidate> justBack = List.of(c("primary", 100, true, back), c("backup", 50, true, T0));
        assertThat(ActiveSelector.choose(justBack, Optional.of("backup"), null, back.plusSeconds(59))).contains("backup");
        assertThat(ActiveSelector.choose(justBack, Optional.of("backup"), null, back.plusSeconds(60))).contains("primary");
    }

    @Test
    void aFlappingTunnelNeverTakesTheTrafficBack() {
        // healthy for 30 s, unhealthy, healthy again for 30 s ...: each return restarts its hold-down
        Optional<String> active = Optional.of("backup");
        for (int round = 0; round < 20; round++) {
            Instant since = T0.plusSeconds(round * 40L);
            Instant now = since.plusSeconds(30);
            active = ActiveSelector.choose(List.of(c("primary", 100, true, since), c("backup", 50, true, T0)), active, null, now);
            assertThat(active).contains("backup");
            active = ActiveSelector.choose(List.of(c("primary", 100, false, since), c("backup", 50, true, T0)), active, null, now.plusSeconds(5));
            assertThat(active).contains("backup");
        }
    }

    @Test
    void aLowerPriorityTunnelNeverDisplacesAHealthyActiveOne() {
        assertThat(ActiveSelector.choose(List.of(c("primary", 100, true, T0), c("backup", 50, true, T0.minusSeconds(3600))),
                Optional.of("primary"), null, T0.plusSeconds(3600))).contains("primary");
    }

    @Test
    void aForcedFailoverIsNotUndoneBeforeItsPinExpires() {
        List<Candidate> both = List.of(c("primary", 100, true, T0), c("backup", 50, true, T0));
        Instant pin = T0.plusSeconds(600);
        assertThat(ActiveSelector.choose(both, Optional.of("backup"), pin, T0.plusSeconds(599))).contains("backup");
        assertThat(ActiveSelector.choose(both, Optional.of("backup"), pin, T0.plusSeconds(600))).contains("primary");
        // but the pinned tunnel failing still fails over at once
        assertThat(ActiveSelector.choose(List.of(c("primary", 100, true, T0), c("backup", 50, false, T0)), Optional.of("backup"), pin,
                T0.plusSeconds(10))).contains("primary");
    }

    @Test
    void noHealthyTunnelMeansNoneIsActiveAndTiesGoByName() {
        assertThat(ActiveSelector.choose(List.of(c("a", 100, false, T0), c("b", 50, false, T0)), Optional.of("a"), null, T0)).isEmpty();
        assertThat(ActiveSelector.choose(List.of(c("zulu", 100, true, T0), c("alpha", 100, true, T0)), Optional.empty(), null, T0))
                .contains("alpha");
    }
}
