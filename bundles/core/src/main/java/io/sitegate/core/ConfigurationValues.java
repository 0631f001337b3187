package io.sitegate.core;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict reading of raw configuration properties (as ConfigAdmin delivers them from a {@code .cfg}
 * file: mostly strings). Unlike the lenient coercion of Declarative Services, a value that does not
 * parse is refused with an {@link InvalidConfigurationException} naming the property and the value,
 * instead of silently becoming {@code 0} or {@code false}.
 */
public final class ConfigurationValues {
    private final Map<String, ?> properties;

    private ConfigurationValues(Map<String, ?> properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /** Wraps the properties given to a component's activate method. */
    public static ConfigurationValues of(Map<String, ?> properties) {
        return new ConfigurationValues(properties);
    }

    /** The trimmed string value, or the default when the property is absent or blank. */
    public String string(String key, String defaultValue) {
        Object raw = properties.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String s = String.valueOf(raw).trim();
        return s.isEmpty() ? defaultValue : s;
    }

    /** A string that must match the pattern; {@code expected} describes it for the error message. */
    public String matching(String key, String defaultValue, Pattern pattern, String expected) {
        String s = string(key, defaultValue);
        if (s != null && !pattern.matcher(s).matches()) {
            throw new InvalidConfigurationException(key, s, "expected " + expected);
        }
        return s;
    }

    /** {@code true} or {@code false}, nothing else (no {@code yes}, no {@code 1}). */
    public boolean bool(String key, boolean defaultValue) {
        Object raw = properties.get(key);
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = string(key, null);
        if (s == null) {
            return defaultValue;
        }
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidConfigurationException(key, s, "expected true or false");
    }

    /** A whole number within {@code [min, max]}. */
    public long integer(String key, long defaultValue, long min, long max) {
        Object raw = properties.get(key);
        long value;
        if (raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)) {
            value = n.longValue();
        } else {
            String s = string(key, null);
            if (s == null) {
                return defaultValue;
            }
            try {
                value = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(key, s, "expected a whole number");
            }
        }
        if (value < min || value > max) {
            throw new InvalidConfigurationException(key, value, "expected a number from " + min + " to " + max);
        }
        return value;
    }

    /** A value parsed by {@code parser}; any exception it throws becomes the refusal reason. */
    public <T> T parsed(String key, T defaultValue, Function<String, T> parser) {
        String s = string(key, null);
        if (s == null) {
            return defaultValue;
        }
        try {
            return parser.apply(s);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(key, s, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
