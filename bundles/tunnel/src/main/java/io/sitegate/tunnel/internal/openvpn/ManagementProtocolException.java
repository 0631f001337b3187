package io.sitegate.tunnel.internal.openvpn;

import java.io.IOException;

/** OpenVPN's management interface sent something that is not what its protocol allows. */
public final class ManagementProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ManagementProtocolException(String message) {
        super(message);
    }
}
