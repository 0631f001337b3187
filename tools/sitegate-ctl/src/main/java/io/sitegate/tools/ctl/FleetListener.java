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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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

    /** The topics followed: {@code sitegate/+/status} and {@code sitegate/+/ack}. */
    static final List<String> TOPICS = List.of("sitegate/+/status", "sitegate/+/ack");

    /** Subscribes; listeners added before see the retained statuses too. */
    FleetListener start() throws MqttException {
        return start(null);
    }

    /**
     * Subscribes, through the MQTT v5 shared subscription {@code $share/<shareGroup>/...} when a share group is
     * given: the broker then delivers each message to one subscriber of the group, so that several listeners
     * split the fleet's traffic. A shared subscription gets no retained messages (MQTT v5, 4.8.2; asked for with
     * Retain Handling 2 as well): such a listener sees a gateway only once it publishes a status or an ack.
     *
     * @param shareGroup the share name (checked by {@link #shareGroup(String)}), or null for plain subscriptions
     */
    FleetListener start(String shareGroup) throws MqttException {
        List<String> topics = topics(shareGroup);
        MqttSubscription[] subscriptions = new MqttSubscription[topics.size()];
        for (int i = 0; i < subscriptions.length; i++) {
            subscriptions[i] = new MqttSubscription(topics.get(i), 1);
            if (shareGroup != null) {
                // Not every broker keeps retained messages from shared subscriptions as 4.8.2 says (mosquitto 2.0
                // sends them to every member of the group): asking for none at subscribe time (Retain Handling 2)
                // makes the split the same on any broker.
                subscriptions[i].setRetainHandling(2);
            }
        }
        client.subscribe(subscriptions).waitForCompletion(15_000);
        return this;
    }

    /** The topic filters subscribed to, shared when {@code shareGroup} is not null. */
    static List<String> topics(String shareGroup) {
        return shareGroup == null ? TOPICS : TOPICS.stream().map(t -> "$share/" + shareGroup(shareGroup) + "/" + t).toList();
    }

    /**
     * A share name as MQTT v5 (4.8.2) allows it: at least one character, none of '/', '+', '#' (nor a control
     * character, which no broker is asked to accept).
     *
     * @throws SitegateCtl.UsageException naming the character that is not allowed
     */
    static String shareGroup(String name) {
        if (name.isEmpty()) {
            throw new SitegateCtl.UsageException("--share: a share group name, not an empty string");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '+' || c == '#' || Character.isISOControl(c)) {
                throw new SitegateCtl.UsageException("--share: '/', '+', '#' and control characters are not allowed in a share group name"
                        + " (MQTT v5 4.8.2), '" + name.replaceAll("\\p{Cntrl}", "?") + "' has " + (Character.isISOControl(c) ? "a control character" : "'" + c + "'"));
            }
        }
        return name;
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
