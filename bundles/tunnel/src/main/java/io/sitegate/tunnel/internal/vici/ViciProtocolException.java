package io.sitegate.tunnel.internal.vici;

import java.io.IOException;

/**
 * A VICI byte sequence that does not follow the protocol (truncated, oversized, unknown types,
 * unbalanced sections or lists), or a message too large to be sent under strongSwan's limits.
 *
 * <p>It is an {@link IOException} because, to a session, a peer that speaks broken VICI is an I/O
 * failure like a dropped socket: the connection cannot be trusted any more and is reopened.
 */
public final class ViciProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where (offsets count from the start of the decoded bytes)
     */
    public ViciProtocolException(String message) {
        super(message);
    }
}
