import io.sitegate.policy.PolicySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The measuring half of tools/bench/policy-latency.sh (Java 17 source launcher).
 *
 * <pre>java -cp JARS PolicyLatency.java BROKER_URI GATEWAY KEY_PEM KID POLICIES FIRST_VERSION</pre>
 *
 * 1. Policy: POLICIES signed policies, one after another, each a real change of the cellular section
 *    (quota.data.bytes, quota.sms.mo follow the version), published QoS 1 retained on sitegate/GATEWAY/policy;
 *    measured from just before the publish to the arrival of the "applied" ack for that version on
 *    sitegate/GATEWAY/ack. Signing happens before the clock starts (the cloud signs ahead).
 * 2. Peer baseline: the broker alone, same count: one client publishes QoS 1, another subscribed QoS 1
 *    receives; publish -> arrival.
 * Prints per-run percentiles and the ratio; exit 1 when an ack is not "applied" or does not come in 10 s.
 */
public class PolicyLatency {
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final Pattern RESULT = Pattern.compile("\"result\":\"([a-z_]+)\"");

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String gw = args[1];
        PolicySigner signer = PolicySigner.fromPem(Files.readString(Path.of(args[2])), args[3]);
        int n = Integer.parseInt(args[4]);
        long first = Long.parseLong(args[5]);

        Map<Long, BlockingQueue<String>> acks = new ConcurrentHashMap<>();
        MqttClient cloud = client(uri, "bench-cloud");
        cloud.subscribe(new MqttSubscription[] {new MqttSubscription("sitegate/" + gw + "/ack", 1)}, new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
            (topic, m) -> {
                String json = new String(m.getPayload(), StandardCharsets.UTF_8);
                Matcher v = VERSION.matcher(json);
                Matcher r = RESULT.matcher(json);
                if (v.find() && r.find() && !r.group(1).equals("received")) {
                    acks.computeIfAbsent(Long.parseLong(v.group(1)), k -> new ArrayBlockingQueue<>(8)).offer(r.group(1) + " " + json);
                }
            }});
        long[] policy = new long[n];
        for (int i = 0; i < n; i++) {
            long version = first + i;
            byte[] jws = signer.sign(policy(version, gw)).getBytes(StandardCharsets.US_ASCII);
            acks.computeIfAbsent(version, k -> new ArrayBlockingQueue<>(8));
            MqttMessage m = new MqttMessage(jws);
            m.setQos(1);
            m.setRetained(true);
            long t0 = System.nanoTime();
            cloud.publish("sitegate/" + gw + "/policy", m);
            String ack = acks.get(version).poll(10, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            if (ack == null || !ack.startsWith("applied ")) {
                System.out.println("FAIL: version " + version + ": " + (ack == null ? "no ack within 10 s" : ack));
                System.exit(1);
            }
            policy[i] = t1 - t0;
        }

        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
        MqttClient sub = client(uri, "bench-peer-sub");
        sub.subscribe(new MqttSubscription[] {new MqttSubscription("bench/peer", 1)}, new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
            (topic, m) -> arrivals.offer(System.nanoTime())});
        MqttClient pub = client(uri, "bench-peer-pub");
        long[] peer = new long[n];
        for (int i = 0; i < n; i++) {
            MqttMessage m = new MqttMessage(("peer " + i).getBytes(StandardCharsets.US_ASCII));
            m.setQos(1);
            long t0 = System.nanoTime();
            pub.publish("bench/peer", m);
            Long t1 = arrivals.poll(10, TimeUnit.SECONDS);
            if (t1 == null) {
                System.out.println("FAIL: peer message " + i + " did not arrive within 10 s");
                System.exit(1);
            }
            peer[i] = t1 - t0;
        }
        for (MqttClient c : List.of(cloud, sub, pub)) {
            c.disconnect();
            c.close();
        }
        String p = stats(policy);
        String q = stats(peer);
        System.out.println("policy publish -> applied ack (" + n + " policies, versions " + first + ".." + (first + n - 1) + "): " + p);
        System.out.println("peer: mosquitto QoS 1 publish -> subscriber (" + n + " messages):            " + q);
        System.out.printf("ratio policy/peer: p50 %.1fx, p99 %.1fx%n", pct(policy, 50) / pct(peer, 50), pct(policy, 99) / pct(peer, 99));
        System.out.println("target p50 < 100 ms: " + (pct(policy, 50) < 100 ? "met" : "NOT met"));
    }

    private static MqttClient client(String uri, String id) throws Exception {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o);
        return c;
    }

    private static String policy(long v, String gw) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return "{\"version\":" + v + ",\"issuedAt\":\"" + now.minusSeconds(5) + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"" + gw + "\",\"sections\":{\"cellular\":{\"quota.data.bytes\":" + (v * 1_000_000 + 7)
                + ",\"quota.sms.mo\":" + (v % 100_000) + "}}}";
    }

    /** The p-th percentile in ms (nearest rank). */
    private static double pct(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1e6;
    }

    private static String stats(long[] nanos) {
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms, min %.2f ms", pct(nanos, 50), pct(nanos, 99), pct(nanos, 100),
                pct(nanos, 0));
    }
}
