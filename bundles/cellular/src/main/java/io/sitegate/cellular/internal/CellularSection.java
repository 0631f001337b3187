package io.sitegate.cellular.internal;

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
 * Registers the {@code cellular} configuration section (PID {@code io.sitegate.cellular}) through the
 * capability configuration contract: validated by {@link CellularPolicyParser#problems}, put in force by
 * {@link CellularPolicyComponent}.
 */
@Component(immediate = true, service = {})
public final class CellularSection {
    private final ServiceRegistration<ConfigurableSection> registration;

    @Activate
    public CellularSection(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference ConfigLedger ledger) {
        this.registration = SectionSupport.builder("cellular", configAdmin, ledger)
                .singleton(CellularPolicyComponent.PID)
                .validator(CellularPolicyParser::problems)
                .lists("binding.pairs", "rat.allowed", "networks.allowed", "quota.thresholds")
                .build()
                .register(context);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
