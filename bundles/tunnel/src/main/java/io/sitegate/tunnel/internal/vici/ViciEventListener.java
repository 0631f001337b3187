package io.sitegate.tunnel.internal.vici;

/**
 * Receives the VICI events ({@code ike-updown}, {@code child-updown}, {@code log}, ...) a
 * {@link ViciSession} is registered for. Called on the session's reader thread, one event at a time and
 * in the order charon sent them: a listener returns quickly, hands longer work to its own executor, and
 * never calls the session it listens on (that call is refused, since only the reader thread could read
 * its answer). What a listener throws is logged and the next listener still runs.
 */
@FunctionalInterface
public interface ViciEventListener {

    /**
     * @param event the event name, e.g. "ike-updown"
     * @param message the event's message
     */
    void onEvent(String event, ViciSection message);
}
