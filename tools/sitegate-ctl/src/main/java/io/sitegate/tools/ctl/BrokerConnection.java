package io.sitegate.tools.ctl;

import io.sitegate.policy.internal.mqtt.PemTls;
import io.sitegate.tools.ctl.SitegateCtl.Options;
import io.sitegate.tools.ctl.SitegateCtl.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Where and how the CLI meets the broker: {@code --broker ssl://host:port --ca --cert --key} (mutual TLS) or
 * {@code --broker tcp://host:port --plain} (lab only: plain TCP is refused unless asked for by name).
 */
record BrokerConnection(String broker, Path ca, Path cert, Path key, boolean plain) {
    private static final SecureRandom RANDOM = new SecureRandom();

    static BrokerConnection from(Options o) {
        String broker = o.required("broker");
        boolean plain = o.flag("plain");
        if (broker.startsWith("tcp://")) {
            if (!plain) {
                throw new UsageException("--broker " + broker + " is plain TCP: the policy link is mutual TLS (ssl://); "
                        + "for a lab broker say --plain");
            }
            return new BrokerConnection(broker, null, null, null, true);
        }
        if (!broker.startsWith("ssl://")) {
            throw new UsageException("--broker: ssl://host:port (or tcp://host:port with --plain), not '" + broker + "'");
        }
        if (plain) {
            throw new UsageException("--plain goes with a tcp:// broker, not " + broker);
        }
        return new BrokerConnection(broker, Path.of(o.required("ca")), Path.of(o.required("cert")), Path.of(o.required("key")), false);
    }

    /** {@code sitegate-ctl-<random>}: two operators (or two runs) never take over each other's session. */
    static String clientId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "sitegate-ctl-" + HexFormat.of().formatHex(b);
    }

    MqttConnectionOptions options() throws GeneralSecurityException, IOException {
        MqttConnectionOptions c = new MqttConnectionOptions();
        c.setCleanStart(true);
        c.setAutomaticReconnect(false);
        c.setConnectionTimeout(10);
        c.setKeepAliveInterval(30);
        if (!plain) {
            c.setSocketFactory(PemTls.socketFactory(ca, cert, key));
        }
        return c;
    }

    MqttAsyncClient client(String clientId, ScheduledExecutorService executor) throws MqttException {
        return new MqttAsyncClient(broker, clientId, new MemoryPersistence(), null, executor);
    }

    /** A connected client with a random id and a clean session. */
    MqttAsyncClient connect(org.eclipse.paho.mqttv5.client.MqttCallback callback) throws MqttException, GeneralSecurityException, IOException {
        MqttAsyncClient c = client(clientId(), null);
        c.setCallback(callback);
        c.connect(options()).waitForCompletion(15_000);
        return c;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
