package io.sitegate.modem;

/** A modem operation failed; the message says what and why, in a technician's words. */
public class ModemException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModemException(String message) {
        super(message);
    }

    public ModemException(String message, Throwable cause) {
        super(message, cause);
    }
}
