package io.sitegate.filter.internal;

import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.core.config.SectionSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the {@code filter} configuration section (PID {@code io.sitegate.filter}) through the capability
 * configuration contract: validated by {@link FilterConfig#problems} and the {@link LockOut} check against the
 * endpoints the gateway must reach, put in force by {@link FilterComponent}.
 */
@Component(immediate = true, service = {})
public final class FilterSection {
    private final ServiceRegistration<ConfigurableSection> registration;

    @Activate
    public FilterSection(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference ConfigLedger ledger) {
        this.registration = SectionSupport.builder("filter", configAdmin, ledger)
                .singleton(FilterConfig.PID)
                .validator((pid, values) -> problems(configAdmin, pid, values))
                .lists("allow", "deny", "access", "lan.interfaces", "wan.interfaces")
                .build()
                .register(context);
    }

    static List<ConfigProblem> problems(ConfigurationAdmin configAdmin, String pid, Map<String, String> values) {
        List<ConfigProblem> problems = new ArrayList<>(FilterConfig.problems(pid, values));
        if (!problems.isEmpty()) {
            return problems;
        }
        try {
            List<String> unresolved = new ArrayList<>();
            problems.addAll(LockOut.problems(pid, FilterConfig.from(values).rules(), ProtectedEndpoint.read(configAdmin, unresolved)));
        } catch (IOException | InvalidConfigurationException e) {
            problems.add(new ConfigProblem(pid, "", "", "cannot check the endpoints the gateway must reach: " + e.getMessage()));
        }
        return problems;
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
