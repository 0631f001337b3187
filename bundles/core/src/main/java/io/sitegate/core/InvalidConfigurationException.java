package io.sitegate.core;

/**
 * A configuration value was refused. The message names the PID, the property and the bad value,
 * so the log line alone tells a technician what to fix.
 */
public class InvalidConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String property;
    private final String value;

    public InvalidConfigurationException(String property, Object value, String reason) {
        super("property '" + property + "' has invalid value '" + value + "': " + reason);
        this.property = property;
        this.value = String.valueOf(value);
    }

    /** The property that was refused. */
    public String property() {
        return property;
    }

    /** The refused value, as configured. */
    public String value() {
        return value;
    }
}
