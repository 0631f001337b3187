package io.sitegate.dns;

import io.sitegate.core.HealthState;
import java.time.Duration;

/**
 * One configured upstream server.
 *
 * @param spec      the upstream as configured, without secrets ({@code udp://192.0.2.53:53},
 *                  {@code tls://9.9.9.9:853#dns.quad9.net})
 * @param route     what it serves: {@code public}, {@code private} or {@code forward <suffix>}
 * @param state     UP, DEGRADED (failing, still tried after a pause) or DOWN (not usable: tunnel down)
 * @param reason    why, for the technician
 * @param latency   smoothed response time of the answers received; {@link Duration#ZERO} before the first
 * @param queries   queries sent to it
 * @param failures  timeouts, SERVFAIL, connection and TLS failures, mismatched answers
 */
public record UpstreamStatus(String spec, String route, HealthState state, String reason, Duration latency,
                             long queries, long failures) {
}
