package io.sitegate.tunnel.internal;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.SecretStore;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.tunnel.internal.supervisor.TunnelManager;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured tunnel ({@code io.sitegate.tunnel~<name>}), handed to the {@link TunnelManager}. An invalid first
 * configuration is refused with every property named and the tunnel shown DOWN; an invalid change is refused and the
 * tunnel keeps running on the configuration in force. Every outcome goes to the {@link ConfigLedger}.
 */
@Component(service = {}, configurationPid = TunnelSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = TunnelConfig.class, factory = true)
public final class TunnelComponent {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelComponent.class);

    private final TunnelManager manager;
    private final SecretStore secrets;
    private final ConfigLedger ledger;
    private final String pid;
    private final String name;

    @Activate
    public TunnelComponent(Map<String, Object> properties, @Reference TunnelManager manager, @Reference SecretStore secrets,
                           @Reference ConfigLedger ledger, @Reference HealthRegistry health) {
        this.manager = manager;
        this.secrets = secrets;
        this.ledger = ledger;
        this.pid = String.valueOf(properties.getOrDefault("service.pid", TunnelSettings.FACTORY_PID));
        this.name = TunnelSettings.nameOf(pid);
        TunnelSettings s;
        try {
            s = TunnelSettings.from(pid, properties, secrets);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}: {}", pid, SafeText.escape(e.getMessage()));
            health.report("tunnel/" + name, HealthState.DOWN, pid + ": " + e.getMessage());
            ledger.refused(pid, properties, problems(e));
            throw e;
        }
        manager.put(s);
        ledger.inForce(pid, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        TunnelSettings s;
        try {
            s = TunnelSettings.from(pid, properties, secrets);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}: {}; the configuration in force stays", pid, SafeText.escape(e.getMessage()));
            ledger.refused(pid, properties, problems(e));
            return;
        }
        manager.put(s);
        ledger.inForce(pid, properties);
    }

    private List<ConfigProblem> problems(InvalidConfigurationException e) {
        return e.problems().stream().map(p -> new ConfigProblem(pid, p.property(), p.value(), p.reason())).toList();
    }

    @Deactivate
    void deactivate() {
        manager.remove(name);
        ledger.withdrawn(pid);
    }
}
