package io.sitegate.policy;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.util.Objects;

/**
 * Signs a policy payload as the gateway verifies it: a JWS compact serialization (RFC 7515 section 7.1)
 * with the protected header {@code {"alg":"EdDSA","kid":<kid>}} (RFC 8037 section 3.1), Ed25519 on the
 * JDK's provider. No OSGi dependency: the cloud-side CLI and the tests use it as a plain class.
 *
 * <p>The payload is signed as given; schema validation is the caller's business (the CLI validates first).
 */
public final class PolicySigner {
    private final PrivateKey key;
    private final String keyId;

    /**
     * @param key   an Ed25519 private key
     * @param keyId the {@code kid} the gateways know the matching public key by
     */
    public PolicySigner(PrivateKey key, String keyId) throws InvalidKeySpecException {
        this.key = PolicyKeys.requireEd25519(Objects.requireNonNull(key, "key"));
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty()) {
            throw new IllegalArgumentException("empty key id");
        }
    }

    /** A signer with the PKCS#8 PEM private key {@code pem}. */
    public static PolicySigner fromPem(String pem, String keyId) throws GeneralSecurityException {
        return new PolicySigner(PolicyKeys.readPrivateKey(pem), keyId);
    }

    /** The JWS compact serialization of {@code payloadJson} (signed as its UTF-8 bytes). */
    public String sign(String payloadJson) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(Objects.requireNonNull(payloadJson, "payloadJson"));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(keyId);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("EdDSA signing failed: " + e.getMessage(), e);
        }
    }

    /** The key id this signer puts in the header. */
    public String keyId() {
        return keyId;
    }
}
