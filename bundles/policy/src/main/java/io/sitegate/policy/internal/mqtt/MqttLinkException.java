package io.sitegate.policy.internal.mqtt;

/** A publish or subscribe that did not succeed; the message is for a technician and holds no secret. */
public final class MqttLinkException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean refusedByBroker;
    private final boolean busy;

    public MqttLinkException(String message, boolean refusedByBroker) {
        this(message, refusedByBroker, false);
    }

    public MqttLinkException(String message, boolean refusedByBroker, boolean busy) {
        super(message);
        this.refusedByBroker = refusedByBroker;
        this.busy = busy;
    }

    /**
     * True when the client did not send the message because as many QoS 1 publishes as the broker allows are awaiting
     * their PUBACK (its Receive Maximum, MQTT v5 3.2.2.3.3; Paho's reason code 32202): try again once one completes.
     */
    public boolean busy() {
        return busy;
    }

    /** True when the broker answered with an error reason code (not a lost connection): retrying will not help. */
    public boolean refusedByBroker() {
        return refusedByBroker;
    }
}
