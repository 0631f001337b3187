package io.sitegate.policy.internal.mqtt;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sitegate's own small view of its MQTT connection to the cloud broker. Nothing outside this package
 * sees the MQTT client library. The link owns its reconnect loop: once {@link #start started} it
 * connects, and whenever the connection fails or drops it tries again with back-off until
 * {@link #close}. Subscriptions are remembered and made again on every new connection.
 */
public interface MqttLink extends AutoCloseable {

    /** Connection state. */
    enum State { DISCONNECTED, CONNECTING, CONNECTED }

    /**
     * A snapshot of the link: its state, since when, the connection attempts made since the last
     * successful connection, and the last error in words (never a secret: no key, no password).
     */
    record Status(State state, Instant since, int failedAttempts, String lastError) {
    }

    /** Told about connections and disconnections, on the link's own thread: return quickly. */
    interface ConnectionListener {
        /** Connected; {@code sessionPresent} is the broker's word on whether our session survived. */
        void connected(boolean sessionPresent);

        /** The connection was lost or could not be made; {@code reason} is for a technician. */
        void disconnected(String reason);
    }

    /** Receives messages of a subscription, on the client's thread: return quickly. */
    interface MessageListener {
        void message(String topic, byte[] payload, boolean retained);
    }

    /** Starts connecting (in the background); idempotent. */
    void start();

    /**
     * The route to the broker changed (another tunnel carries the traffic, with another source address): the
     * connection over the old route is dead even if its socket does not know yet (it would take 1.5 keep-alives to
     * notice). Drops it and connects again at once; without a connection, cuts the back-off wait short.
     */
    void reconnect(String reason);

    /**
     * Publishes a message. The stage completes when the broker has acknowledged it (QoS 1, PUBACK)
     * or when it has been written (QoS 0). It fails with {@link MqttLinkException} when the link is
     * not connected, the connection drops first, or the broker refuses the message (a PUBACK reason
     * code of 0x80 or more; {@link MqttLinkException#refusedByBroker()} is then true).
     */
    CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retained);

    /**
     * Subscribes to topic filters at QoS 1, now if connected and again after every reconnection.
     */
    void subscribe(List<String> topicFilters, MessageListener listener);

    /** The current status. */
    Status status();

    /** Registers a connection listener; it is told at once if the link is already connected. */
    void addConnectionListener(ConnectionListener listener);

    /** Removes a connection listener. */
    void removeConnectionListener(ConnectionListener listener);

    /**
     * Stops the reconnect loop and disconnects, asking the broker to publish the will (the
     * {@code offline} status) as for a lost connection. Idempotent; never throws.
     */
    @Override
    void close();
}
