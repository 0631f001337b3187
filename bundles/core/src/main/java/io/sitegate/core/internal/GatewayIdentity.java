package io.sitegate.core.internal;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;

import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this gateway is: its id (used in MQTT topics {@code sitegate/<id>/...}) and its site name.
 * Configured by PID {@code io.sitegate.gateway}; an invalid value is refused, the capability shown
 * DOWN with the reason, and the component not activated.
 */
@Component(service = GatewayIdentity.class, configurationPid = GatewayIdentity.PID)
@Designate(ocd = GatewayIdentity.Config.class)
public final class GatewayIdentity {
    static final String PID = "io.sitegate.gateway";
    static final String CAPABILITY = "gateway";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayIdentity.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SITE = Pattern.compile("[\\p{L}\\p{N} ._,:/()-]{0,64}");

    @ObjectClassDefinition(name = "Sitegate gateway", description = "The identity of this gateway")
    @interface Config {
        @AttributeDefinition(description = "Gateway id: 1-63 of a-z, 0-9 and '-', used in MQTT topics")
        String id() default "sitegate";

        @AttributeDefinition(description = "Site name shown to technicians (at most 64 characters)")
        String site() default "";
    }

    private final String id;
    private final String site;

    @Activate
    public GatewayIdentity(Map<String, Object> properties, @Reference HealthRegistry health) {
        try {
            ConfigurationValues values = ConfigurationValues.collecting(PID, properties).defaults(Config.class);
            this.id = values.matching("id", ID, "1-63 characters of a-z, 0-9 and '-', not starting with '-'");
            this.site = java.util.Objects.requireNonNullElse(values.matching("site", SITE,
                    "at most 64 letters, digits, spaces and . _ , : / ( ) -"), "");
            var problems = values.finish();
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
        } catch (InvalidConfigurationException e) {
            LOG.error("{}: {}", PID, e.getMessage());
            health.report(CAPABILITY, HealthState.DOWN, PID + ": " + e.getMessage());
            throw e;
        }
        health.report(CAPABILITY, HealthState.UP, "id " + id + (site.isEmpty() ? "" : ", site " + site));
    }

    /** The gateway id. */
    public String id() {
        return id;
    }

    /** The site name; may be empty. */
    public String site() {
        return site;
    }
}
