package io.sitegate.policy;

import io.sitegate.core.SafeText;

import java.util.Objects;

/**
 * Why a policy document was refused: a code for the ack and the fleet's counters, and a reason in words.
 * The reason is bounded and escaped ({@link #quote}): it never echoes unbounded input.
 *
 * @param code   what kind of refusal
 * @param reason what was wrong, for a technician
 */
public record PolicyRefusal(Code code, String reason) {

    /** Longest piece of input a reason quotes, in characters, before escaping. */
    public static final int MAX_QUOTE = 80;

    /** Longest reason, in characters. */
    public static final int MAX_REASON = 400;

    /** The kinds of refusal, in the order the verifier checks them. */
    public enum Code {
        /** The payload is not a JWS in the compact serialization (RFC 7515 section 7.1). */
        NOT_JWS,
        /** The payload is larger than the configured maximum. */
        TOO_LARGE,
        /** The payload, or the JWS payload, is not valid UTF-8. */
        BAD_UTF8,
        /** The JWS header's {@code alg} is not {@code EdDSA} (RFC 8037 section 3.1). */
        BAD_ALGORITHM,
        /** The JWS header's {@code kid} names no trusted key. */
        UNKNOWN_KEY,
        /** The signature does not verify with the named key. */
        BAD_SIGNATURE,
        /** The signed payload is not JSON. */
        BAD_JSON,
        /** The JSON is nested deeper than the configured maximum. */
        TOO_DEEP,
        /** A JSON object has the same member twice. */
        DUPLICATE_KEY,
        /** A JSON number does not fit: an integer beyond a long, a decimal beyond a double. */
        NUMBER_OUT_OF_RANGE,
        /** The document does not match the policy schema. */
        SCHEMA,
        /** The version is not above the last accepted version for the target (replay or rollback). */
        REPLAYED,
        /** The document's {@code expiresAt} has passed. */
        EXPIRED,
        /** The document's {@code issuedAt} is in the future. */
        NOT_YET_VALID,
        /** The document is for another gateway or a group this gateway is not in. */
        OTHER_TARGET,
        /** A section the gateway does not know. */
        UNKNOWN_SECTION
    }

    public PolicyRefusal {
        Objects.requireNonNull(code, "code");
        reason = bound(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * A piece of untrusted input fit to put in a reason: at most {@link #MAX_QUOTE} characters (with
     * {@code ...} when cut), control, bidi and escape characters made visible by {@link SafeText}.
     */
    public static String quote(CharSequence untrusted) {
        if (untrusted == null) {
            return "null";
        }
        CharSequence s = untrusted;
        boolean cut = s.length() > MAX_QUOTE;
        if (cut) {
            int end = MAX_QUOTE;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.subSequence(0, end);
        }
        return SafeText.escape(s) + (cut ? "..." : "");
    }

    /*
     * Reasons are built from fixed words and quote()d input, so they are escaped already; escaping again
     * would double the backslashes. This only caps the length and, should a caller have passed raw input,
     * blanks anything that acts on a terminal.
     */
    private static String bound(String reason) {
        StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON));
        for (int i = 0; i < reason.length() && b.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x061c
                    || c == 0x200e || c == 0x200f;
            b.append(control ? '?' : c);
        }
        if (reason.length() > MAX_REASON) {
            b.setLength(MAX_REASON - 3);
            b.append("...");
        }
        return b.toString();
    }

    /** {@code CODE: reason}, as the ack carries it. */
    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
