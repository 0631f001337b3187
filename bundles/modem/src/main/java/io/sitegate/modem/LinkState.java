package io.sitegate.modem;

/** The AT link to the modem. */
public enum LinkState {
    /** The port is not open (missing device, unplugged); the keeper retries with back-off. */
    CLOSED,
    /** Open, running the profile's initialisation. */
    INITIALISING,
    /** Initialised and answering. */
    READY
}
