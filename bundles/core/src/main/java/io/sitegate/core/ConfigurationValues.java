package io.sitegate.core;

import io.sitegate.core.config.ConfigProblem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict reading of raw configuration properties (as ConfigAdmin delivers them from a {@code .cfg}
 * file: mostly strings). Unlike the lenient coercion of Declarative Services, a value that does not
 * parse is refused with an {@link InvalidConfigurationException} naming the property and the value,
 * instead of silently becoming {@code 0} or {@code false}.
 *
 * <p>A {@linkplain #collecting collecting} reader does not throw: it records every problem, answers the
 * default for a refused value so that reading goes on, and {@link #finish()} adds every property that
 * was never read as unknown. One pass over a configuration then yields all its problems.
 */
public final class ConfigurationValues {
    private final Map<String, ?> properties;
    private final String pid;
    private final boolean collecting;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> read = new HashSet<>();
    private Map<String, String> defaults = Map.of();

    private ConfigurationValues(Map<String, ?> properties, String pid, boolean collecting) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.pid = pid;
        this.collecting = collecting;
    }

    /** Wraps the properties given to a component's activate method; the first bad value throws. */
    public static ConfigurationValues of(Map<String, ?> properties) {
        return new ConfigurationValues(properties, "", false);
    }

    /** A reader that records every problem of configuration {@code pid} instead of throwing. */
    public static ConfigurationValues collecting(String pid, Map<String, ?> properties) {
        return new ConfigurationValues(properties, pid, true);
    }

    /**
     * Takes the defaults from the component's {@code @ObjectClassDefinition}, so they are written in one
     * place: the methods' default values, named as Declarative Services maps method names to properties
     * ({@code cache_maxEntries} is {@code cache.maxEntries}, {@code __} is {@code _}, {@code $_$} is {@code -}).
     * The one-argument readers then use them; asking for a property the definition lacks is a programming error.
     */
    public ConfigurationValues defaults(Class<?> objectClassDefinition) {
        Map<String, String> d = new java.util.TreeMap<>();
        for (java.lang.reflect.Method m : objectClassDefinition.getDeclaredMethods()) {
            Object def = m.getDefaultValue();
            if (def == null) {
                def = "";
            }
            if (def.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(def);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(String.valueOf(java.lang.reflect.Array.get(def, i)));
                }
                def = String.join(",", items);
            }
            d.put(propertyName(m.getName()), String.valueOf(def));
        }
        this.defaults = Map.copyOf(d);
        return this;
    }

    /** The property a DS annotation method name stands for (OSGi Compendium 112.8.2.2). */
    public static String propertyName(String method) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c == '$') {
                if (method.startsWith("$_$", i)) {
                    b.append('-');
                    i += 2;
                } else if (method.startsWith("$$", i)) {
                    b.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (method.startsWith("__", i)) {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The default of a property from the {@linkplain #defaults definition}. */
    public String defaultOf(String key) {
        String d = defaults.get(key);
        if (d == null) {
            throw new IllegalStateException("property '" + key + "' has no @AttributeDefinition");
        }
        return d;
    }

    /** The string value, or the definition's default ({@code null} when that is empty). */
    public String string(String key) {
        String d = defaultOf(key);
        return string(key, d.isEmpty() ? null : d);
    }

    /** {@link #matching(String, String, Pattern, String)} with the definition's default. */
    public String matching(String key, Pattern pattern, String expected) {
        String d = defaultOf(key);
        return matching(key, d.isEmpty() ? null : d, pattern, expected);
    }

    /** {@link #bool(String, boolean)} with the definition's default. */
    public boolean bool(String key) {
        return bool(key, Boolean.parseBoolean(defaultOf(key)));
    }

    /** {@link #integer(String, long, long, long)} with the definition's default. */
    public long integer(String key, long min, long max) {
        return integer(key, Long.parseLong(defaultOf(key)), min, max);
    }

    /** The value parsed, or the definition's default parsed (an empty default is parsed as {@code ""}). */
    public <T> T parsed(String key, Function<String, T> parser) {
        T fallback = parser.apply(defaultOf(key));
        return parsed(key, fallback, parser);
    }

    /** The raw properties. */
    public Map<String, ?> properties() {
        return properties;
    }

    /**
     * Refuses a value: throws, or records the problem when collecting.
     *
     * @throws InvalidConfigurationException unless collecting
     */
    public void problem(String key, Object value, String reason) {
        read.add(key);
        InvalidConfigurationException e = new InvalidConfigurationException(key, value, reason);
        if (!collecting) {
            throw e;
        }
        problems.add(new ConfigProblem(pid, key, String.valueOf(value), reason));
    }

    /** Marks a property as known although it was read directly from {@link #properties()}. */
    public void known(String key) {
        read.add(key);
    }

    /**
     * Every problem recorded, then one per property that was never read ({@code unknown property},
     * with the known ones listed).
     */
    public List<ConfigProblem> finish() {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (!read.contains(key) && !io.sitegate.core.config.ConfigSection.isFramework(key)) {
                unknown.add(key);
            }
        }
        for (String key : unknown) {
            Object value = properties.get(key);
            String reason = "unknown property (known: " + String.join(", ", new TreeSet<>(read)) + ")";
            if (!collecting) {
                throw new InvalidConfigurationException(key, value, reason);
            }
            problems.add(new ConfigProblem(pid, key, String.valueOf(value), reason));
        }
        return List.copyOf(problems);
    }

    /** The problems recorded so far (collecting readers). */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** The trimmed string value, or the default when the property is absent or blank. */
    public String string(String key, String defaultValue) {
        read.add(key);
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
            problem(key, s, "expected " + expected);
            return defaultValue;
        }
        return s;
    }

    /** {@code true} or {@code false}, nothing else (no {@code yes}, no {@code 1}). */
    public boolean bool(String key, boolean defaultValue) {
        read.add(key);
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
        problem(key, s, "expected true or false");
        return defaultValue;
    }

    /** A whole number within {@code [min, max]}. */
    public long integer(String key, long defaultValue, long min, long max) {
        read.add(key);
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
                problem(key, s, "expected a whole number");
                return defaultValue;
            }
        }
        if (value < min || value > max) {
            problem(key, value, "expected a number from " + min + " to " + max);
            return defaultValue;
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
            problem(key, s, e.getMessage() == null ? e.toString() : e.getMessage());
            return defaultValue;
        }
    }
}
