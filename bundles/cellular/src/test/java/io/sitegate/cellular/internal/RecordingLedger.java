package io.sitegate.cellular.internal;

import io.sitegate.core.config.ConfigDrift;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link ConfigLedger} that records what components report, for unit tests. */
final class RecordingLedger implements ConfigLedger {
    final Map<String, Map<String, String>> inForce = new TreeMap<>();
    final Map<String, List<ConfigProblem>> refused = new TreeMap<>();
    final List<String> reports = new ArrayList<>();

    @Override
    public synchronized void inForce(String pid, Map<String, ?> properties) {
        inForce.put(pid, ConfigSection.normalise(properties));
        refused.remove(pid);
        reports.add("in force " + pid + " " + ConfigSection.normalise(properties));
    }

    @Override
    public synchronized void refused(String pid, Map<String, ?> properties, List<ConfigProblem> problems) {
        refused.put(pid, problems);
        reports.add("refused " + pid + " " + problems);
    }

    @Override
    public synchronized void withdrawn(String pid) {
        inForce.remove(pid);
        reports.add("withdrawn " + pid);
    }

    @Override
    public synchronized Optional<Map<String, String>> inForce(String pid) {
        return Optional.ofNullable(inForce.get(pid));
    }

    @Override
    public synchronized Map<String, Map<String, String>> inForceUnder(String pid) {
        return new TreeMap<>(inForce);
    }

    @Override
    public synchronized List<ConfigProblem> refusal(String pid) {
        return refused.getOrDefault(pid, List.of());
    }

    @Override
    public synchronized Map<String, List<ConfigProblem>> refusals() {
        return new TreeMap<>(refused);
    }

    @Override
    public long mark() {
        return 0;
    }

    @Override
    public Outcome await(String pid, Map<String, String> expected, long mark, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void managed(ConfigSection section, String source) {
    }

    @Override
    public Optional<io.sitegate.core.config.ConfigOwner> owner(String section) {
        return Optional.empty();
    }

    @Override
    public void unmanaged(String section) {
    }

    @Override
    public List<ConfigDrift> drift() {
        return List.of();
    }
}
