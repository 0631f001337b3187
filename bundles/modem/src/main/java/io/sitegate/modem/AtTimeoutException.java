package io.sitegate.modem;

/** A command got no final result code within its timeout. The channel stays usable. */
public class AtTimeoutException extends AtException {
    private static final long serialVersionUID = 1L;

    /** @param message names the (masked) command and the timeout */
    public AtTimeoutException(String message) {
        super(message);
    }
}
