package io.sitegate.core;

import io.sitegate.core.config.ConfigProblem;

import java.util.List;

/**
 * A configuration value was refused. The message names the PID, the property and the bad value,
 * so the log line alone tells a technician what to fix.
 */
public class InvalidConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String property;
    private final String value;
    private final transient List<ConfigProblem> problems;

    public InvalidConfigurationException(String property, Object value, String reason) {
        super("property '" + property + "' has invalid value '" + value + "': " + reason);
        this.property = property;
        this.value = String.valueOf(value);
        this.problems = List.of(new ConfigProblem("", property, this.value, reason));
    }

    /** Every problem of one configuration at once (at least one); the message lists them all. */
    public InvalidConfigurationException(List<ConfigProblem> problems) {
        super(String.join("; ", problems.stream().map(p -> p.property().isEmpty() ? p.reason()
                : "property '" + p.property() + "' has invalid value '" + p.value() + "': " + p.reason()).toList()));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problem given");
        }
        this.property = problems.get(0).property();
        this.value = problems.get(0).value();
        this.problems = List.copyOf(problems);
    }

    /** The property that was refused. */
    public String property() {
        return property;
    }

    /** The refused value, as configured. */
    public String value() {
        return value;
    }

    /** Every problem (one for a single refused value). */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
