package io.sitegate.tools.modemsim;

/** The SIM card as the module sees it. */
public enum SimStatus {
    /** Inserted and unlocked. */
    READY,
    /** Inserted, waiting for {@code AT+CPIN=<pin>}. */
    PIN_LOCKED,
    /** Three wrong PINs: blocked until PUK (the simulator does not unblock). */
    PUK_LOCKED,
    /** No SIM in the holder. */
    ABSENT
}
