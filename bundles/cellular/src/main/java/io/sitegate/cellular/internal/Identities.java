package io.sitegate.cellular.internal;

import io.sitegate.modem.ModemIdentifiers;
import io.sitegate.modem.ModemIdentity;

import java.util.Locale;
import java.util.Optional;

/**
 * The identity values the binding compares, normalised so that two modems reporting the same SIM
 * differently (with or without the filler {@code F}) compare equal, and shortened for messages.
 */
final class Identities {
    private Identities() {
    }

    /** Digits only: upper case, trailing filler {@code F} removed; blank for {@code null}. */
    static String normaliseIccid(String iccid) {
        if (iccid == null) {
            return "";
        }
        String s = iccid.trim().toUpperCase(Locale.ROOT);
        return s.endsWith("F") ? s.substring(0, s.length() - 1) : s;
    }

    /** The IMEI if it is readable and valid (15 digits, Luhn), else empty. */
    static Optional<String> validImei(Optional<ModemIdentity> identity) {
        return identity.map(ModemIdentity::imei).map(String::trim).filter(ModemIdentifiers::isValidImei);
    }

    /** The normalised ICCID if it is readable and valid (18 to 22 digits), else empty. */
    static Optional<String> validIccid(Optional<ModemIdentity> identity) {
        return identity.map(ModemIdentity::iccid).map(String::trim).filter(ModemIdentifiers::isValidIccid)
                .map(Identities::normaliseIccid);
    }

    /** The raw IMEI for messages and events; blank when there is none. */
    static String rawImei(Optional<ModemIdentity> identity) {
        return identity.map(ModemIdentity::imei).map(String::trim).orElse("");
    }

    /** The raw ICCID (normalised) for messages and events; blank when there is none. */
    static String rawIccid(Optional<ModemIdentity> identity) {
        return identity.map(ModemIdentity::iccid).map(Identities::normaliseIccid).orElse("");
    }

    /** The IMSI for display; blank when there is none. */
    static String imsi(Optional<ModemIdentity> identity) {
        return identity.map(ModemIdentity::imsi).map(String::trim).orElse("");
    }
}
