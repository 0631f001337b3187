package io.sitegate.policy.internal.mqtt;

/** A publish or subscribe that did not succeed; the message is for a technician and holds no secret. */
public final class MqttLinkException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean refusedByBroker;

    public MqttLinkException(String message, boolean refusedByBroker) {
        super(message);
        this.refusedByBroker = refusedByBroker;
    }

    /** True when the broker answered with an error reason code (not a lost connection): retrying will not help. */
    public boolean refusedByBroker() {
        return refusedByBroker;
    }
}
