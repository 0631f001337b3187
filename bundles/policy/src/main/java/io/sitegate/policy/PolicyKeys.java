package io.sitegate.policy;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ed25519 keys for policy signing, read and written as PEM ({@code PUBLIC KEY}: X.509 SubjectPublicKeyInfo;
 * {@code PRIVATE KEY}: PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes them) or as a JWK
 * ({@code {"kty":"OKP","crv":"Ed25519","x":...}}, RFC 8037 section 2). Only Ed25519 is accepted: Ed448 and
 * every other key type are refused, so a trusted key can only ever verify {@code EdDSA} with Ed25519.
 */
public final class PolicyKeys {
    /** A key file is small; anything larger is not a key. */
    private static final int MAX_KEY_TEXT = 16 * 1024;

    private PolicyKeys() {
    }

    /** A new Ed25519 key pair from the JDK's provider. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** An Ed25519 public key from PEM {@code PUBLIC KEY} text or JWK JSON. */
    public static PublicKey readPublicKey(String text) throws GeneralSecurityException {
        String t = bounded(text).strip();
        if (t.startsWith("{")) {
            return publicKeyFromJwk(t);
        }
        byte[] der = pemBody(t, "PUBLIC KEY");
        return requireEd25519(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    }

    /** An Ed25519 private key from PEM {@code PRIVATE KEY} (PKCS#8) text. */
    public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        byte[] der = pemBody(bounded(pem).strip(), "PRIVATE KEY");
        return requireEd25519(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
    }

    /** An Ed25519 public key from a JWK (RFC 8037 section 2: {@code kty} OKP, {@code crv} Ed25519). */
    public static PublicKey publicKeyFromJwk(String json) throws GeneralSecurityException {
        try {
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(bounded(json));
            if (!(jwk instanceof PublicJsonWebKey pjwk) || !"OKP".equals(jwk.getKeyType())) {
                throw new InvalidKeySpecException("not an OKP (Ed25519) JWK");
            }
            return requireEd25519(pjwk.getPublicKey());
        } catch (JoseException e) {
            throw new InvalidKeySpecException("not a JWK: " + PolicyRefusal.quote(e.getMessage()), e);
        }
    }

    /** The PEM {@code PUBLIC KEY} text of a key. */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** The PEM {@code PRIVATE KEY} (PKCS#8) text of a key. Keep it secret: never log it. */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * The trusted keys in a directory, by key id: {@code <kid>.pem} (PEM {@code PUBLIC KEY}) and
     * {@code <kid>.jwk} (a public JWK). Other files are ignored; a key file that is not an Ed25519 public
     * key is an error, so a typo never silently drops a key.
     */
    public static Map<String, PublicKey> readTrustedKeys(Path directory) throws IOException, GeneralSecurityException {
        Map<String, PublicKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{pem,jwk}")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String kid = name.substring(0, name.lastIndexOf('.'));
                if (Files.size(file) > MAX_KEY_TEXT) {
                    throw new InvalidKeySpecException(name + ": larger than a key file");
                }
                try {
                    keys.put(kid, readPublicKey(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (GeneralSecurityException e) {
                    throw new InvalidKeySpecException(name + ": " + e.getMessage(), e);
                }
            }
        }
        return keys;
    }

    /** The key itself when it is an Ed25519 key (RFC 8037 section 3.1), else an exception. */
    public static <K extends Key> K requireEd25519(K key) throws InvalidKeySpecException {
        if (key instanceof EdECKey ed && ed.getParams() != null
                && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            return key;
        }
        throw new InvalidKeySpecException("not an Ed25519 key: " + (key == null ? "none" : key.getAlgorithm()));
    }

    private static String bounded(String text) throws InvalidKeySpecException {
        if (text == null || text.length() > MAX_KEY_TEXT) {
            throw new InvalidKeySpecException(text == null ? "no key text" : "key text larger than " + MAX_KEY_TEXT + " characters");
        }
        return text;
    }

    private static byte[] pemBody(String pem, String label) throws InvalidKeySpecException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new InvalidKeySpecException("not PEM " + label);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new InvalidKeySpecException("PEM " + label + " is not base64", ex);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
