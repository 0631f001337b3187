package io.sitegate.policy.internal.apply;

import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigDiff;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A capability's section that keeps its configuration in memory (it survives a simulated restart, as
 * ConfigAdmin's files do), records every call, and refuses or throws on demand. A value {@code invalid}
 * fails validation.
 */
final class FakeSection implements ConfigurableSection {
    private final String name;
    private final String pid;
    private final boolean factory;
    private final FaultInjector faults;
    ConfigSection current;
    boolean refuseApply;
    boolean throwOnRestore;
    /** A restore is refused while this holds (a section checking its last-known-good against another's state). */
    java.util.function.BooleanSupplier refuseRestoreWhile = () -> false;
    final List<String> calls = new ArrayList<>();

    FakeSection(String name, String pid, boolean factory, FaultInjector faults) {
        this.name = name;
        this.pid = pid;
        this.factory = factory;
        this.faults = faults;
        this.current = new ConfigSection(name, Map.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String pid() {
        return pid;
    }

    @Override
    public boolean factory() {
        return factory;
    }

    @Override
    public List<ConfigProblem> validate(ConfigSection proposed) {
        List<ConfigProblem> problems = new ArrayList<>();
        proposed.configurations().forEach((p, values) -> values.forEach((k, v) -> {
            if (v.equals("invalid")) {
                problems.add(new ConfigProblem(p, k, v, "not a valid value"));
            }
        }));
        return problems;
    }

    @Override
    public List<ConfigChange> diff(ConfigSection proposed) {
        return ConfigDiff.between(current, proposed, Set.of());
    }

    @Override
    public ConfigSection apply(ConfigSection proposed, String source) throws ConfigRefusedException {
        firstConfiguration("apply " + name, proposed, refuseApply && !source.equals("fallback"));
        faults.step("apply " + name, () -> {
            calls.add("apply " + source);
            if (refuseApply && !source.equals("fallback")) {
                throw new ConfigRefusedException(name, List.of(new ConfigProblem(pid, "", "", "the daemon refused it")));
            }
            current = proposed;
        });
        return current;
    }

    /**
     * A section of several configurations is written one configuration at a time, as ConfigAdmin does: the
     * power can go between them and leave the section itself half old, half new.
     */
    private void firstConfiguration(String what, ConfigSection target, boolean failing) {
        if (failing || target.configurations().size() < 2) {
            return;
        }
        faults.step(what + " (first configuration)", () -> {
            Map<String, Map<String, String>> half = new java.util.TreeMap<>(current.configurations());
            Map.Entry<String, Map<String, String>> first = target.configurations().entrySet().iterator().next();
            half.put(first.getKey(), first.getValue());
            current = new ConfigSection(name, half);
        });
    }

    @Override
    public ConfigSection snapshot() {
        return current;
    }

    @Override
    public void restore(ConfigSection snapshot) throws ConfigRefusedException {
        if (refuseRestoreWhile.getAsBoolean()) {
            calls.add("restore refused");
            throw new ConfigRefusedException(name, List.of(new ConfigProblem(pid, "default", "deny", "would cut the gateway off")));
        }
        firstConfiguration("restore " + name, snapshot, throwOnRestore);
        faults.step("restore " + name, () -> {
            calls.add("restore");
            if (throwOnRestore) {
                throw new IllegalStateException("cannot write " + pid + ".cfg: read-only file system");
            }
            current = snapshot;
        });
    }
}
