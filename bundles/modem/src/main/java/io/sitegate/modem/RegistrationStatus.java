package io.sitegate.modem;

/** The {@code <stat>} of +CREG/+CGREG/+CEREG (3GPP TS 27.007 §7.2, §10.1.20, §10.1.22). */
public enum RegistrationStatus {
    /** 0 */ NOT_REGISTERED,
    /** 1 */ REGISTERED_HOME,
    /** 2 */ SEARCHING,
    /** 3 */ DENIED,
    /** 4 */ UNKNOWN,
    /** 5 */ REGISTERED_ROAMING,
    /** 6 */ SMS_ONLY_HOME,
    /** 7 */ SMS_ONLY_ROAMING,
    /** 8 */ EMERGENCY_ONLY,
    /** 9 */ CSFB_NOT_PREFERRED_HOME,
    /** 10 */ CSFB_NOT_PREFERRED_ROAMING;

    /** The value for a numeric {@code <stat>}. */
    public static RegistrationStatus ofCode(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("unknown registration status " + code);
        }
        return values()[code];
    }

    /** Whether the modem may send data (home or roaming, including the CSFB variants). */
    public boolean isRegistered() {
        return this == REGISTERED_HOME || this == REGISTERED_ROAMING
                || this == CSFB_NOT_PREFERRED_HOME || this == CSFB_NOT_PREFERRED_ROAMING;
    }

    /** Whether the modem is registered on a visited network. */
    public boolean isRoaming() {
        return this == REGISTERED_ROAMING || this == SMS_ONLY_ROAMING || this == CSFB_NOT_PREFERRED_ROAMING;
    }
}
