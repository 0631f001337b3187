package io.sitegate.access.internal.keys;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * An operator's public key as OpenSSH writes it (the base64 blob of a {@code .pub} file), decoded into its type
 * and parameters, and compared with the key a client proves it holds.
 *
 * <p>Blob layouts: RFC 4253 section 6.6 ({@code ssh-rsa}: string type, mpint e, mpint n), RFC 5656 section 3.1
 * ({@code ecdsa-sha2-<curve>}: string type, string curve, string Q as an uncompressed point), RFC 8709 section 4
 * ({@code ssh-ed25519}: string type, string of the 32-byte key). The signature algorithms that use these keys
 * are negotiated by the SSH server ({@code sigAlgorithms}), not here: an RSA key signs with rsa-sha2-256/512
 * (RFC 8332) once SHA-1 {@code ssh-rsa} signatures are off.
 */
public final class OpenSshKey {
    /** The key types an operator may enrol, with the JCA curve names of the ECDSA ones. */
    static final Map<String, String> EC_CURVES = Map.of(
            "nistp256", "secp256r1", "nistp384", "secp384r1", "nistp521", "secp521r1");

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows it. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String type;
    private final BigInteger rsaExponent;
    private final BigInteger rsaModulus;
    private final String curve;
    private final byte[] point;

    private OpenSshKey(String type, BigInteger rsaExponent, BigInteger rsaModulus, String curve, byte[] point) {
        this.type = type;
        this.rsaExponent = rsaExponent;
        this.rsaModulus = rsaModulus;
        this.curve = curve;
        this.point = point;
    }

    /** The key type, e.g. {@code ssh-ed25519}. */
    public String type() {
        return type;
    }

    /**
     * Decodes a base64 OpenSSH public key blob.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the key material)
     */
    public static OpenSshKey parse(String base64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            String type = new String(string(in), StandardCharsets.US_ASCII);
            OpenSshKey key;
            switch (type) {
                case "ssh-ed25519" -> {
                    byte[] raw = string(in);
                    if (raw.length != 32) {
                        throw new IllegalArgumentException("an ssh-ed25519 key has 32 bytes, this one " + raw.length);
                    }
                    key = new OpenSshKey(type, null, null, null, raw);
                }
                case "ssh-rsa" -> key = new OpenSshKey(type, new BigInteger(string(in)), new BigInteger(string(in)), null, null);
                case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
                    String curve = new String(string(in), StandardCharsets.US_ASCII);
                    if (!type.endsWith("-" + curve)) {
                        throw new IllegalArgumentException("key type " + type + " names curve " + curve);
                    }
                    key = new OpenSshKey(type, null, null, curve, string(in));
                }
                default -> throw new IllegalArgumentException("unsupported key type '" + printable(type) + "'");
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("the " + type + " key has " + in.available() + " bytes too many");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("the key is truncated");
        }
    }

    /** Whether {@code presented} (as the SSH server decoded it from the client) is this key. */
    public boolean matches(PublicKey presented) {
        if (presented == null) {
            return false;
        }
        switch (type) {
            case "ssh-ed25519":
                byte[] spki = presented.getEncoded();
                return spki != null && spki.length == ED25519_SPKI_PREFIX.length + 32
                        && Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)
                        && Arrays.equals(spki, ED25519_SPKI_PREFIX.length, spki.length, point, 0, 32);
            case "ssh-rsa":
                return presented instanceof RSAPublicKey rsa
                        && rsa.getModulus().equals(rsaModulus) && rsa.getPublicExponent().equals(rsaExponent);
            default:
                if (!(presented instanceof ECPublicKey ec)) {
                    return false;
                }
                int fieldBytes = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
                if (point.length != 1 + 2 * fieldBytes || point[0] != 0x04 || fieldBytes != curveBytes()) {
                    return false;
                }
                ECPoint w = ec.getW();
                return w.getAffineX().equals(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + fieldBytes)))
                        && w.getAffineY().equals(new BigInteger(1, Arrays.copyOfRange(point, 1 + fieldBytes, point.length)));
        }
    }

    private int curveBytes() {
        return switch (curve) {
            case "nistp256" -> 32;
            case "nistp384" -> 48;
            default -> 66;
        };
    }

    private static byte[] string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("truncated");
        }
        return in.readNBytes(length);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
