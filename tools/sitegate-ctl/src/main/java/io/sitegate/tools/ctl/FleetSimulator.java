package io.sitegate.tools.ctl;

import io.sitegate.policy.PolicyKeys;
import io.sitegate.tools.ctl.SitegateCtl.Options;
import io.sitegate.tools.ctl.SitegateCtl.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * {@code simulate}: N simulated gateways in one JVM (see {@link SimulatedGateway}). Paho runs each client's
 * receiver, sender and callback loops as long-lived tasks on the executor it is given, so the shared executor
 * saves only the per-client ping timer thread: it must have 3 threads per client plus a few for pings.
 */
final class FleetSimulator implements AutoCloseable {
    private final List<SimulatedGateway> gateways = new ArrayList<>();
    private final ScheduledExecutorService executor;

    private FleetSimulator(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Connects and subscribes every gateway and publishes its online status. */
    static FleetSimulator start(BrokerConnection broker, int count, String group, String prefix, Set<String> unhealthy,
                                Map<String, PublicKey> trusted) throws MqttException, GeneralSecurityException, IOException {
        return start(broker, count, group, prefix, unhealthy, false, trusted);
    }

    /** As above; {@code echo}: gateways that ack without verifying (the benchmark's baseline). */
    static FleetSimulator start(BrokerConnection broker, int count, String group, String prefix, Set<String> unhealthy,
                                boolean echo, Map<String, PublicKey> trusted) throws MqttException, GeneralSecurityException, IOException {
        FleetSimulator sim = new FleetSimulator(Executors.newScheduledThreadPool(3 * count + 8, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        try {
            for (int i = 1; i <= count; i++) {
                String id = prefix + i;
                MqttAsyncClient c = broker.client(id, sim.executor);
                sim.gateways.add(new SimulatedGateway(id, group, !unhealthy.contains(id), echo, trusted, c));
            }
            // in waves, so the broker's accept queue and the TLS handshakes do not all pile up at once
            for (int from = 0; from < count; from += 100) {
                List<IMqttToken> wave = new ArrayList<>();
                for (SimulatedGateway g : sim.gateways.subList(from, Math.min(count, from + 100))) {
                    wave.add(g.connect(broker.options()));
                }
                for (IMqttToken t : wave) {
                    t.waitForCompletion(30_000);
                }
            }
            List<IMqttToken> subs = new ArrayList<>();
            for (SimulatedGateway g : sim.gateways) {
                subs.add(g.subscribe());
            }
            for (IMqttToken t : subs) {
                t.waitForCompletion(30_000);
            }
            for (SimulatedGateway g : sim.gateways) {
                g.publishStatus();
            }
            return sim;
        } catch (MqttException | GeneralSecurityException | IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    int size() {
        return gateways.size();
    }

    /** The command: runs until the process is killed. */
    static int run(Options o, PrintStream out) throws IOException, GeneralSecurityException, MqttException, InterruptedException {
        int n = (int) o.seconds("gateways", -1, 1);
        if (n < 1) {
            throw new UsageException("--gateways <N> is required (at least 1)");
        }
        String group = o.required("group");
        String prefix = o.optional("prefix") == null ? "sim-" : o.optional("prefix");
        Set<String> unhealthy = o.optional("unhealthy") == null ? Set.of() : Set.of(o.optional("unhealthy").split(","));
        Map<String, PublicKey> trusted = PolicyKeys.readTrustedKeys(Path.of(o.required("trust")));
        if (trusted.isEmpty()) {
            throw new IOException("no <kid>.pem or <kid>.jwk in " + o.required("trust"));
        }
        BrokerConnection broker = BrokerConnection.from(o);
        FleetSimulator sim = start(broker, n, group, prefix, unhealthy, o.flag("echo"), trusted);
        out.println("ready " + sim.size());
        out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed: the broker publishes each gateway's LWT
        return 0;
    }

    @Override
    public void close() {
        gateways.forEach(SimulatedGateway::close);
        executor.shutdownNow();
    }
}
