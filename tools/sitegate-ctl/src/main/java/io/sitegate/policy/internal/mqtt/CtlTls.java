package io.sitegate.policy.internal.mqtt;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The CLI's way to the policy bundle's {@link PemTls} (package-private there): the same PEM parsing and
 * TLS 1.2/1.3 limits as the gateway's own link. The CLI runs on a flat class path, so this class may share
 * the package; it is not part of any bundle.
 */
public final class CtlTls {
    private CtlTls() {
    }

    /** A mutual-TLS socket factory from PEM files (CA, client certificate, its key). */
    public static SSLSocketFactory socketFactory(Path ca, Path cert, Path key) throws GeneralSecurityException, IOException {
        return PemTls.socketFactory(ca, cert, key);
    }
}
