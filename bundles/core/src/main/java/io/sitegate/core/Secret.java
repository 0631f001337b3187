package io.sitegate.core;

import java.util.Objects;

/**
 * A secret value (SIM PIN, APN password, later tunnel PSKs and private keys) read from a secret
 * file. {@link #toString()} never shows the value, so a secret that ends up in a log line, an
 * exception message or shell output by mistake prints as {@code ****}. Only {@link #reveal()}
 * returns the value, and only code that sends it to a device should call it.
 */
public final class Secret {
    private final String name;
    private final String value;

    /**
     * @param name  the secret's name (the file name under the secrets directory)
     * @param value the value; must not be empty
     * @throws IllegalArgumentException when the value is empty
     */
    public Secret(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret '" + name + "' is empty");
        }
        this.value = value;
    }

    /** The secret's name, safe to log. */
    public String name() {
        return name;
    }

    /** The value itself. Never log or print it. */
    public String reveal() {
        return value;
    }

    /** {@code Secret[name=****]}: the name only, never the value. */
    @Override
    public String toString() {
        return "Secret[" + name + "=****]";
    }
}
