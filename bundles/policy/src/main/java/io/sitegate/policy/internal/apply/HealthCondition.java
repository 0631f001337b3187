package io.sitegate.policy.internal.apply;

import io.sitegate.core.Health;
import io.sitegate.core.HealthState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * The health that must come within the confirm window for a newly applied policy to be kept, judged
 * on a snapshot of the health registry. It says what is missing, so a rollback names it.
 */
@FunctionalInterface
public interface HealthCondition {

    /** What is missing in {@code health}; empty when the condition holds. */
    Optional<String> unmet(SortedMap<String, Health> health);

    /** A predicate over the snapshot, described by {@code what} when it does not hold. */
    static HealthCondition of(String what, Predicate<SortedMap<String, Health>> holds) {
        return health -> holds.test(health) ? Optional.empty() : Optional.of(what);
    }

    /** The capability reports {@link HealthState#UP}. */
    static HealthCondition up(String capability) {
        return health -> {
            Health h = health.get(capability);
            if (h != null && h.state() == HealthState.UP) {
                return Optional.empty();
            }
            return Optional.of(h == null ? capability + " reports no health"
                    : capability + " is " + h.state() + (h.reason().isEmpty() ? "" : ": " + h.reason()));
        };
    }

    /** Every condition holds; when not, every missing part is named. */
    static HealthCondition allOf(HealthCondition... conditions) {
        return health -> {
            List<String> missing = new ArrayList<>();
            for (HealthCondition c : conditions) {
                c.unmet(health).ifPresent(missing::add);
            }
            return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
        };
    }

    /** Holds at once (a policy whose health needs no wait). */
    static HealthCondition none() {
        return health -> Optional.empty();
    }
}
