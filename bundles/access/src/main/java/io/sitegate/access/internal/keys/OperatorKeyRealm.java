package io.sitegate.access.internal.keys;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The JAAS realm {@code karaf}, which the SSH server logs operators in with ({@code sshRealm} in
 * etc/org.apache.karaf.shell.cfg), holding only {@link SitegatePublickeyLoginModule}: public keys of every type
 * OpenSSH makes, no password module at all. Karaf takes the realm of the highest rank among those of one name;
 * its own {@code karaf} realm has rank 0, this one 1, and Karaf's comes back by itself if this bundle stops.
 */
@Component(service = JaasRealm.class, immediate = true)
public final class OperatorKeyRealm implements JaasRealm {
    static final String NAME = "karaf";

    private final AppConfigurationEntry[] entries;

    @Activate
    public OperatorKeyRealm(BundleContext context) {
        Map<String, Object> options = new HashMap<>();
        options.put(BundleContext.class.getName(), context);
        options.put(ProxyLoginModule.PROPERTY_MODULE, SitegatePublickeyLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put("users", System.getProperty("karaf.etc") + File.separatorChar + "keys.properties");
        entries = new AppConfigurationEntry[] {
            new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)
        };
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return 1;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries.clone();
    }
}
