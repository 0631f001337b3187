package io.sitegate.core.internal;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's {@link StateStore}, configured by PID {@code io.sitegate.core.state}. */
@Component(service = StateStore.class, configurationPid = StateStoreComponent.PID, immediate = true)
@Designate(ocd = StateStoreComponent.Config.class)
public final class StateStoreComponent implements StateStore {
    static final String PID = "io.sitegate.core.state";
    static final String CAPABILITY = "state-store";
    private static final Logger LOG = LoggerFactory.getLogger(StateStoreComponent.class);

    @ObjectClassDefinition(name = "Sitegate state store",
            description = "Where state that must survive power loss is kept (binding, quotas, last-known-good policy)")
    @interface Config {
        @AttributeDefinition(description = "Absolute directory; empty means ${karaf.data}/sitegate/state")
        String directory() default "";
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final FileStateStore store;
    private final HealthRegistry health;

    @Activate
    public StateStoreComponent(Map<String, Object> properties, @Reference HealthRegistry health) {
        this.health = health;
        Path dir;
        try {
            ConfigurationValues values = ConfigurationValues.collecting(PID, properties).defaults(Config.class);
            dir = values.parsed("directory", Paths.get(System.getProperty("karaf.data", "data"), "sitegate", "state"),
                    StateStoreComponent::absolute);
            var problems = values.finish();
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        } catch (InvalidConfigurationException e) {
            LOG.error("{}: {}", PID, e.getMessage());
            health.report(CAPABILITY, HealthState.DOWN, PID + ": " + e.getMessage());
            throw e;
        }
        this.store = new FileStateStore(dir, this::problem, Clock.systemUTC());
        try {
            store.open();
            health.report(CAPABILITY, HealthState.UP, store.directory().toString());
        } catch (StateStoreException e) {
            // Stay registered: every write then fails with this same clear reason.
            LOG.error("{}", e.getMessage());
            health.report(CAPABILITY, HealthState.DOWN, e.getMessage());
        }
    }

    private static Path absolute(String value) {
        Path p = Paths.get(value);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("expected an absolute path");
        }
        return p;
    }

    private void problem(String key, String problem, boolean recovered) {
        String reason = "state '" + key + "' " + problem + (recovered ? ", previous generation used" : ", no usable generation");
        LOG.error("{}", reason);
        health.report(CAPABILITY, HealthState.DEGRADED, reason);
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(SitegateTopics.STATE_CORRUPT, Map.of("key", key, "problem", problem, "recovered", recovered)));
        }
    }

    @Override
    public void write(String key, byte[] content) throws StateStoreException {
        store.write(key, content);
    }

    @Override
    public Optional<StoredState> read(String key) throws StateStoreException {
        return store.read(key);
    }

    @Override
    public boolean delete(String key) throws StateStoreException {
        return store.delete(key);
    }

    @Override
    public SortedSet<String> keys() throws StateStoreException {
        return store.keys();
    }
}
