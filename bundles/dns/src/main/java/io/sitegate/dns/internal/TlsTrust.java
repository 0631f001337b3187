package io.sitegate.dns.internal;

import io.sitegate.core.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context for DNS-over-TLS upstreams: the JDK's CAs, or only those of a PEM file ({@code tls.ca}). */
final class TlsTrust {

    private TlsTrust() {
    }

    static SSLContext context(String caFile) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (caFile.isEmpty()) {
                ctx.init(null, null, null);
                return ctx;
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new InvalidConfigurationException("tls.ca", caFile, "no certificate in the file");
            }
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new InvalidConfigurationException("tls.ca", caFile, "cannot read: " + e);
        } catch (GeneralSecurityException e) {
            throw new InvalidConfigurationException("tls.ca", caFile, "not PEM certificates: " + e.getMessage());
        }
    }
}
