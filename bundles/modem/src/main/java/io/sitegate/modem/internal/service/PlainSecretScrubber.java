package io.sitegate.modem.internal.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps plain secrets out of ConfigAdmin. A modem configuration with a {@code pin}, {@code puk}
 * or {@code apnPassword} is refused by the modem ({@link ModemSettings}); this component also
 * removes the property from the configuration, so {@code config:list} and {@code config:edit}
 * never show it and Karaf writes the {@code .cfg} file back without it. The modem then runs
 * without the secret and says which secret property to set.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class PlainSecretScrubber implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(PlainSecretScrubber.class);
    /** The plain properties that are removed, in the order they are reported. */
    static final List<String> PLAIN = List.of("pin", "puk", "apnPassword");

    private final ConfigurationAdmin configAdmin;

    @Activate
    public PlainSecretScrubber(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        try {
            Configuration[] existing = configAdmin.listConfigurations("(service.factoryPid=" + ModemComponent.PID + ")");
            if (existing != null) {
                for (Configuration c : existing) {
                    scrub(c);
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot check the modem configurations for plain secrets: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED || !ModemComponent.PID.equals(event.getFactoryPid())) {
            return;
        }
        try {
            scrub(configAdmin.getConfiguration(event.getPid(), "?"));
        } catch (IOException e) {
            LOG.warn("cannot check {} for plain secrets: {}", event.getPid(), e.toString());
        }
    }

    private void scrub(Configuration c) throws IOException {
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            return;
        }
        List<String> removed = removePlainSecrets(props);
        if (!removed.isEmpty()) {
            c.update(props);
            for (String property : removed) {
                LOG.error("{}: removed '{}' from the configuration: secrets are not kept in ConfigAdmin. Put the value in a"
                        + " file etc/secrets/<name> owned by the gateway's user with mode 0600 and set '{}Secret = <name>'",
                        c.getPid(), property, property);
            }
        }
    }

    /** Removes the non-empty plain secret properties from {@code props}; returns their names, never values. */
    static List<String> removePlainSecrets(Dictionary<String, Object> props) {
        List<String> removed = new ArrayList<>();
        for (String key : PLAIN) {
            Object value = props.get(key);
            if (value != null) {
                props.remove(key);
                if (!value.toString().isEmpty()) {
                    removed.add(key);
                }
            }
        }
        return removed;
    }
}
