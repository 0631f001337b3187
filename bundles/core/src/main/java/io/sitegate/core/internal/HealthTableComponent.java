package io.sitegate.core.internal;

import io.sitegate.core.Health;
import io.sitegate.core.SitegateTopics;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Owns the one {@link HealthTable} of the gateway and posts its changes on EventAdmin. */
@Component(service = HealthTableComponent.class)
public final class HealthTableComponent {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final HealthTable table;

    @Activate
    public HealthTableComponent() {
        this.table = new HealthTable(Clock.systemUTC(), this::post);
    }

    HealthTable table() {
        return table;
    }

    @Deactivate
    void deactivate() {
        table.close();
    }

    private void post(Health previous, Health current) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Health shown = current != null ? current : previous;
        Map<String, Object> props = new HashMap<>();
        props.put("capability", shown.capability());
        props.put("state", current == null ? "WITHDRAWN" : current.state().name());
        props.put("reason", current == null ? "" : current.reason());
        props.put("previousState", previous == null ? "" : previous.state().name());
        ea.postEvent(new Event(SitegateTopics.HEALTH_CHANGED, props));
    }
}
