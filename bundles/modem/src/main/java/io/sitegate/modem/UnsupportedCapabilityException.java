package io.sitegate.modem;

/** A modem profile was asked for something its modem cannot do (a RAT, DNS configuration, counters). */
public class UnsupportedCapabilityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param profile the profile name; @param what the capability asked for, with the detail */
    public UnsupportedCapabilityException(String profile, String what) {
        super("modem profile '" + profile + "' cannot do " + what);
    }
}
