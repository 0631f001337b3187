package io.sitegate.tools.ctl;

import io.sitegate.tools.ctl.SitegateCtl.Options;
import io.sitegate.tools.ctl.SitegateCtl.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * {@code rollout --group <g> --canary <N>}: the policy to N online members on their own topics first; only when
 * each applied it and stayed healthy through the soak does it go, retained, to the group topic.
 */
final class RolloutCommand {
    private final PrintStream out;

    RolloutCommand(PrintStream out) {
        this.out = out;
    }

    int run(Options o) throws IOException, GeneralSecurityException, MqttException, InterruptedException {
        String group = o.required("group");
        int n = (int) o.seconds("canary", -1, 1);
        if (n < 1) {
            throw new UsageException("--canary <N> is required (at least 1)");
        }
        long soak = o.seconds("soak", 60, 0);
        long timeout = o.seconds("timeout", 60, 1);
        long settle = o.seconds("settle", 2, 1);
        BrokerConnection broker = BrokerConnection.from(o);
        SignedPolicy policy = SignedPolicy.parse(Files.readString(Path.of(o.argument("file.jws"))));
        policy.requireTarget(null, group);

        Map<String, PolicyAck> canaryAcks = new ConcurrentHashMap<>();
        AtomicReference<RolloutTally> groupPhase = new AtomicReference<>();
        try (FleetListener fleet = new FleetListener(broker)) {
            fleet.onAck(a -> {
                if (!a.isFinal() || a.version() != policy.version() || !a.target().equals(policy.target())) {
                    return;
                }
                RolloutTally t = groupPhase.get();
                if (t == null) {
                    canaryAcks.putIfAbsent(a.gateway(), a);
                } else {
                    t.ack(a);
                }
            });
            fleet.start();
            Thread.sleep(settle * 1000);
            Map<String, GatewayStatus> members = RolloutTally.membersOf(group, fleet.statuses());
            List<String> canaries = RolloutTally.pickCanaries(members, n);
            out.println("group " + group + ": " + members.size() + " members; canaries " + canaries);
            if (canaries.size() < n) {
                out.println("HALT: only " + canaries.size() + " online members, " + n + " canaries wanted; nothing published");
                return 1;
            }
            long t0 = System.nanoTime();
            for (String c : canaries) {
                fleet.publish(FleetCommands.policyTopic(c, null), policy.bytes(), false);
            }
            // all canaries answered, or one already failed
            waitFor(timeout * 1000, () -> canaryAcks.keySet().containsAll(canaries)
                    || canaries.stream().map(canaryAcks::get).anyMatch(a -> a != null && !a.applied()));
            long soakEnd = System.currentTimeMillis() + soak * 1000;
            do {
                for (String c : canaries) {
                    String problem = RolloutTally.canaryProblem(c, canaryAcks.get(c), fleet.statuses().get(c));
                    if (problem != null) {
                        out.println("HALT: canary " + problem + "; the group topic got nothing");
                        return 1;
                    }
                }
                Thread.sleep(100);
            } while (System.currentTimeMillis() < soakEnd);
            double canarySeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(java.util.Locale.ROOT, "canaries applied and healthy through %d s soak: canary phase %.1f s%n", soak, canarySeconds);

            Set<String> memberIds = new HashSet<>(members.keySet());
            RolloutTally tally = new RolloutTally(memberIds, Set.copyOf(canaries), policy.version(), policy.target());
            groupPhase.set(tally);
            long t1 = System.nanoTime();
            fleet.publish(FleetCommands.policyTopic(null, group), policy.bytes(), true);
            waitFor(timeout * 1000, tally::complete);
            double groupSeconds = (System.nanoTime() - t1) / 1e9;
            out.println(tally.summary(groupSeconds));
            tally.problems().forEach(p -> out.println("  " + p));
            return tally.allApplied() ? 0 : 1;
        }
    }

    /** Polls until the condition holds or the time is up (acks are counted on MQTT threads). */
    private static void waitFor(long millis, BooleanSupplier done) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
    }
}
