package io.sitegate.policy.internal.agent;

import io.sitegate.core.SitegateTopics;
import io.sitegate.policy.internal.audit.AuditEvent;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Sends the gateway's events to the cloud on {@code sitegate/{gw}/events} (queued on disk while offline, in order),
 * and writes the ones an auditor asks about into the audit trail: binding resets, quota overrides, access changes
 * and operator logins (Sitegate's own {@code operator/LOGIN} from the SSH server, and Karaf's JAAS
 * {@code org/apache/karaf/login/SUCCESS|FAILURE} where a realm posts them; the audit keeps the user name, never the
 * subject or a credential). Health changes are not sent one by one: the retained status follows
 * them.
 */
// configured like the agent, so that without etc/io.sitegate.policy.cfg both wait for a configuration (which the
// readiness check accepts) rather than this one for a missing agent (which it does not)
@Component(service = EventHandler.class, configurationPid = PolicyAgent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, property = {
        EventConstants.EVENT_TOPIC + "=io/sitegate/*",
        EventConstants.EVENT_TOPIC + "=org/apache/karaf/login/*" })
public final class EventForwarder implements EventHandler {
    static final String LOGIN = "org/apache/karaf/login/";

    private final PolicyAgent agent;

    @Activate
    public EventForwarder(@Reference PolicyAgent agent) {
        this.agent = agent;
    }

    @Override
    public void handleEvent(Event event) {
        String topic = event.getTopic();
        if (topic.equals(SitegateTopics.HEALTH_CHANGED)) {
            return;
        }
        Map<String, String> props = properties(event);
        auditEvent(topic, props).ifPresent(agent::audit);
        if (!topic.startsWith(LOGIN)) {
            agent.sendEvent(topic.substring(SitegateTopics.PREFIX.length()), props);
        }
        if (topic.equals(SitegateTopics.TUNNEL_FAILOVER)) {
            agent.routeChanged("the active tunnel changed from '" + props.getOrDefault("from", "") + "' to '"
                    + props.getOrDefault("to", "") + "'");
        }
    }

    /** The properties that can be sent: text, numbers and booleans (a subject or another object never is). */
    static Map<String, String> properties(Event event) {
        Map<String, String> out = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            Object v = event.getProperty(name);
            if (name.equals(EventConstants.EVENT_TOPIC) || !(v instanceof CharSequence || v instanceof Number || v instanceof Boolean)) {
                continue;
            }
            out.put(name, String.valueOf(v));
        }
        return out;
    }

    /** The audit entry an event makes, if it is one an auditor asks about. */
    static java.util.Optional<AuditEvent> auditEvent(String topic, Map<String, String> p) {
        if (topic.startsWith(LOGIN)) {
            String type = topic.substring(LOGIN.length()).toLowerCase(java.util.Locale.ROOT);
            if (!type.equals("success") && !type.equals("failure")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new AuditEvent("operator.login", 0, p.getOrDefault("username", ""), "",
                    type.equals("success") ? "SUCCESS" : "FAILURE", ""));
        }
        if (topic.equals(SitegateTopics.OPERATOR_LOGIN)) {
            return java.util.Optional.of(new AuditEvent("operator.login", 0, p.getOrDefault("user", ""), "", "SUCCESS",
                    "over SSH from " + p.getOrDefault("remote", "?")));
        }
        if (topic.equals(SitegateTopics.BINDING_CHANGED)) {
            return java.util.Optional.of(new AuditEvent("binding.changed", 0, p.getOrDefault("modem", ""), "",
                    p.getOrDefault("change", p.getOrDefault("outcome", "")), describe(p)));
        }
        if (topic.equals(SitegateTopics.QUOTA_OVERRIDE)) {
            return java.util.Optional.of(new AuditEvent("quota.override", 0, p.getOrDefault("modem", ""), "", "", describe(p)));
        }
        if (topic.startsWith(SitegateTopics.PREFIX + "access/")) {
            return java.util.Optional.of(new AuditEvent("access." + topic.substring(topic.lastIndexOf('/') + 1)
                    .toLowerCase(java.util.Locale.ROOT), 0, p.getOrDefault("from", ""), "", "", describe(p)));
        }
        return java.util.Optional.empty();
    }

    private static String describe(Map<String, String> p) {
        StringBuilder b = new StringBuilder();
        p.forEach((k, v) -> {
            if (!k.equals("timestamp")) {
                b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v);
            }
        });
        return b.toString();
    }
}
