package io.sitegate.access.internal;

import java.io.IOException;
import java.util.List;

import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the accept-all forwarding filter that Karaf 4.4's SSH bundle installs on its server.
 *
 * <p>Karaf registers its {@link SshServer} as an OSGi service just before starting it, and makes a new one each
 * time {@code org.apache.karaf.shell} changes; this component binds every such server as it appears (the bind
 * runs synchronously in the service event, before {@code start()}) and sets a filter that refuses every
 * forwarding request. Should a server have started before this component (a restart of this bundle, or a boot
 * order that let SSH come first), the sessions it opened under the old filter are closed: none of them can hold
 * a forward. When this component goes away, the servers keep refusing (sshd's own reject-all filter replaces
 * ours, so no class of this bundle stays referenced).
 */
@Component(immediate = true)
public final class SshForwardingGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SshForwardingGuard.class);

    private final ForwardingFilter filter = new RefusingForwardingFilter();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindServer(SshServer server) {
        ForwardingFilter previous = server.getForwardingFilter();
        server.setForwardingFilter(filter);
        boolean wasRefusing = previous instanceof RejectAllForwardingFilter || previous instanceof RefusingForwardingFilter;
        if (server.isStarted() && !wasRefusing) {
            closeSessionsOpenedUnder(server, previous);
        }
        LOG.info("SSH server on port {}: every kind of forwarding is refused", server.getPort());
    }

    void unbindServer(SshServer server) {
        if (server.getForwardingFilter() == filter) {
            server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        }
    }

    private static void closeSessionsOpenedUnder(SshServer server, ForwardingFilter previous) {
        List<AbstractSession> sessions = server.getActiveSessions();
        if (sessions.isEmpty()) {
            return;
        }
        LOG.warn("SSH server on port {} ran with {} before Sitegate's filter: closing its {} open session(s)",
                server.getPort(), previous == null ? "no forwarding filter" : previous.getClass().getSimpleName(),
                sessions.size());
        for (AbstractSession session : sessions) {
            try {
                session.close();
            } catch (IOException e) {
                LOG.warn("could not close SSH session of {}: {}", session.getUsername(), e.toString());
            }
        }
    }
}
