package io.sitegate.modem;

/** What +CPIN? says about the SIM (3GPP TS 27.007 §8.3), plus "absent" from CME 10. */
public enum SimState {
    /** {@code +CPIN: READY} */ READY,
    /** {@code +CPIN: SIM PIN} */ PIN_REQUIRED,
    /** {@code +CPIN: SIM PUK} */ PUK_REQUIRED,
    /** {@code +CPIN: SIM PIN2}/{@code SIM PUK2} or a PH- lock: the SIM wants another code. */ OTHER_LOCK,
    /** {@code +CME ERROR: 10} SIM not inserted (also {@code +CPIN: NOT INSERTED} from some vendors). */ ABSENT,
    /** CME 13/14/15: SIM failure, busy or wrong. */ FAILURE
}
