package io.sitegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.InvalidKeySpecException;

class PolicyKeysTest {
    @Test
    void pemRoundTrips() throws Exception {
        KeyPair pair = PolicyKeys.generate();
        String pub = PolicyKeys.toPem(pair.getPublic());
        assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(PolicyKeys.readPublicKey(pub).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(PolicyKeys.readPrivateKey(PolicyKeys.toPem(pair.getPrivate())).getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void anOpensslPemIsRead() throws Exception {
        // openssl genpkey -algorithm ed25519 | openssl pkey -pubout (RFC 8410 section 10.1's example key)
        String pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assertThat(PolicyKeys.readPublicKey(pem).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void otherKeysAreRefused() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> PolicyKeys.readPublicKey(PolicyKeys.toPem(ed448.getPublic())))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThatThrownBy(() -> PolicyKeys.readPublicKey(PolicyKeys.toPem(rsa.getPublic())))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> PolicyKeys.publicKeyFromJwk("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
                .isInstanceOf(InvalidKeySpecException.class);
        assertThatThrownBy(() -> PolicyKeys.readPublicKey("garbage")).isInstanceOf(InvalidKeySpecException.class);
        assertThatThrownBy(() -> PolicyKeys.readPublicKey("x".repeat(20_000))).isInstanceOf(InvalidKeySpecException.class);
        assertThatThrownBy(() -> new PolicySigner(ed448.getPrivate(), "k")).isInstanceOf(InvalidKeySpecException.class);
    }

    @Test
    void trustedKeysAreReadFromADirectoryByKid(@TempDir Path dir) throws Exception {
        KeyPair a = PolicyKeys.generate();
        Files.writeString(dir.resolve("cloud-2026.pem"), PolicyKeys.toPem(a.getPublic()));
        Files.writeString(dir.resolve("cloud-a2.jwk"), "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
        Files.writeString(dir.resolve("README"), "not a key");
        assertThat(PolicyKeys.readTrustedKeys(dir)).containsOnlyKeys("cloud-2026", "cloud-a2");
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> PolicyKeys.readTrustedKeys(dir)).hasMessageContaining("broken.pem");
    }

    @Test
    void theSignerWritesTheHeaderTheGatewayExpects() throws Exception {
        KeyPair pair = PolicyKeys.generate();
        String token = PolicySigner.fromPem(PolicyKeys.toPem(pair.getPrivate()), "cloud-2026").sign("{\"a\":1}");
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"EdDSA\"").contains("\"kid\":\"cloud-2026\"");
        assertThat(token.split("\\.")).hasSize(3);
    }
}
