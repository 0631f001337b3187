package io.sitegate.access.internal;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every kind of SSH forwarding (local {@code -L}, dynamic {@code -D}, remote {@code -R}, agent and X11)
 * and logs each attempt with the user who made it, so an operator who tries is visible in the log.
 * MINA SSHD asks the filter once per request, before any socket is opened.
 */
final class RefusingForwardingFilter implements ForwardingFilter {
    private static final Logger LOG = LoggerFactory.getLogger(RefusingForwardingFilter.class);

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        refused(session, "agent forwarding (" + requestType + ")");
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        refused(session, "X11 forwarding (" + requestType + ")");
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        refused(session, "remote forwarding (listen on " + address + ")");
        return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        refused(session, "forwarding (" + type.getName() + ") to " + address);
        return false;
    }

    private static void refused(Session session, String what) {
        String user = session == null ? null : session.getUsername();
        LOG.warn("SSH {} refused for user {} from {}: Sitegate allows no forwarding through the shell",
                what, user, session == null ? null : session.getIoSession().getRemoteAddress());
    }
}
