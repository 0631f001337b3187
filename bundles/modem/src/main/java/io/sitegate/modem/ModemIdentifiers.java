package io.sitegate.modem;

/** Checks for the identifiers modems report: IMEI (Luhn), IMSI, ICCID (ITU-T E.118). */
public final class ModemIdentifiers {

    private ModemIdentifiers() {
    }

    /** Whether {@code digits} is a non-empty digit string whose Luhn check sum is 0 mod 10. */
    public static boolean luhnValid(String digits) {
        if (digits == null || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** An IMEI is 15 digits whose last digit is the Luhn check digit (3GPP TS 23.003 §6.2.1). */
    public static boolean isValidImei(String imei) {
        return imei != null && imei.length() == 15 && luhnValid(imei);
    }

    /** An IMSI is 6 to 15 digits (3GPP TS 23.003 §2.2); 6 allows short test IMSIs. */
    public static boolean isValidImsi(String imsi) {
        return imsi != null && imsi.matches("[0-9]{6,15}");
    }

    /** An ICCID is 18 to 22 digits, optionally padded with a trailing {@code F} (some SIMs report 19 digits + F). */
    public static boolean isValidIccid(String iccid) {
        return iccid != null && iccid.matches("[0-9]{18,22}|[0-9]{17,21}[Ff]");
    }
}
