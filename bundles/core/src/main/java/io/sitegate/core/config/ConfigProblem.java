package io.sitegate.core.config;

import java.util.Objects;

/**
 * Why a proposed configuration cannot be put in force, naming the PID, the property and the value.
 *
 * @param pid      the configuration ({@code io.sitegate.dns})
 * @param property the property, or empty for a problem of the whole configuration
 * @param value    the refused value as given (never a secret's content)
 * @param reason   what is wrong and what is expected
 */
public record ConfigProblem(String pid, String property, String value, String reason) {
    public ConfigProblem {
        Objects.requireNonNull(pid, "pid");
        property = property == null ? "" : property;
        value = value == null ? "" : value;
        Objects.requireNonNull(reason, "reason");
    }

    /** One line a technician reads. */
    public String message() {
        return pid + ": " + (property.isEmpty() ? reason : "property '" + property + "' has invalid value '" + value + "': " + reason);
    }

    @Override
    public String toString() {
        return message();
    }
}
