package io.sitegate.modem.internal.service;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of a modem's factory configuration {@code io.sitegate.modem~<id>} (read strictly by {@link ModemSettings}). */
@ObjectClassDefinition(name = "Sitegate cellular modem", description = "One cellular modem attached over a serial line or TCP")
@interface ModemConfig {
    @AttributeDefinition(description = "Modem id shown everywhere; empty: the configuration's name (wan0 in io.sitegate.modem~wan0)", required = false)
    String id() default "";

    @AttributeDefinition(description = "Serial device (/dev/ttyUSB2, serial:/dev/ttyS1?baud=115200&flow=rtscts) or tcp://host:port")
    String port();

    @AttributeDefinition(description = "Vendor profile: auto, or generic, quectel-ec25, quectel-bg96, simcom-sim7600, simcom-sim7000, ublox-sara-r4, ublox-sara-r5")
    String profile() default "auto";

    @AttributeDefinition(description = "Access point name")
    String apn() default "";

    @AttributeDefinition(description = "PDP type: IP, IPV6 or IPV4V6")
    String pdpType() default "IP";

    @AttributeDefinition(description = "APN authentication: none, pap or chap")
    String auth() default "none";

    @AttributeDefinition(description = "APN user name", required = false)
    String apnUser() default "";

    @AttributeDefinition(description = "Name of the secret file ${karaf.etc}/secrets/<name> (owner-only, mode 0600) holding the"
            + " APN password; a plain 'apnPassword' is refused", required = false)
    String apnPasswordSecret() default "";

    @AttributeDefinition(description = "Name of the secret file ${karaf.etc}/secrets/<name> (owner-only, mode 0600) holding the"
            + " SIM PIN, 4-8 digits (tried once per configuration); a plain 'pin' is refused", required = false)
    String pinSecret() default "";

    @AttributeDefinition(description = "RAT order, e.g. lte,umts,gsm or lte-m,nb-iot; empty leaves the modem's setting", required = false)
    String ratOrder() default "";

    @AttributeDefinition(description = "PDP context id (1-16)")
    int cid() default 1;

    @AttributeDefinition(description = "Bring the data session up automatically")
    boolean autoConnect() default true;

    @AttributeDefinition(description = "Status refresh interval in seconds")
    int pollSeconds() default 15;

    @AttributeDefinition(description = "Failed activations before the radio is power-cycled (once)")
    int resetAfterFailures() default 3;

    @AttributeDefinition(description = "First retry delay in seconds (doubles, with jitter)")
    int backoffInitialSeconds() default 2;

    @AttributeDefinition(description = "Longest retry delay in seconds")
    int backoffMaxSeconds() default 300;
}
