package io.sitegate.modem;

/** Life cycle of an {@link AtChannel}. */
public enum ChannelState {
    /** Reading and accepting commands. */
    OPEN,
    /** The transport failed (EOF, unplug); the channel is dead, a supervisor should reopen. */
    FAILED,
    /** Closed on request. */
    CLOSED
}
