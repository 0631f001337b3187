package io.sitegate.core;

/**
 * EventAdmin topic names of every Sitegate capability, in one place so the policy agent can forward
 * them to MQTT without knowing each capability. Event properties are documented beside each topic.
 */
public final class SitegateTopics {
    private SitegateTopics() {
    }

    /** Prefix of every Sitegate topic; subscribe to {@code io/sitegate/*} for all of them. */
    public static final String PREFIX = "io/sitegate/";

    /** A capability's health changed. Properties: capability, state, reason, previousState. */
    public static final String HEALTH_CHANGED = PREFIX + "health/CHANGED";
    /** A state document was found torn or corrupt. Properties: key, problem, recovered. */
    public static final String STATE_CORRUPT = PREFIX + "state/CORRUPT";

    /**
     * A value that an applied configuration section set was changed locally. Properties: section, pid,
     * property, applied, local, source.
     */
    public static final String CONFIG_DRIFT = PREFIX + "config/DRIFT";
    /** A configuration was refused by its component; the previous one stays in force. Properties: pid, reason. */
    public static final String CONFIG_REFUSED = PREFIX + "config/REFUSED";

    /** The modem registered to a network. Properties: modem, operator, mcc, mnc, act. */
    public static final String MODEM_REGISTERED = PREFIX + "modem/REGISTERED";
    /** The modem lost its registration. Properties: modem, reason. */
    public static final String MODEM_LOST = PREFIX + "modem/LOST";
    /** Another SIM card (ICCID) was seen in a modem. Properties: modem, oldIccid, newIccid. */
    public static final String MODEM_SIM_CHANGED = PREFIX + "modem/SIM_CHANGED";
    /** An SMS was received. Properties: modem, sender, index. */
    public static final String MODEM_SMS_RECEIVED = PREFIX + "modem/SMS_RECEIVED";
    /** The data session came up. Properties: modem, apn, address. */
    public static final String MODEM_SESSION_UP = PREFIX + "modem/SESSION_UP";
    /** The data session went down. Properties: modem, reason. */
    public static final String MODEM_SESSION_DOWN = PREFIX + "modem/SESSION_DOWN";

    /** The SIM/device binding was violated. Properties: modem, expected and seen imei/iccid. */
    public static final String BINDING_VIOLATED = PREFIX + "cellular/BINDING_VIOLATED";
    /** The SIM/device binding was learned or reset. Properties: imei, iccid, action. */
    public static final String BINDING_CHANGED = PREFIX + "cellular/BINDING_CHANGED";
    /** Registered on a network the policy does not allow. Properties: modem, mcc, mnc. */
    public static final String NETWORK_NOT_ALLOWED = PREFIX + "cellular/NETWORK_NOT_ALLOWED";
    /** A quota threshold was crossed. Properties: quota, percent, used, limit, action. */
    public static final String QUOTA_THRESHOLD = PREFIX + "cellular/QUOTA_THRESHOLD";
    /** An administrator granted or withdrew a quota override. Properties: modem, action (granted, cleared), extraBytes (-1: whole cycle), by, expires. */
    public static final String QUOTA_OVERRIDE = PREFIX + "cellular/QUOTA_OVERRIDE";
    /** A new billing cycle started: counters, warnings and overrides start afresh. Properties: modem, start, end, previousDataUsed. */
    public static final String QUOTA_CYCLE = PREFIX + "cellular/QUOTA_CYCLE";

    /** A tunnel came up. Properties: tunnel, peer. */
    public static final String TUNNEL_UP = PREFIX + "tunnel/UP";
    /** A tunnel went down. Properties: tunnel, reason. */
    public static final String TUNNEL_DOWN = PREFIX + "tunnel/DOWN";
    /** Traffic moved to another tunnel. Properties: from, to, reason. */
    public static final String TUNNEL_FAILOVER = PREFIX + "tunnel/FAILOVER";

    /** A policy was applied. Properties: version, source. */
    public static final String POLICY_APPLIED = PREFIX + "policy/APPLIED";
    /** A policy was rejected before anything was applied. Properties: version, reason. */
    public static final String POLICY_REJECTED = PREFIX + "policy/REJECTED";
    /** An applied policy was rolled back. Properties: version, restoredVersion, reason. */
    public static final String POLICY_ROLLED_BACK = PREFIX + "policy/ROLLED_BACK";

    /** An operator logged in over SSH. Properties: user, remote. */
    public static final String OPERATOR_LOGIN = PREFIX + "operator/LOGIN";
}
