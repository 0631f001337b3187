package io.sitegate.cellular;

/** A cellular administration request could not be carried out; the message says why in a technician's words. */
public class CellularException extends Exception {
    private static final long serialVersionUID = 1L;

    public CellularException(String message) {
        super(message);
    }

    public CellularException(String message, Throwable cause) {
        super(message, cause);
    }
}
