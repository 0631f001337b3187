package io.sitegate.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What {@link GatewayStatus} saw.
 *
 * @param gatewayId       the configured gateway id
 * @param site            the configured site name, may be empty
 * @param version         the Sitegate version
 * @param uptime          time since the gateway runtime started
 * @param health          every capability's health, by name
 * @param features        installed Sitegate features with their version ({@code name/version})
 * @param notReady        what keeps the gateway from being ready: Sitegate bundles not active,
 *                        components not satisfied; empty when ready
 * @param readyAfter      how long after the JVM started the gateway was first ready (empty until then)
 */
public record StatusSnapshot(String gatewayId, String site, String version, Duration uptime,
                             SortedMap<String, Health> health, List<String> features, List<String> notReady,
                             Optional<Duration> readyAfter) {

    /** Ready: every Sitegate bundle active, every component satisfied, no capability DOWN. */
    public boolean ready() {
        return notReady.isEmpty() && health.values().stream().noneMatch(h -> h.state() == HealthState.DOWN);
    }
}
