package io.sitegate.tunnel.internal.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which tunnel carries the cloud prefixes (active-passive). Pure, so every rule is unit-tested:
 * <ul>
 * <li><b>Failover at once:</b> when the active tunnel is not healthy, the healthy tunnel with the highest priority takes
 * over (ties: the name, so the choice is stable).</li>
 * <li><b>Failback after a hold-down:</b> a healthy active tunnel keeps the traffic until a tunnel of higher priority has been
 * healthy without a break for that tunnel's {@code holdDown}; a tunnel that flaps restarts its hold-down each time.</li>
 * <li><b>A forced failover</b> ({@code tunnel-failover}) pins the new active tunnel: no failback before {@code pinnedUntil}.</li>
 * <li>No healthy tunnel: none is active.</li>
 * </ul>
 * Health itself has hysteresis ({@code probe.failures} / {@code probe.successes} in a row), so one lost probe moves nothing.
 */
public final class ActiveSelector {
    private ActiveSelector() {
    }

    /** One tunnel as the selection sees it. */
    public record Candidate(String name, int priority, boolean healthy, Instant healthySince, Duration holdDown) {
    }

    static final Comparator<Candidate> PREFERENCE = Comparator.comparingInt(Candidate::priority).reversed()
            .thenComparing(Candidate::name);

    /**
     * @param candidates  every enabled tunnel
     * @param current     the active tunnel now, empty when none
     * @param pinnedUntil no failback before this instant (a forced failover), or {@code null}
     * @param now         the time
     * @return the tunnel to make active, empty when none is healthy
     */
    public static Optional<String> choose(List<Candidate> candidates, Optional<String> current, Instant pinnedUntil, Instant now) {
        List<Candidate> healthy = candidates.stream().filter(Candidate::healthy).sorted(PREFERENCE).toList();
        if (healthy.isEmpty()) {
            return Optional.empty();
        }
        Optional<Candidate> active = current.flatMap(n -> healthy.stream().filter(c -> c.name().equals(n)).findFirst());
        if (active.isEmpty()) {
            return Optional.of(healthy.get(0).name());
        }
        if (pinnedUntil != null && now.isBefore(pinnedUntil)) {
            return current;
        }
        for (Candidate c : healthy) {
            if (c.priority() <= active.get().priority()) {
                break;
            }
            if (!Duration.between(c.healthySince(), now).minus(c.holdDown()).isNegative()) {
                return Optional.of(c.name());
            }
        }
        return current;
    }
}
