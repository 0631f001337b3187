package io.sitegate.tools.ctl;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One operator connection that follows the fleet: every gateway's latest status and its acks
 * ({@code sitegate/+/status}, {@code sitegate/+/ack}), and publishes policies.
 */
final class FleetListener implements MqttCallback, AutoCloseable {
    private final Map<String, GatewayStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<GatewayStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<PolicyAck>> ackListeners = new CopyOnWriteArrayList<>();
    private final MqttAsyncClient client;

    FleetListener(BrokerConnection broker) throws MqttException, GeneralSecurityException, IOException {
        this.client = broker.connect(this);
    }

    /** Subscribes; listeners added before see the retained statuses too. */
    FleetListener start() throws MqttException {
        client.subscribe(new String[] {"sitegate/+/status", "sitegate/+/ack"}, new int[] {1, 1}).waitForCompletion(15_000);
        return this;
    }

    void onStatus(Consumer<GatewayStatus> l) {
        statusListeners.add(l);
    }

    void onAck(Consumer<PolicyAck> l) {
        ackListeners.add(l);
    }

    Map<String, GatewayStatus> statuses() {
        return Map.copyOf(statuses);
    }

    void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload, 1, retained, null);
        client.publish(topic, m).waitForCompletion(15_000);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        String gw = GatewayStatus.gatewayOf(topic);
        if (gw == null || message.getPayload().length == 0) {
            return;
        }
        try {
            if (topic.endsWith("/status")) {
                GatewayStatus s = GatewayStatus.parse(gw, message.getPayload());
                statuses.put(gw, s);
                statusListeners.forEach(l -> l.accept(s));
            } else {
                PolicyAck a = PolicyAck.parse(gw, message.getPayload());
                ackListeners.forEach(l -> l.accept(a));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("sitegate-ctl: ignored a malformed message on " + topic + ": " + e.getMessage());
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {
        System.err.println("sitegate-ctl: disconnected from the broker: " + r.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
        System.err.println("sitegate-ctl: MQTT error: " + e.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(5_000);
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close();
        } catch (MqttException e) {
            // going away anyway
        }
    }
}
