package io.sitegate.dns.internal;

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
 * Registers the {@code dns} configuration section (PID {@code io.sitegate.dns}) through the capability
 * configuration contract: validated by {@link DnsConfig#problems}, put in force by {@link DnsForwarderComponent}.
 */
@Component(immediate = true, service = {})
public final class DnsSection {
    private final ServiceRegistration<ConfigurableSection> registration;

    @Activate
    public DnsSection(BundleContext context, @Reference ConfigurationAdmin configAdmin, @Reference ConfigLedger ledger) {
        this.registration = SectionSupport.builder("dns", configAdmin, ledger)
                .singleton(DnsConfig.PID)
                .validator(DnsConfig::problems)
                .lists("listen", "wan.interfaces", "upstreams", "private.upstreams", "firewall.allow", "firewall.deny")
                .build()
                .register(context);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
