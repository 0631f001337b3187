package io.sitegate.policy.internal.apply;

import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicySections;
import io.sitegate.policy.PolicyVerificationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A policy's sections matched to the capabilities that apply them, in apply order, each converted,
 * validated and diffed. Nothing is applied.
 *
 * @param steps    the sections to apply, in {@link #ORDER}
 * @param changes  per section, what applying it would change
 * @param problems every reason the policy cannot be applied
 */
record SectionPlan(List<Step> steps, Map<String, List<ConfigChange>> changes, List<String> problems) {

    /**
     * The fixed apply order: the cellular gate and the modem first (the link), then name resolution, the
     * tunnels over them, and the filter so it never shuts a path the others still need to come up. The
     * features come last: a capability is updated only once the policy's configuration is in force for the
     * others, which keep serving through the update; and a failed install, the likeliest and slowest failure,
     * is then the first thing the rollback (newest first) undoes. (A section of a capability the same policy
     * installs is refused: its section service does not exist yet when the plan is made.)
     */
    static final List<String> ORDER = List.of("cellular", "modem", "dns", "tunnels", "filter", "features");

    /** One section to apply. */
    record Step(String name, ConfigurableSection capability, ConfigSection proposed) {
    }

    static SectionPlan of(PolicyDocument doc, Function<String, Optional<ConfigurableSection>> capabilities) {
        List<String> problems = new ArrayList<>();
        for (String name : doc.sections().keySet()) {
            if (!ORDER.contains(name) || capabilities.apply(name).isEmpty()) {
                problems.add("no capability offers section '" + PolicyRefusal.quote(name) + "'");
            }
        }
        List<Step> steps = new ArrayList<>();
        Map<String, List<ConfigChange>> changes = new LinkedHashMap<>();
        for (String name : ORDER) {
            Optional<ConfigurableSection> capability = capabilities.apply(name);
            if (doc.section(name).isEmpty() || capability.isEmpty()) {
                continue;
            }
            ConfigurableSection cs = capability.get();
            try {
                ConfigSection proposed = PolicySections.toConfigSection(name, doc.section(name).get(), cs.pid(), cs.factory());
                List<ConfigProblem> found = cs.validate(proposed);
                found.forEach(p -> problems.add(name + ": " + p.message()));
                changes.put(name, cs.diff(proposed));
                steps.add(new Step(name, cs, proposed));
            } catch (PolicyVerificationException e) {
                problems.add(name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add(name + ": the capability could not check the section: " + e);
            }
        }
        return new SectionPlan(List.copyOf(steps), changes, List.copyOf(problems));
    }
}
