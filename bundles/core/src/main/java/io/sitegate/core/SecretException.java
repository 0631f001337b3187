package io.sitegate.core;

/**
 * A secret could not be read or was refused. The message names the secret and its file and says
 * why (missing, wrong owner, wrong mode, empty, bad name); it never contains the value.
 */
public class SecretException extends Exception {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
