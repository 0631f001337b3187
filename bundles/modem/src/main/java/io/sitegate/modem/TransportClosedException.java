package io.sitegate.modem;

import java.io.IOException;

/** The transport's device is gone (EOF, USB unplug, peer closed, closed locally): reopen to continue. */
public class TransportClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message names the device and what happened */
    public TransportClosedException(String message) {
        super(message);
    }

    /** @param message names the device and what happened; @param cause the underlying failure */
    public TransportClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
