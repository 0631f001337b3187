package io.sitegate.dns;

/** What the firewall does with a name that no rule matches. */
public enum FirewallMode {
    /** Allowed, unless a deny rule matches. */
    DENY_LIST,
    /** Blocked, unless an allow rule matches: devices may reach only the listed names. */
    ALLOW_ONLY
}
