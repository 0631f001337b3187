package io.sitegate.modem.internal.service;

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
 * Registers the {@code modem} configuration section: every factory configuration {@code io.sitegate.modem~<name>},
 * through the capability configuration contract. Validated by {@link ModemSettings#problems} (secret files
 * included), put in force by each {@link ModemComponent}; a modem left out of an applied section is removed.
 */
@Component(immediate = true, service = {})
public final class ModemSection {
    private final ServiceRegistration<ConfigurableSection> registration;

    @Activate
    public ModemSection(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference ConfigLedger ledger,
                        @Reference SecretStore secrets) {
        this.registration = SectionSupport.builder("modem", configAdmin, ledger)
                .factory(ModemComponent.PID)
                .validator((pid, values) -> ModemSettings.problems(pid, values, secrets))
                .lists("ratOrder")
                .build()
                .register(context);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
