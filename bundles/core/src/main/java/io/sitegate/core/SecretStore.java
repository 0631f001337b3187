package io.sitegate.core;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Secrets kept outside ConfigAdmin. A configuration names a secret ({@code pinSecret = sim-wan0});
 * the value lives in the file {@code ${karaf.etc}/secrets/<name>}, a regular file owned by the
 * gateway's user with mode 0600 or 0400. A file anybody else could read or change is refused, so
 * a secret is never used from a file that has already leaked.
 *
 * <p>Secrets are read when needed and not cached: replacing the file takes effect on the next read.
 */
public interface SecretStore {
    /** A secret name: letters, digits, '.', '_', '-', not starting with '.', at most 100 characters. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    /**
     * Reads a secret. One trailing line break (LF or CRLF) is removed, as editors add one.
     *
     * @param name the secret's name, see {@link #NAME}
     * @return the secret, never empty
     * @throws SecretException when the name is invalid, or the file is missing, not a regular file,
     *                         not owned by the gateway's user, readable or writable by group or
     *                         others, unreadable, too large, not UTF-8 or empty; the message names
     *                         the file and, for a mode problem, its actual mode
     */
    Secret read(String name) throws SecretException;

    /** The directory secret files are read from (for messages telling a technician where to put one). */
    Path directory();

    /** Whether {@code name} is a valid secret name. */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
