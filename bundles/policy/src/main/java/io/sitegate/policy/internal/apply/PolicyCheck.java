package io.sitegate.policy.internal.apply;

import io.sitegate.core.config.ConfigChange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dry run: what a policy would change and why it would be refused, with nothing applied.
 *
 * @param version  the policy's version
 * @param changes  per section, in apply order, what applying it would change
 * @param problems every reason it would be refused (unknown sections, a version at or below the
 *                 high-water mark, each capability's validation problems); empty when it would be applied
 */
public record PolicyCheck(long version, Map<String, List<ConfigChange>> changes, List<String> problems) {
    public PolicyCheck {
        Map<String, List<ConfigChange>> copy = new LinkedHashMap<>();
        changes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        changes = Collections.unmodifiableMap(copy);
        problems = List.copyOf(problems);
    }

    /** Whether the policy would be applied (its health permitting). */
    public boolean acceptable() {
        return problems.isEmpty();
    }
}
