package io.sitegate.core;

/** Every stored generation of a document is torn or corrupt. */
public class CorruptStateException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    public CorruptStateException(String message) {
        super(message);
    }
}
