package io.sitegate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.policy.PolicyKeys;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * The Ed25519 JWS example of RFC 8037 appendix A (A.1 private key, A.2 public key, A.4 signature, A.5
 * verification): the same jose4j verification, with the same EdDSA-only constraint and the same key loading,
 * that {@link PolicyVerifier} uses. The vector's header has no {@code kid} and its payload is not JSON, so it
 * cannot go through {@code verify} whole; the signature layer is what it checks.
 */
class Rfc8037VectorTest {
    /** RFC 8037 appendix A.2: the public key. */
    static final String A2_PUBLIC_JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    /** RFC 8037 appendix A.1: the private key (d) with its public x. */
    static final String A1_PRIVATE_JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    /** RFC 8037 appendix A.4: protected header {"alg":"EdDSA"}, payload "Example of Ed25519 signing", signature. */
    static final String A4_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    @Test
    void appendixA5VerifiesTheA4SignatureWithTheA2PublicKey() throws Exception {
        PublicKey key = PolicyKeys.publicKeyFromJwk(A2_PUBLIC_JWK);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA));
        jws.setCompactSerialization(A4_JWS);
        jws.setKey(key);
        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getPayload()).isEqualTo("Example of Ed25519 signing");
        assertThat(CompactJws.parse(A4_JWS).signature()).hasSize(86); // canonical base64url of 64 bytes
    }

    @Test
    void appendixA4SignatureIsReproducedWithTheA1PrivateKey() throws Exception {
        // Ed25519 is deterministic (RFC 8032 section 5.1.6): the JDK must produce the RFC's bytes exactly
        PrivateKey d = ((PublicJsonWebKey) OctetKeyPairJsonWebKey.Factory.newPublicJwk(A1_PRIVATE_JWK)).getPrivateKey();
        String input = A4_JWS.substring(0, A4_JWS.lastIndexOf('.'));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(d);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()))
                .isEqualTo(A4_JWS.substring(A4_JWS.lastIndexOf('.') + 1));
    }

    @Test
    void theA2KeyReadAsPemIsTheSameKey() throws Exception {
        PublicKey jwk = PolicyKeys.publicKeyFromJwk(A2_PUBLIC_JWK);
        assertThat(PolicyKeys.readPublicKey(PolicyKeys.toPem(jwk)).getEncoded()).isEqualTo(jwk.getEncoded());
    }

    @Test
    void aFlippedBitInTheVectorFails() throws Exception {
        String tampered = A4_JWS.replace("RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc", "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmM");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(tampered);
        jws.setKey(PolicyKeys.publicKeyFromJwk(A2_PUBLIC_JWK));
        assertThat(jws.verifySignature()).isFalse();
    }
}
