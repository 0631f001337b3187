package io.sitegate.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.HealthState;
import io.sitegate.dns.UpstreamStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final Upstream upstream = new Upstream(UpstreamSpec.parse("udp://192.0.2.53"), "public");

    @Test
    void newUpstreamIsUsableAndUp() {
        assertThat(upstream.usable(0)).isTrue();
        assertThat(upstream.usable(0)).isTrue();
        assertThat(upstream.healthy()).isTrue();
        UpstreamStatus s = upstream.status(null);
        assertThat(s.state()).isEqualTo(HealthState.UP);
        assertThat(s.reason()).isEqualTo("not asked yet");
        assertThat(s.spec()).isEqualTo("udp://192.0.2.53:53");
        assertThat(s.route()).isEqualTo("public");
        assertThat(s.queries()).isZero();
        assertThat(s.failures()).isZero();
        assertThat(upstream.spec()).isEqualTo(UpstreamSpec.parse("udp://192.0.2.53:53"));
        assertThat(upstream.route()).isEqualTo("public");
    }

    @ParameterizedTest(name = "clock at {0}")
    @ValueSource(longs = {0L, 123_456_789_000L, -50 * S, Long.MAX_VALUE - 2 * S})
    void afterAFailureItIsSkippedUntilThePauseEndsThenOneQueryGoesThrough(long t0) {
        upstream.failed(t0, "timeout");

        assertThat(upstream.usable(t0)).isFalse();
        assertThat(upstream.usable(t0 + S - 1)).isFalse();
        assertThat(upstream.usable(t0 + S)).as("the test query after the pause").isTrue();
        assertThat(upstream.usable(t0 + S)).as("only one test query").isFalse();
        assertThat(upstream.usable(t0 + S + 500 * MS)).isFalse();
        assertThat(upstream.usable(t0 + 2 * S)).as("next pause over").isTrue();
        assertThat(upstream.healthy()).isFalse();
    }

    @Test
    void pausesDoubleUpToThirtySeconds() {
        long t = 1000 * S;
        long[] expected = {1, 2, 4, 8, 16, 30, 30, 30};
        for (long pause : expected) {
            upstream.failed(t, "timeout");
            assertThat(upstream.usable(t + pause * S - 1)).as("before %d s", pause).isFalse();
            assertThat(upstream.usable(t + pause * S)).as("after %d s", pause).isTrue();
            t += pause * S;
        }
    }

    @Test
    void testQueryWaitsTheCurrentPauseAgain() {
        long t = 0;
        upstream.failed(t, "a");
        upstream.failed(t, "b"); // two failures: 2 s pauses
        assertThat(upstream.usable(t + 2 * S)).isTrue();

        assertThat(upstream.usable(t + 4 * S - 1)).isFalse();
        assertThat(upstream.usable(t + 4 * S)).isTrue();
    }

    @Test
    void successResetsEverything() {
        upstream.failed(0, "timeout");
        upstream.failed(S, "timeout");
        upstream.failed(3 * S, "timeout");

        upstream.succeeded(10 * MS);

        assertThat(upstream.usable(3 * S)).isTrue();
        assertThat(upstream.usable(3 * S)).isTrue();
        assertThat(upstream.healthy()).isTrue();
        upstream.failed(4 * S, "timeout");
        assertThat(upstream.usable(5 * S)).as("the pause starts at one second again").isTrue();
    }

    @Test
    void statusIsDegradedWithTheReason() {
        upstream.succeeded(5 * MS);
        upstream.failed(0, "answered SERVFAIL");
        upstream.failed(0, "no answer within 1500 ms");

        UpstreamStatus s = upstream.status(null);

        assertThat(s.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(s.reason()).contains("2 failure(s)").contains("no answer within 1500 ms");
        assertThat(s.queries()).isEqualTo(3);
        assertThat(s.failures()).isEqualTo(2);
    }

    @Test
    void statusAfterRecoveryIsAnswering() {
        upstream.failed(0, "timeout");
        upstream.succeeded(5 * MS);

        UpstreamStatus s = upstream.status(null);

        assertThat(s.state()).isEqualTo(HealthState.UP);
        assertThat(s.reason()).isEqualTo("answering");
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.queries()).isEqualTo(2);
    }

    @Test
    void statusBehindADownTunnelIsDownWhateverItsHealth() {
        upstream.failed(0, "timeout");

        UpstreamStatus s = upstream.status("tunnel/corp is not UP");

        assertThat(s.state()).isEqualTo(HealthState.DOWN);
        assertThat(s.reason()).isEqualTo("not used: tunnel/corp is not UP");
    }

    @Test
    void latencyIsSmoothed() {
        upstream.succeeded(8 * MS);
        assertThat(upstream.status(null).latency()).isEqualTo(Duration.ofMillis(8));

        upstream.succeeded(16 * MS);

        assertThat(upstream.status(null).latency()).isEqualTo(Duration.ofMillis(9));
    }
}
