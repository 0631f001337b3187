package io.sitegate.core;

import java.io.IOException;

/** The state store could not do what was asked; the message names the key or path and why. */
public class StateStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StateStoreException(String message) {
        super(message);
    }

    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
