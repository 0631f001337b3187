package io.sitegate.cellular.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the cellular policy, PID {@code io.sitegate.cellular} (read strictly by
 * {@link CellularPolicyParser}; the defaults here are the permissive ones shipped in
 * {@code etc/io.sitegate.cellular.cfg}).
 */
@ObjectClassDefinition(name = "Sitegate cellular policy",
        description = "SIM/device binding, radio and network policy, custom DNS, data and SMS quotas")
@interface CellularPolicyConfig {
    @AttributeDefinition(description = "SIM/device binding: off, auto (learn the first IMEI/ICCID pair that opens a data session) or manual")
    String binding_mode() default "off";

    @AttributeDefinition(description = "Bound pairs IMEI:ICCID, comma separated (manual mode)", required = false)
    String binding_pairs() default "";

    @AttributeDefinition(description = "Phone number that gets an SMS when the binding is violated", required = false)
    String binding_alertNumber() default "";

    @AttributeDefinition(description = "Allowed RATs in order of preference: gsm, umts, lte, lte-m, nb-iot; empty leaves the modem's setting", required = false)
    String rat_allowed() default "";

    @AttributeDefinition(description = "Networks (MCC+MNC) a data session may run on, comma separated; empty allows any", required = false)
    String networks_allowed() default "";

    @AttributeDefinition(description = "Network (MCC+MNC) to select manually; empty for automatic selection", required = false)
    String networks_pin() default "";

    @AttributeDefinition(description = "Primary DNS server pushed to the modem (IP literal); empty keeps the network's", required = false)
    String dns_primary() default "";

    @AttributeDefinition(description = "Secondary DNS server (IP literal)", required = false)
    String dns_secondary() default "";

    @AttributeDefinition(description = "Monthly data limit, bytes up+down with optional unit (5GB, 500MiB); 0 = unlimited")
    String quota_data_bytes() default "0";

    @AttributeDefinition(description = "Monthly limit of SMS sent; 0 = unlimited")
    long quota_sms_mo() default 0;

    @AttributeDefinition(description = "Monthly limit of SMS received (warns only); 0 = unlimited")
    long quota_sms_mt() default 0;

    @AttributeDefinition(description = "Day of the month (1-28) the billing cycle starts")
    int quota_cycleStartDay() default 1;

    @AttributeDefinition(description = "Time zone of the billing cycle (UTC, Europe/Berlin)")
    String quota_timezone() default "UTC";

    @AttributeDefinition(description = "At a limit: block (refuse data until next cycle or override), throttle (hint event) or notify")
    String quota_action() default "notify";

    @AttributeDefinition(description = "Warning thresholds in percent, ascending; none for no warnings")
    String quota_thresholds() default "80,100";

    @AttributeDefinition(description = "Seconds between quota checks while a data session runs (5-86400)")
    int quota_checkSeconds() default 60;
}
