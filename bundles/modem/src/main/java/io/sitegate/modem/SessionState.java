package io.sitegate.modem;

/** The data session as the connection keeper sees it. */
public enum SessionState {
    /** Not up; the keeper brings it up once registered and allowed. */
    DOWN,
    /** Activation in progress. */
    CONNECTING,
    /** Up, with an address. */
    UP,
    /** Refused by a gate (binding, network, quota): the reason names the gate. */
    BLOCKED,
    /** Given up until the configuration changes or an admin connects: for example the APN was rejected. */
    FAILED,
    /** Taken down by an administrator. */
    DISABLED
}
