package io.sitegate.modem;

/** Base of every failure of an AT exchange: timeout, error result, closed channel, unparseable reply. */
public class AtException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the command (PIN masked) */
    public AtException(String message) {
        super(message);
    }

    /** @param message what failed; @param cause the underlying failure */
    public AtException(String message, Throwable cause) {
        super(message, cause);
    }
}
