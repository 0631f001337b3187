package io.sitegate.modem;

/** The channel is closed or its transport failed; a supervisor has to open a new one. */
public class AtChannelClosedException extends AtException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened; @param cause the transport failure, may be null */
    public AtChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
