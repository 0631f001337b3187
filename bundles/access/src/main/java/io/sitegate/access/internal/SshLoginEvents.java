package io.sitegate.access.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts {@code io/sitegate/operator/LOGIN} (properties {@code user}, {@code remote}) when an SSH session is
 * authenticated, so that the audit trail records every operator login. Karaf's own JAAS audit events
 * ({@code org/apache/karaf/login/*}) are not posted for SSH public-key logins in Karaf 4.4.10 (checked with
 * {@code event:display} on the distribution), so the SSH server is asked directly.
 */
@Component(immediate = true)
public final class SshLoginEvents {
    static final String TOPIC = "io/sitegate/operator/LOGIN";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin events;

    private final SessionListener listener = new SessionListener() {
        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated) {
                post(session.getUsername(), session.getRemoteAddress());
            }
        }
    };

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindServer(SshServer server) {
        server.addSessionListener(listener);
    }

    void unbindServer(SshServer server) {
        server.removeSessionListener(listener);
    }

    private void post(String user, SocketAddress remote) {
        EventAdmin ea = events;
        if (ea == null) {
            return;
        }
        String from = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(remote);
        ea.postEvent(new org.osgi.service.event.Event(TOPIC, Map.of("user", user == null ? "" : user, "remote", from)));
    }
}
