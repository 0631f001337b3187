package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT commands against a real mosquitto and simulated gateways (the simulator's real verify path). */
class FleetIT {
    @TempDir
    static Path dir;
    static FleetBroker broker;
    static PolicySigner signer;
    static Map<String, PublicKey> trusted;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void broker() throws Exception {
        broker = new FleetBroker(Files.createDirectories(dir.resolve("broker")));
        KeyPair keys = PolicyKeys.generate();
        signer = new PolicySigner(keys.getPrivate(), "it");
        trusted = Map.of("it", keys.getPublic());
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private Path signed(String name, String target, long version, String sections) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String json = "{\"version\":" + version + ",\"issuedAt\":\"" + now + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"" + target + "\",\"sections\":" + sections + "}";
        return Files.writeString(dir.resolve(name), signer.sign(json));
    }

    private int ctl(List<String> connection, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new SitegateCtl(ps, ps).run(all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static FleetSimulator simulate(int n, String group, String prefix, Set<String> unhealthy) throws Exception {
        return FleetSimulator.start(BrokerConnection.from(SitegateCtl.Options.parse(broker.plain().toArray(String[]::new), 0)),
                n, group, prefix, unhealthy, trusted);
    }

    private static FleetListener listen() throws Exception {
        return new FleetListener(BrokerConnection.from(SitegateCtl.Options.parse(broker.plain().toArray(String[]::new), 0)));
    }

    private static void await(long millis, java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void groupPublishIsAppliedByAllTwenty() throws Exception {
        Path jws = signed("g20.jws", "group:g20", 3, "{\"dns\":{\"upstreams\":[\"10.8.0.1:53\"]}}");
        Map<String, PolicyAck> finals = new ConcurrentHashMap<>();
        try (FleetSimulator sim = simulate(20, "g20", "g20-", Set.of()); FleetListener acks = listen()) {
            acks.onAck(a -> {
                if (a.isFinal()) {
                    finals.put(a.gateway(), a);
                }
            });
            acks.start();
            assertThat(ctl(broker.plain(), "publish", "--group", "g20", jws.toString())).as(out()).isZero();
            await(10_000, () -> finals.size() == 20);
            assertThat(finals).hasSize(20);
            assertThat(finals.values()).allSatisfy(a -> {
                assertThat(a.result()).isEqualTo("applied");
                assertThat(a.version()).isEqualTo(3);
                assertThat(a.target()).isEqualTo("group:g20");
            });
        }
    }

    @Test
    void rolloutHaltsOnAnUnhealthyCanaryAndTheGroupGetsNothing() throws Exception {
        Path jws = signed("canary.jws", "group:canary", 5, "{\"dns\":{\"upstreams\":[\"10.8.0.1:53\"]}}");
        try (FleetSimulator sim = simulate(5, "canary", "c-", Set.of("c-2"))) {
            int rc = ctl(broker.plain(), "rollout", "--group", "canary", "--canary", "2", "--soak", "1", "--settle", "1",
                    "--timeout", "10", jws.toString());
            assertThat(rc).as(out()).isEqualTo(1);
            assertThat(out()).contains("canaries [c-1, c-2]", "HALT: canary c-2: health tunnels: DOWN", "the group topic got nothing")
                    .doesNotContain("applied 5");
            // nothing retained on the group topic: a fresh subscriber gets no message
            Process sub = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort),
                    "-t", "sitegate/group/canary/policy", "-C", "1", "-W", "1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String got = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            sub.waitFor();
            assertThat(got).isEmpty();
            assertThat(sub.exitValue()).as("mosquitto_sub timed out waiting").isEqualTo(27);
        }
    }

    @Test
    void rolloutToHealthyGroupCountsCanariesAsApplied() throws Exception {
        Path jws = signed("ok.jws", "group:ok", 6, "{\"dns\":{\"upstreams\":[\"10.8.0.1:53\"]}}");
        try (FleetSimulator sim = simulate(6, "ok", "ok-", Set.of())) {
            int rc = ctl(broker.plain(), "rollout", "--group", "ok", "--canary", "2", "--soak", "0", "--settle", "1",
                    "--timeout", "10", jws.toString());
            assertThat(out()).contains("applied 6, rejected 0, rolled back 0, silent 0 (of 6 gateways)");
            assertThat(rc).as(out()).isZero();
        }
    }

    @Test
    void diffAgainstASimulatedStatus() throws Exception {
        Path jws = signed("d.jws", "d-1", 2, "{\"dns\":{\"upstreams\":[\"10.0.0.1:53\"]},"
                + "\"tunnels\":{\"corp\":{\"remote\":\"vpn.example.net\"}}}");
        try (FleetSimulator sim = simulate(1, "d", "d-", Set.of())) {
            assertThat(ctl(broker.plain(), "diff", "--gateway", "d-1", jws.toString())).as(out()).isZero();
            assertThat(out()).contains("in force: version none; policy: version 2 for d-1",
                    "dns: io.sitegate.dns upstreams: \"9.9.9.9\" -> \"10.0.0.1:53\"",
                    "tunnels: io.sitegate.tunnel~corp added (new instance) {remote=\"vpn.example.net\"}");
        }
        out.reset();
        assertThat(ctl(broker.plain(), "diff", "--gateway", "nobody", "--timeout", "1", jws.toString())).isEqualTo(1);
        assertThat(out()).contains("no status of gateway nobody within 1 s");
    }

    @Test
    void watchOncePrintsTheTable() throws Exception {
        try (FleetSimulator sim = simulate(3, "w", "w-", Set.of("w-3"))) {
            assertThat(ctl(broker.plain(), "watch", "--group", "w", "--once", "--timeout", "1")).as(out()).isZero();
            assertThat(out()).containsPattern("w-1 +online +- +- +ok").containsPattern("w-3 +online +- +- +tunnels: DOWN")
                    .contains("3 gateways, 3 online in group w");
        }
    }

    @Test
    void watchersOfOneShareGroupSplitTheStatusesAndSeeEachOnce() throws Exception {
        Map<String, Integer> one = new ConcurrentHashMap<>();
        Map<String, Integer> two = new ConcurrentHashMap<>();
        try (FleetListener first = listen(); FleetListener second = listen()) {
            first.onStatus(s -> one.merge(s.gateway(), 1, Integer::sum));
            second.onStatus(s -> two.merge(s.gateway(), 1, Integer::sum));
            first.start("watchers");
            second.start("watchers");
            try (FleetSimulator sim = simulate(20, "sh", "sh-", Set.of())) { // each publishes its online status once
                await(10_000, () -> one.size() + two.size() >= 20);
                Thread.sleep(500); // a second copy of any status would be here by now
                assertThat(one.keySet()).as("only new statuses: the retained ones of earlier tests' gateways are not delivered")
                        .allMatch(g -> g.startsWith("sh-"));
                assertThat(two.keySet()).allMatch(g -> g.startsWith("sh-"));
                Map<String, Integer> together = new java.util.TreeMap<>(one);
                two.forEach((g, n) -> together.merge(g, n, Integer::sum));
                assertThat(together).hasSize(20).allSatisfy((g, n) -> assertThat(n).as(g).isEqualTo(1));
                assertThat(one).as("mosquitto shares round robin: both watchers get a part").isNotEmpty();
                assertThat(two).isNotEmpty();

                // a shared watcher gets no retained statuses (MQTT v5 4.8.2; mosquitto 2.0 would send them, but the watcher
                // subscribes with Retain Handling 2), a plain one gets them all
                Map<String, Integer> late = new ConcurrentHashMap<>();
                Map<String, Integer> plain = new ConcurrentHashMap<>();
                try (FleetListener shared = listen(); FleetListener all = listen()) {
                    shared.onStatus(s -> late.merge(s.gateway(), 1, Integer::sum));
                    all.onStatus(s -> plain.merge(s.gateway(), 1, Integer::sum));
                    shared.start("late");
                    all.start();
                    await(5_000, () -> plain.keySet().stream().filter(g -> g.startsWith("sh-")).count() == 20);
                    Thread.sleep(300);
                    assertThat(plain.keySet().stream().filter(g -> g.startsWith("sh-"))).hasSize(20);
                    assertThat(late).isEmpty();
                }
            }
        }
        out.reset();
        assertThat(ctl(broker.plain(), "watch", "--share", "watchers", "--once", "--timeout", "1")).as(out()).isZero();
        assertThat(out()).contains("share group watchers: this watcher's share of the messages since it started (no retained statuses)");
        out.reset();
        assertThat(ctl(broker.plain(), "watch", "--share", "a/b", "--once")).isEqualTo(2);
        assertThat(out()).contains("--share", "'/'");
    }

    @Test
    void tamperedPolicyIsRejectedWithReason() throws Exception {
        Path good = signed("t.jws", "t-1", 9, "{\"dns\":{\"upstreams\":[\"10.0.0.1:53\"]}}");
        String token = Files.readString(good);
        int at = token.lastIndexOf('.') + 5;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        Path bad = Files.writeString(dir.resolve("tampered.jws"), tampered);
        try (FleetSimulator sim = simulate(1, "t", "t-", Set.of())) {
            assertThat(ctl(broker.plain(), "publish", "--gateway", "t-1", "--wait", "5", bad.toString())).as(out()).isEqualTo(1);
            assertThat(out()).contains("t-1: rejected version 9", "BAD_SIGNATURE");
        }
    }

    @Test
    void publishOverMutualTlsWaitsForApplied() throws Exception {
        Path jws = signed("tls.jws", "tls-1", 4, "{\"dns\":{\"upstreams\":[\"10.0.0.1:53\"]}}");
        BrokerConnection tls = BrokerConnection.from(SitegateCtl.Options.parse(broker.tls().toArray(String[]::new), 0));
        try (FleetSimulator sim = FleetSimulator.start(tls, 2, "tls", "tls-", Set.of(), trusted)) {
            assertThat(ctl(broker.tls(), "publish", "--gateway", "tls-1", "--wait", "10", jws.toString())).as(out()).isZero();
            assertThat(out()).contains("tls-1: applied version 4");
        }
        out.reset();
        assertThat(ctl(List.of("--broker", "tcp://127.0.0.1:" + broker.plainPort), "publish", "--gateway", "tls-1", jws.toString()))
                .isEqualTo(2);
        assertThat(out()).contains("plain TCP", "--plain");
    }
}
