package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.ModemIdentifiers;
import java.util.Locale;

/**
 * Identity replies: {@code AT+CGSN}/{@code AT+GSN} (IMEI), {@code AT+CIMI} (IMSI), {@code AT+CCID}/
 * {@code AT+QCCID}/{@code AT+CICCID} (ICCID), {@code AT+CGMI}/{@code AT+CGMM}/{@code AT+CGMR} (texts).
 * Values come bare ({@code 866758041234567}) or prefixed ({@code +CGSN: "866758041234567"}, {@code +QCCID: ...}).
 */
public final class IdentityParsers {

    private IdentityParsers() {
    }

    /** The IMEI, Luhn-checked. */
    public static String imei(AtResponse response) throws AtParseException {
        String value = ReplyLines.firstValue(response);
        if (!ModemIdentifiers.isValidImei(value)) {
            throw ReplyLines.fail(response, value, "not a valid IMEI (15 digits, Luhn check)");
        }
        return value;
    }

    /** The IMSI, 6-15 digits. */
    public static String imsi(AtResponse response) throws AtParseException {
        String value = ReplyLines.firstValue(response);
        if (!ModemIdentifiers.isValidImsi(value)) {
            throw ReplyLines.fail(response, value, "not an IMSI (6-15 digits)");
        }
        return value;
    }

    /** The ICCID, 18-22 digits; a trailing {@code F} pad is removed. */
    public static String iccid(AtResponse response) throws AtParseException {
        String value = ReplyLines.firstValue(response).toUpperCase(Locale.ROOT);
        if (!ModemIdentifiers.isValidIccid(value)) {
            throw ReplyLines.fail(response, value, "not an ICCID (18-22 digits, optional trailing F)");
        }
        return value.endsWith("F") ? value.substring(0, value.length() - 1) : value;
    }

    /** The first information line of {@code AT+CGMI}, {@code AT+CGMM}, {@code AT+CGMR} (prefix removed). */
    public static String text(AtResponse response) throws AtParseException {
        return ReplyLines.firstValue(response);
    }

    /** All information lines of {@code ATI}, joined with '\n' (used for profile detection). */
    public static String identification(AtResponse response) {
        return String.join("\n", response.lines());
    }
}
