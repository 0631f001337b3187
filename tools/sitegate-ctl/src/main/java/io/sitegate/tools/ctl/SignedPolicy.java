package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitegate.policy.PolicyDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A JWS compact token as read from a file, with its payload's claims read without checking the signature (the
 * gateway checks it): enough to refuse a file that is no JWS, or is for another target, before it is published.
 */
record SignedPolicy(String token, long version, String target, JsonNode payload) {
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    static SignedPolicy parse(String text) throws IOException {
        String token = text.strip();
        if (!COMPACT.matcher(token).matches()) {
            throw new IOException("not a JWS compact serialization (header.payload.signature in base64url)");
        }
        JsonNode payload;
        try {
            payload = GatewayStatus.JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw new IOException("the JWS payload is not JSON: " + e.getMessage());
        }
        if (payload == null || !payload.path("target").isTextual() || !payload.path("version").canConvertToLong()) {
            throw new IOException("the JWS payload has no target or version: not a policy document");
        }
        return new SignedPolicy(token, payload.get("version").longValue(), payload.get("target").textValue(), payload);
    }

    /** Refuses a policy whose target is not the one the operator named. */
    void requireTarget(String gateway, String group) throws IOException {
        String wanted = gateway != null ? gateway : PolicyDocument.GROUP_PREFIX + group;
        if (!wanted.equals(target)) {
            throw new IOException("the policy is for '" + target + "', not for '" + wanted + "': nothing published");
        }
    }

    byte[] bytes() {
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /** The target of a payload that did not verify, for its ack: "-" when unreadable. */
    static String targetOrDash(byte[] payload) {
        try {
            return parse(new String(payload, StandardCharsets.UTF_8)).target();
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    /** The version of a payload that did not verify, for its ack: 0 when unreadable. */
    static long versionOrZero(byte[] payload) {
        try {
            return parse(new String(payload, StandardCharsets.UTF_8)).version();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
