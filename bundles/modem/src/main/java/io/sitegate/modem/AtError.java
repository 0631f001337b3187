package io.sitegate.modem;

import java.util.OptionalInt;

/**
 * A {@code +CME ERROR} (3GPP TS 27.007 §9.2) or {@code +CMS ERROR} (3GPP TS 27.005 §3.2.5).
 *
 * @param kind which family the error belongs to
 * @param code the numeric code when the modem reports numerically ({@code AT+CMEE=1}) or the text maps to one
 * @param description a readable description (the modem's text in verbose mode, the table text otherwise)
 */
public record AtError(Kind kind, OptionalInt code, String description) {

    /** The two error families. */
    public enum Kind {
        /** Mobile equipment error, 27.007 §9.2. */
        CME,
        /** Message service error, 27.005 §3.2.5. */
        CMS
    }

    /** {@code CME 10 (SIM not inserted)}; the modem's own text escaped, as it ends up in logs and on the shell. */
    public String describe() {
        return kind + (code.isPresent() ? " " + code.getAsInt() : "") + " (" + io.sitegate.core.SafeText.escape(description) + ")";
    }

    /** Whether this is the given CME code. */
    public boolean isCme(int cmeCode) {
        return kind == Kind.CME && code.isPresent() && code.getAsInt() == cmeCode;
    }
}
