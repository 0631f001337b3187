package io.sitegate.tunnel.internal;

import io.sitegate.core.SecretStore;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.core.config.SectionSupport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the {@code tunnels} configuration section (every {@code io.sitegate.tunnel~<name>}) through the capability
 * configuration contract: validated by {@link TunnelSettings#problems}, put in force by {@link TunnelComponent}.
 */
@Component(immediate = true, service = {})
public final class TunnelSection {
    private final ServiceRegistration<ConfigurableSection> registration;

    @Activate
    public TunnelSection(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference ConfigLedger ledger,
                         @Reference SecretStore secrets) {
        this.registration = SectionSupport.builder("tunnels", configAdmin, ledger)
                .factory(TunnelSettings.FACTORY_PID)
                .validator((pid, values) -> TunnelSettings.problems(pid, values, secrets))
                .lists("endpoints", "prefixes", "ipsec.proposals", "ipsec.espProposals", "ipsec.localTs")
                .build()
                .register(context);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
