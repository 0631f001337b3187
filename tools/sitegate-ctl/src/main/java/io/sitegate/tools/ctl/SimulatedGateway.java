package io.sitegate.tools.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyRefusal;
import io.sitegate.policy.PolicySections;
import io.sitegate.policy.PolicyVerificationException;
import io.sitegate.policy.internal.PolicyVerifier;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One simulated gateway of {@code simulate}: its own MQTT v5 session (clean start off, session expiry, offline
 * LWT), the real {@link PolicyVerifier} with an in-memory high-water mark per target, acks ({@code received},
 * then {@code applied} or {@code rejected} with the reason) and the online status. Applying is instant: the
 * sections of an applied policy become the status's sections.
 */
final class SimulatedGateway implements MqttCallback {
    private final String id;
    private final String group;
    private final boolean healthy;
    private final boolean echo;
    private final PolicyVerifier verifier;
    private final Map<String, Long> highWaterMarks = new ConcurrentHashMap<>();
    private final MqttAsyncClient client;
    private volatile long version;
    private volatile String target = "";
    private volatile JsonNode sections = initialSections();

    /** With {@code echo}, the benchmark's peer baseline: acks without verifying or applying anything. */
    SimulatedGateway(String id, String group, boolean healthy, boolean echo, Map<String, PublicKey> trusted, MqttAsyncClient client)
            throws InvalidKeySpecException {
        this.id = id;
        this.group = group;
        this.healthy = healthy;
        this.echo = echo;
        this.verifier = PolicyVerifier.builder().trustKeys(trusted).gateway(id, Set.of(group))
                .highWaterMark(t -> highWaterMarks.getOrDefault(t, 0L)).build();
        this.client = client;
        client.setCallback(this);
    }

    String id() {
        return id;
    }

    MqttConnectionOptions options(MqttConnectionOptions base) {
        base.setCleanStart(false);
        base.setSessionExpiryInterval(3600L);
        base.setAutomaticReconnect(true);
        ObjectNode offline = GatewayStatus.JSON.createObjectNode().put("state", "offline").put("gateway", id);
        base.setWill("sitegate/" + id + "/status", new MqttMessage(bytes(offline), 1, true, null));
        return base;
    }

    IMqttToken connect(MqttConnectionOptions options) throws MqttException {
        return client.connect(options(options));
    }

    IMqttToken subscribe() throws MqttException {
        return client.subscribe(new String[] {"sitegate/" + id + "/policy", "sitegate/group/" + group + "/policy"}, new int[] {1, 1});
    }

    void publishStatus() throws MqttException {
        ObjectNode s = GatewayStatus.JSON.createObjectNode().put("state", "online").put("gateway", id);
        s.putArray("groups").add(group);
        s.put("sitegate", "0.1.0-SNAPSHOT");
        if (version > 0) {
            s.put("policyVersion", version).put("policyTarget", target).put("policyPhase", "CONFIRMED");
        }
        ObjectNode h = s.putObject("health");
        for (String k : List.of("mqtt", "modem/wan0", "cellular", "dns")) {
            h.put(k, "UP");
        }
        h.put("tunnels", healthy ? "UP" : "DOWN");
        s.set("sections", sections);
        s.put("at", Instant.now().toString());
        client.publish("sitegate/" + id + "/status", new MqttMessage(bytes(s), 1, true, null));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws MqttException {
        byte[] payload = message.getPayload();
        if (payload.length == 0) {
            return; // a cleared retained policy
        }
        if (echo) {
            String t = SignedPolicy.targetOrDash(payload);
            long v = SignedPolicy.versionOrZero(payload);
            ack(v, t, "received", "");
            ack(v, t, "applied", "");
            return;
        }
        PolicyDocument d;
        try {
            d = verifier.verify(payload);
        } catch (PolicyVerificationException e) {
            String t = SignedPolicy.targetOrDash(payload);
            long v = SignedPolicy.versionOrZero(payload);
            ack(v, t, "received", "");
            PolicyRefusal r = e.refusal();
            ack(v, t, "rejected", r.code() == PolicyRefusal.Code.REPLAYED
                    ? "version " + v + " is not above the high-water mark " + highWaterMarks.getOrDefault(t, 0L) + " of " + t
                    : r.toString());
            return;
        }
        ack(d.version(), d.target(), "received", "");
        highWaterMarks.merge(d.target(), d.version(), Math::max);
        version = d.version();
        target = d.target();
        sections = inForce(d);
        ack(d.version(), d.target(), "applied", "");
        publishStatus();
    }

    private void ack(long v, String t, String result, String reason) throws MqttException {
        ObjectNode a = GatewayStatus.JSON.createObjectNode().put("gateway", id).put("version", v).put("target", t)
                .put("result", result);
        if (!reason.isEmpty()) {
            a.put("reason", reason);
        }
        a.put("at", Instant.now().toString());
        client.publish("sitegate/" + id + "/ack", new MqttMessage(bytes(a), 1, false, null));
    }

    /** The sections as a gateway reports them once the policy is in force: each as its ConfigSection. */
    private JsonNode inForce(PolicyDocument d) {
        ObjectNode all = sections.deepCopy();
        d.sections().forEach((name, node) -> {
            String pid = FleetCommands.PIDS.get(name);
            if (pid == null) {
                return; // features: no configuration
            }
            try {
                var c = PolicySections.toConfigSection(name, node, pid, PolicySections.FACTORIES.contains(name));
                all.set(name, GatewayStatus.JSON.valueToTree(c.configurations()));
            } catch (PolicyVerificationException e) {
                // verified already; a section the schema accepts converts
            }
        });
        return all;
    }

    static JsonNode initialSections() {
        ObjectNode s = GatewayStatus.JSON.createObjectNode();
        s.putObject("dns").putObject("io.sitegate.dns").put("upstreams", "9.9.9.9");
        return s;
    }

    private static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    void close() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // going away anyway
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        if (reconnect) {
            try {
                publishStatus();
            } catch (MqttException e) {
                // the next reconnect tries again
            }
        }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
