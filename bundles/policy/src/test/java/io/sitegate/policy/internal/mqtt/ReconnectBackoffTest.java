package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class ReconnectBackoffTest {
    private static final Duration ONE_S = Duration.ofSeconds(1);
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    @Test
    void ceilingsDoubleFromOneSecondToFiveMinutes() {
        ReconnectBackoff b = new ReconnectBackoff(ONE_S, FIVE_MIN, new Random(1));
        List<Long> ceilings = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            ceilings.add(b.ceilingMillis(n));
        }
        assertThat(ceilings).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 64000L, 128000L, 256000L,
                300000L, 300000L, 300000L);
        assertThat(b.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(300000L);
    }

    @Test
    void fullJitterStaysWithinTheCeilingAndIsReproducibleWithASeed() {
        ReconnectBackoff a = new ReconnectBackoff(ONE_S, FIVE_MIN, new Random(42));
        ReconnectBackoff b = new ReconnectBackoff(ONE_S, FIVE_MIN, new Random(42));
        for (int n = 0; n < 40; n++) {
            long ceiling = a.ceilingMillis(n);
            Duration d = a.nextDelay();
            assertThat(d.toMillis()).isBetween(0L, ceiling);
            assertThat(b.nextDelay()).isEqualTo(d);
        }
        assertThat(a.failures()).isEqualTo(40);
        a.reset();
        assertThat(a.failures()).isZero();
        assertThat(a.nextDelay().toMillis()).isLessThanOrEqualTo(1000L);
    }

    @Test
    void jitterSpreadsOverTheWholeWindow() {
        ReconnectBackoff b = new ReconnectBackoff(ONE_S, FIVE_MIN, new Random(3));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            b.reset();
            for (int n = 0; n < 10; n++) {
                b.nextDelay();
            }
            long d = b.nextDelay().toMillis(); // ceiling 300 s
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(5_000L);
        assertThat(max).isGreaterThan(295_000L);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, FIVE_MIN, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(FIVE_MIN, ONE_S, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
