package io.sitegate.policy.internal;

import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicyVerificationException;

/**
 * The shape of a JWS compact serialization (RFC 7515 section 7.1): three base64url parts (RFC 7515
 * section 2, "Base64url Encoding": the URL-safe alphabet of RFC 4648 section 5, no padding, no whitespace)
 * separated by exactly two dots. Checked before any decoding, because a lenient base64 decoder would skip
 * foreign characters and so let two different strings carry one signature.
 *
 * @param header    the encoded protected header
 * @param payload   the encoded payload
 * @param signature the encoded signature; may be empty here ({@code alg: none}), refused later
 */
record CompactJws(String header, String payload, String signature) {
    /** A protected header is a few dozen bytes; a large one is an attack on the header parser. */
    static final int MAX_HEADER_CHARS = 4096;

    static CompactJws parse(String token) throws PolicyVerificationException {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw notJws("a JWS compact serialization has exactly three parts separated by '.'");
        }
        CompactJws jws = new CompactJws(token.substring(0, first), token.substring(first + 1, second),
                token.substring(second + 1));
        if (jws.header.isEmpty() || jws.payload.isEmpty()) {
            throw notJws("the JWS header or payload is empty");
        }
        if (jws.header.length() > MAX_HEADER_CHARS) {
            throw notJws("the JWS header is longer than " + MAX_HEADER_CHARS + " characters");
        }
        requireBase64Url(jws.header, "header");
        requireBase64Url(jws.payload, "payload");
        requireBase64Url(jws.signature, "signature");
        return jws;
    }

    private static void requireBase64Url(String part, String what) throws PolicyVerificationException {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw notJws("the JWS " + what + " is not base64url: character "
                        + PolicyRefusal.quote(String.valueOf(c)) + " at " + i);
            }
        }
        // Unpadded base64url never leaves a single character in the last group (RFC 7515 appendix C).
        if (part.length() % 4 == 1) {
            throw notJws("the JWS " + what + " has a base64url length no encoder produces");
        }
        // The last character of an unpadded group carries bits that encode nothing; an encoder writes them
        // as zero. Refusing anything else keeps one signature to one spelling (no malleable tokens).
        int rest = part.length() % 4;
        if (rest != 0) {
            int last = sextet(part.charAt(part.length() - 1));
            int unused = rest == 2 ? 0x0f : 0x03;
            if ((last & unused) != 0) {
                throw notJws("the JWS " + what + " is not canonical base64url (unused bits set in the last character)");
            }
        }
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    private static PolicyVerificationException notJws(String reason) {
        return new PolicyVerificationException(PolicyRefusal.Code.NOT_JWS, reason);
    }
}
