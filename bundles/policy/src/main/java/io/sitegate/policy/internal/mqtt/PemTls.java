package io.sitegate.policy.internal.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client side of mutual TLS, from PEM files: the broker is trusted only if its chain ends at
 * the given CA (the JDK's cacerts are not used), the client presents its certificate and key, and
 * only TLS 1.3 and 1.2 are offered. Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) or PKCS#1
 * RSA ({@code BEGIN RSA PRIVATE KEY}). Error messages name the file, never print key material.
 */
public final class PemTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemTls() {
    }

    /** A socket factory for the broker connection. */
    public static SSLSocketFactory socketFactory(Path caFile, Path certFile, Path keyFile) throws GeneralSecurityException,
            IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(certFile, keyFile), trustManagers(caFile), new SecureRandom());
        return new ProtocolLimitingFactory(context.getSocketFactory());
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path caFile) throws GeneralSecurityException,
            IOException {
        Collection<? extends Certificate> cas = certificates(caFile);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : cas) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Path certFile, Path keyFile) throws GeneralSecurityException,
            IOException {
        X509Certificate[] chain = certificates(certFile).toArray(new X509Certificate[0]);
        PrivateKey key = privateKey(keyFile, chain[0]);
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    @SuppressWarnings("unchecked")
    private static Collection<X509Certificate> certificates(Path file) throws GeneralSecurityException, IOException {
        Collection<X509Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = (Collection<X509Certificate>) CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(file + ": not a PEM certificate file (" + e.getMessage() + ")");
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(file + ": no certificate in it");
        }
        return certs;
    }

    /** Reads the key and checks that it belongs to the certificate (a mismatch fails here, not in the handshake). */
    static PrivateKey privateKey(Path keyFile, X509Certificate cert) throws GeneralSecurityException, IOException {
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                byte[] pkcs8 = switch (type) {
                    case "PRIVATE KEY" -> der;
                    case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
                    default -> throw new GeneralSecurityException(keyFile + ": '" + type + "' keys are not supported;"
                            + " convert with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pk8>");
                };
                String algorithm = cert.getPublicKey().getAlgorithm();
                PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                checkPair(key, cert, keyFile);
                return key;
            } finally {
                Arrays.fill(der, (byte) 0);
            }
        }
        throw new GeneralSecurityException(keyFile + ": no PEM private key in it");
    }

    private static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile) throws GeneralSecurityException {
        String algorithm = switch (cert.getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "sitegate key check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        if (!s.verify(sig)) {
            throw new GeneralSecurityException(keyFile + ": the key does not belong to the client certificate "
                    + cert.getSubjectX500Principal());
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) throws IOException {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(version);
        body.write(algorithm);
        body.write(octets);
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.write(content);
        return out.toByteArray();
    }

    /** Offers only TLS 1.3 and 1.2 on every socket it makes. */
    private static final class ProtocolLimitingFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        ProtocolLimitingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket limit(Socket s) {
            if (s instanceof SSLSocket ssl) {
                ssl.setEnabledProtocols(PROTOCOLS);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return limit(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return limit(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return limit(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return limit(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return limit(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return limit(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
