package io.sitegate.core.internal;

import io.sitegate.core.Health;
import io.sitegate.core.HealthListener;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.Registration;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * One {@link HealthRegistry} per using bundle: when that bundle stops, what it reported is
 * withdrawn and its listeners removed.
 */
@Component(service = HealthRegistry.class, scope = ServiceScope.BUNDLE)
public final class HealthRegistryService implements HealthRegistry {
    private final HealthTable table;
    private final long owner;
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public HealthRegistryService(@Reference HealthTableComponent tables, ComponentContext context) {
        this.table = tables.table();
        this.owner = context.getUsingBundle() == null ? -1 : context.getUsingBundle().getBundleId();
    }

    @Deactivate
    void deactivate() {
        listeners.forEach(Registration::close);
        table.withdrawAll(owner);
    }

    @Override
    public void report(String capability, HealthState state, String reason) {
        table.report(owner, capability, state, reason);
    }

    @Override
    public void withdraw(String capability) {
        table.withdraw(capability);
    }

    @Override
    public SortedMap<String, Health> snapshot() {
        return table.snapshot();
    }

    @Override
    public Optional<Health> get(String capability) {
        return table.get(capability);
    }

    @Override
    public Registration addListener(HealthListener listener) {
        Registration r = table.addListener(listener);
        listeners.add(r);
        return () -> {
            r.close();
            listeners.remove(r);
        };
    }
}
