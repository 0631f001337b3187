package io.sitegate.modem;

/**
 * Receives unsolicited result codes. Called on the channel's dispatcher thread, one code at a time, in
 * arrival order; a slow listener delays other listeners but never the command traffic.
 */
@FunctionalInterface
public interface UrcListener {
    /** One code. Exceptions thrown here are logged and do not stop the dispatch. */
    void onUrc(Urc urc);
}
