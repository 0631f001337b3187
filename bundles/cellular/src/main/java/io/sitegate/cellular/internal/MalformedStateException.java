package io.sitegate.cellular.internal;

import io.sitegate.core.CorruptStateException;

/**
 * A persisted cellular document (learned binding, quota ledger) was read intact from the state store
 * but does not make sense: an unknown format version, a missing or malformed field. It extends the
 * store's {@link CorruptStateException} so a caller handles "the store could not give it back" and
 * "it came back unusable" in one place. Nothing is ever invented in its place: the caller decides.
 */
public class MalformedStateException extends CorruptStateException {
    private static final long serialVersionUID = 1L;
    private final String field;

    MalformedStateException(String document, String field, String problem) {
        super(document + " document: field '" + field + "' " + problem);
        this.field = field;
    }

    /** The field that was refused ({@code format} for a version this code cannot read). */
    public String field() {
        return field;
    }
}
