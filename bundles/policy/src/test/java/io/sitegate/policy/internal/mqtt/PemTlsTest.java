package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** PEM reading with keys and certificates made by the openssl CLI. */
class PemTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
        pki.openssl("genrsa", "-traditional", "-out", "rsa1.key", "2048");
        pki.openssl("req", "-new", "-x509", "-key", "rsa1.key", "-out", "rsa1.crt", "-days", "2", "-subj", "/CN=gw-rsa");
        pki.openssl("pkcs8", "-topk8", "-in", "gw1.key", "-out", "gw1-enc.key", "-passout", "pass:secret");
    }

    private static X509Certificate cert(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void readsPkcs8EcAndPkcs1RsaKeys() throws Exception {
        PrivateKey ec = PemTls.privateKey(pki.key("gw1"), cert("gw1"));
        assertThat(ec.getAlgorithm()).isEqualTo("EC");
        assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
        PrivateKey rsa = PemTls.privateKey(dir.resolve("rsa1.key"), cert("rsa1"));
        assertThat(rsa.getAlgorithm()).isEqualTo("RSA");
        assertThat(PemTls.socketFactory(pki.cert("ca"), pki.cert("gw1"), pki.key("gw1"))).isNotNull();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedBeforeAnyHandshake() {
        assertThatThrownBy(() -> PemTls.privateKey(pki.key("operator"), cert("gw1")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageEndingWith("operator.key: the key does not belong to the client certificate CN=gw1");
    }

    @Test
    void unsupportedOrMissingKeysAreNamed() {
        assertThatThrownBy(() -> PemTls.privateKey(dir.resolve("gw1-enc.key"), cert("gw1")))
                .hasMessageContaining("'ENCRYPTED PRIVATE KEY' keys are not supported")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PemTls.privateKey(pki.cert("gw1"), cert("gw1")))
                .hasMessageEndingWith("gw1.crt: no PEM private key in it");
        assertThatThrownBy(() -> PemTls.socketFactory(pki.key("gw1"), pki.cert("gw1"), pki.key("gw1")))
                .hasMessageContaining("gw1.key: not a PEM certificate file");
    }
}
