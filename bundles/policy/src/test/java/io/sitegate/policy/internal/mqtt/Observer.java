package io.sitegate.policy.internal.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The cloud side in a test: a plain Paho client with the {@code operator} certificate. */
final class Observer implements AutoCloseable {
    record Received(String topic, String payload, boolean retained) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttAsyncClient client;

    Observer(Mosquitto broker, TestPki pki, String clientId) throws Exception {
        client = new MqttAsyncClient(broker.tlsUri(), clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(PemTls.socketFactory(pki.cert("ca"), pki.cert("operator"), pki.key("operator")));
        client.connect(o).waitForCompletion(10_000);
    }

    Observer subscribe(String filter) throws Exception {
        IMqttMessageListener l = (topic, m) -> received.add(
                new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null,
                new IMqttMessageListener[] {l}, new MqttProperties()).waitForCompletion(10_000);
        return this;
    }

    void publish(String topic, String payload, boolean retained) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(retained);
        client.publish(topic, m).waitForCompletion(10_000);
    }

    List<String> payloads(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).map(Received::payload).toList();
    }

    @Override
    public void close() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (Exception e) {
            // fine
        }
        try {
            client.close(true);
        } catch (Exception e) {
            // fine
        }
    }
}
