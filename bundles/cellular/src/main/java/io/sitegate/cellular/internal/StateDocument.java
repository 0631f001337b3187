package io.sitegate.cellular.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small versioned key/value document ({@code key=value} lines, UTF-8, {@code format} first), read
 * strictly: the format version must be one this code knows, every field must be one it expects, and
 * every value must parse. The checksum against torn writes is the state store's job.
 */
final class StateDocument {
    static final String FORMAT = "format";

    private final String name;
    private final Properties fields;

    private StateDocument(String name, Properties fields) {
        this.name = name;
        this.fields = fields;
    }

    /** Writes the fields, {@code format} first, the rest sorted: the same state gives the same bytes. */
    static byte[] write(int format, Map<String, String> values) {
        StringBuilder out = new StringBuilder(FORMAT).append('=').append(format).append('\n');
        new TreeMap<>(values).forEach((k, v) -> out.append(k).append('=').append(escape(v)).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String value) {
        StringBuilder s = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * Reads a document.
     *
     * @param name    what it is, for messages ({@code cellular binding})
     * @param format  the one format version this code reads
     * @param allowed every field the version has (besides {@code format})
     */
    static StateDocument read(String name, byte[] bytes, int format, Set<String> allowed) throws MalformedStateException {
        Properties p = new Properties();
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            p.load(new InputStreamReader(new ByteArrayInputStream(bytes), decoder));
        } catch (CharacterCodingException e) {
            throw new MalformedStateException(name, "(document)", "is not UTF-8 text");
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedStateException(name, "(document)", "is not readable: " + e.getMessage());
        }
        StateDocument doc = new StateDocument(name, p);
        String version = doc.required(FORMAT);
        if (!version.equals(Integer.toString(format))) {
            throw new MalformedStateException(name, FORMAT, "is '" + version + "': this version of Sitegate reads format "
                    + format + " only");
        }
        for (String key : p.stringPropertyNames()) {
            if (!key.equals(FORMAT) && !allowed.contains(key)) {
                throw new MalformedStateException(name, key, "is not part of format " + format);
            }
        }
        return doc;
    }

    /** A field that must be present (it may be blank). */
    String present(String field) throws MalformedStateException {
        String value = fields.getProperty(field);
        if (value == null) {
            throw new MalformedStateException(name, field, "is missing");
        }
        return value.trim();
    }

    /** A field that may be absent. */
    java.util.Optional<String> optional(String field) {
        return java.util.Optional.ofNullable(fields.getProperty(field)).map(String::trim);
    }

    /** A field that must be present and not blank. */
    String required(String field) throws MalformedStateException {
        String value = present(field);
        if (value.isEmpty()) {
            throw new MalformedStateException(name, field, "is empty");
        }
        return value;
    }

    /** A count: a whole number, not negative. */
    long count(String field) throws MalformedStateException {
        String value = required(field);
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedStateException(name, field, "is not a count: '" + value + "'");
    }

    /** An ISO-8601 instant ({@code 2025-03-14T23:00:00Z}). */
    Instant instant(String field) throws MalformedStateException {
        String value = required(field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedStateException(name, field, "is not an instant: '" + value + "'");
        }
    }

    /** A field the caller validates itself; {@link #refuse} builds its error. */
    MalformedStateException refuse(String field, String problem) {
        return new MalformedStateException(name, field, problem);
    }
}
