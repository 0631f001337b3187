package io.sitegate.policy.internal;

import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Keys, a fixed clock, a verifier and documents for the verifier's tests. */
final class PolicyFixture {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    static final String GATEWAY = "gw-0042";
    static final String KID = "cloud-2026";
    static final String KID2 = "cloud-2027";

    final KeyPair key = PolicyKeys.generate();
    final KeyPair key2 = PolicyKeys.generate();
    final Map<String, Long> marks = new HashMap<>();
    final PolicyVerifier verifier;
    final PolicySigner signer;

    PolicyFixture() {
        try {
            verifier = PolicyVerifier.builder()
                    .trustKey(KID, key.getPublic())
                    .trustKey(KID2, key2.getPublic())
                    .gateway(GATEWAY, Set.of("north", "all"))
                    .highWaterMark(target -> marks.getOrDefault(target, 0L))
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build();
            signer = new PolicySigner(key.getPrivate(), KID);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid document for {@code target} with {@code version} and the given sections JSON. */
    static String document(long version, String target, String sectionsJson) {
        return "{\"version\":" + version + ",\"issuedAt\":\"2026-12-04T09:00:00Z\",\"expiresAt\":\"2027-01-04T09:00:00Z\","
                + "\"target\":\"" + target + "\",\"sections\":" + sectionsJson + "}";
    }

    static String goodSections() {
        return "{\"cellular\":{\"rat\":\"lte\",\"networks\":[\"26201\",\"26202\"],\"imeiLock\":true,\"dataQuotaMb\":2048},"
                + "\"dns\":{\"upstreams\":[\"10.8.0.1:53\"]},"
                + "\"filter\":{\"allow\":[\"10.0.0.0/8\"]},"
                + "\"modem\":{\"wan0\":{\"port\":\"/dev/ttyUSB2\",\"apn\":\"iot.example\"}},"
                + "\"tunnels\":{\"primary\":{\"type\":\"ipsec\",\"priority\":1},\"backup\":{\"type\":\"openvpn\",\"priority\":2}},"
                + "\"features\":{\"repositories\":[\"mvn:io.sitegate/sitegate-features/0.2.0/xml/features\"],"
                + "\"install\":[\"sitegate-dns/0.2.0\"]}}";
    }

    static String good(long version) {
        return document(version, GATEWAY, goodSections());
    }

    byte[] signed(String json) {
        return signer.sign(json).getBytes(StandardCharsets.US_ASCII);
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A compact JWS with any header, signed with Ed25519 over the signing input (RFC 7515 section 5.1). */
    static String ed25519Token(String headerJson, byte[] payload, PrivateKey privateKey) {
        String input = b64(headerJson) + "." + b64(payload);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] token(String headerJson, String payloadJson) {
        return ed25519Token(headerJson, payloadJson.getBytes(StandardCharsets.UTF_8), key.getPrivate())
                .getBytes(StandardCharsets.US_ASCII);
    }
}
