package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.policy.internal.mqtt.MqttLink.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The link against a real mosquitto with mutual TLS (see {@link Mosquitto}, {@link TestPki}). Needs
 * {@code mosquitto} and {@code openssl} on the PATH.
 */
class MqttLinkIT {
    private static final String GW = "gw1";
    private static final String STATUS = "sitegate/gw1/status";
    private static final String OFFLINE = "{\"state\":\"offline\",\"gateway\":\"gw1\"}";

    @TempDir
    static Path pkiDir;
    static TestPki pki;

    @TempDir
    Path dir;
    Mosquitto broker;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(pkiDir);
    }

    @BeforeEach
    void broker() throws Exception {
        broker = new Mosquitto(pki, dir);
        broker.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        broker.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private MqttLinkSettings tls(String uri, String certName) {
        return MqttLinkSettings.tls(uri, GW, pki.cert("ca"), pki.cert(certName), pki.key(certName))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withConnectTimeout(Duration.ofSeconds(3));
    }

    private PahoMqttLink link(MqttLinkSettings settings) {
        return closing(new PahoMqttLink(settings, new Random(42), Clock.systemUTC()));
    }

    private Observer observer(String filter) throws Exception {
        return closing(new Observer(broker, pki, "observer-" + System.nanoTime())).subscribe(filter);
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void mutualTlsConnectsSubscribesPublishesAndLeavesWithTheWill() throws Exception {
        Observer cloud = observer("sitegate/#");
        PahoMqttLink link = link(tls(broker.tlsUri(), "gw1"));
        List<String> policies = new CopyOnWriteArrayList<>();
        link.subscribe(List.of("sitegate/gw1/policy", "sitegate/group/g1/policy"),
                (topic, payload, retained) -> policies.add(topic + "=" + new String(payload, StandardCharsets.UTF_8)));
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");
        assertThat(link.status().lastError()).isNull();

        await(Duration.ofSeconds(5), () -> {
            try {
                cloud.publish("sitegate/gw1/policy", "p1", false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return !policies.isEmpty();
        }, "policy received");
        assertThat(policies.get(0)).isEqualTo("sitegate/gw1/policy=p1");

        link.publish("sitegate/gw1/events", "e1".getBytes(StandardCharsets.UTF_8), 1, false)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        await(Duration.ofSeconds(5), () -> cloud.payloads("sitegate/gw1/events").contains("e1"), "event seen");

        link.close();
        assertThat(link.status().state()).isEqualTo(State.DISCONNECTED);
        await(Duration.ofSeconds(5), () -> cloud.payloads(STATUS).contains(OFFLINE), "will after close");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        PahoMqttLink link = link(tls(broker.tlsUri(), "gw1-other"));
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().failedAttempts() >= 2, "two failed attempts");
        assertThat(link.status().state()).isNotEqualTo(State.CONNECTED);
        System.out.println("client certificate from another CA: " + link.status().lastError());
        assertThat(link.status().lastError()).startsWith("TLS").doesNotContain("PRIVATE");
    }

    @Test
    void aBrokerCertificateNotFromOurCaIsRefused() throws Exception {
        MqttLinkSettings wrongCa = MqttLinkSettings.tls(broker.tlsUri(), GW, pki.cert("other-ca"), pki.cert("gw1"),
                pki.key("gw1")).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
        PahoMqttLink link = link(wrongCa);
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().failedAttempts() >= 1, "a failed attempt");
        System.out.println("wrong CA: " + link.status().lastError());
        assertThat(link.status().lastError()).startsWith("TLS: the broker's certificate is not trusted");
    }

    @Test
    void plainTcpOnlyWhenAllowed() throws Exception {
        assertThatThrownBy(() -> new MqttLinkSettings(broker.plainUri(), GW, null, null, null, false,
                Duration.ofDays(1), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain TCP, refused");

        PahoMqttLink lab = link(MqttLinkSettings.plainTcp(broker.plainUri(), GW));
        lab.start();
        await(Duration.ofSeconds(10), () -> lab.status().state() == State.CONNECTED, "lab connected");

        PahoMqttLink plainToTls = link(MqttLinkSettings.plainTcp("tcp://127.0.0.1:" + broker.tlsPort, "gw2")
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(2)));
        plainToTls.start();
        await(Duration.ofSeconds(15), () -> plainToTls.status().failedAttempts() >= 1, "plain to the TLS port fails");
        System.out.println("plain TCP to the TLS listener: " + plainToTls.status().lastError());
        assertThat(plainToTls.status().state()).isNotEqualTo(State.CONNECTED);
    }

    /**
     * After a tunnel failover the connection made over the old tunnel is dead but its socket does not know (the
     * site lab: acks and events stuck for a keep-alive and a half); reconnect() drops it and connects over the new
     * route at once.
     */
    @Test
    void aRouteChangeReconnectsAtOnceInsteadOfWaitingForTheKeepAlive() throws Exception {
        Observer cloud = observer("sitegate/gw1/events");
        TcpProxy proxy = closing(new TcpProxy(broker.tlsPort));
        PahoMqttLink link = link(tls("ssl://127.0.0.1:" + proxy.port(), "gw1").withKeepAlive(Duration.ofSeconds(60)));
        List<Boolean> connects = new CopyOnWriteArrayList<>();
        link.addConnectionListener(new MqttLink.ConnectionListener() {
            @Override
            public void connected(boolean sessionPresent) {
                connects.add(sessionPresent);
            }

            @Override
            public void disconnected(String reason) {
            }
        });
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");
        proxy.silenceExisting();
        link.reconnect("the active tunnel changed");
        await(Duration.ofSeconds(10), () -> connects.size() == 2 && link.status().state() == State.CONNECTED,
                "connected again over the new route, long before the 60 s keep-alive");
        assertThat(connects.get(1)).as("the session resumed").isTrue();
        link.publish("sitegate/gw1/events", "after".getBytes(StandardCharsets.UTF_8), 1, false)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        await(Duration.ofSeconds(5), () -> cloud.payloads("sitegate/gw1/events").contains("after"), "delivered");
    }

    @Test
    void theWillIsPublishedWhenTheBrokerStopsHearingFromUs() throws Exception {
        Observer cloud = observer(STATUS);
        TcpProxy proxy = closing(new TcpProxy(broker.tlsPort));
        PahoMqttLink link = link(tls("ssl://127.0.0.1:" + proxy.port(), "gw1").withKeepAlive(Duration.ofSeconds(2)));
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");
        link.publish(STATUS, "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8), 1, true)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        await(Duration.ofSeconds(5), () -> cloud.payloads(STATUS).contains("{\"state\":\"online\"}"), "online");

        long cut = System.nanoTime();
        proxy.mode(TcpProxy.Mode.BLACKHOLE); // the cellular link goes silent, no FIN, no RST
        await(Duration.ofSeconds(10), () -> cloud.payloads(STATUS).contains(OFFLINE), "will on keepalive expiry");
        long millis = (System.nanoTime() - cut) / 1_000_000;
        System.out.println("will published " + millis + " ms after the link went silent (keepalive 2 s)");
        // mosquitto gives up on a client after 1.5 x keepalive without a packet; its timer adds up to ~2 s.
        assertThat(millis).isBetween(1500L, 9000L);

        // A new subscriber sees the retained offline status.
        Observer late = observer(STATUS);
        await(Duration.ofSeconds(5), () -> late.received.stream().anyMatch(r -> r.retained()
                && r.payload().equals(OFFLINE)), "retained offline status");
    }

    @Test
    void brokerDownAtStartTheLoopBacksOffAndConnectsWhenItComesUp() throws Exception {
        broker.kill();
        Random nearCeiling = new Random() {
            @Override
            public double nextDouble() {
                return 0.99; // the jitter at the top of its range, so the doubling is visible
            }
        };
        MqttLinkSettings settings = tls(broker.tlsUri(), "gw1").withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
        PahoMqttLink link = closing(new PahoMqttLink(settings, nearCeiling, Clock.systemUTC()));
        List<Long> attempts = new ArrayList<>();
        link.start();
        long t0 = System.nanoTime();
        int seen = 0;
        while (attempts.size() < 5 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
            int n = link.status().failedAttempts();
            if (n > seen) {
                seen = n;
                attempts.add((System.nanoTime() - t0) / 1_000_000);
            }
            Thread.sleep(5);
        }
        System.out.println("failed attempts at (ms): " + attempts + "; last error: " + link.status().lastError());
        assertThat(attempts).hasSize(5);
        assertThat(link.status().lastError()).startsWith("broker unreachable");
        for (int i = 2; i < attempts.size(); i++) {
            long gap = attempts.get(i) - attempts.get(i - 1);
            long previous = attempts.get(i - 1) - attempts.get(i - 2);
            assertThat(gap).as("gap %d grows", i).isGreaterThan(previous * 3 / 2);
        }
        broker.start();
        long up = System.nanoTime();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected after the broker came up");
        System.out.println("connected " + (System.nanoTime() - up) / 1_000_000 + " ms after the broker came up");
    }

    @Test
    void messagesQueuedWhileTheBrokerIsDeadArriveInOrderAfterItsRestart() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.tlsPort));
        PahoMqttLink link = link(tls("ssl://127.0.0.1:" + proxy.port(), "gw1"));
        OutboundQueue queue = closing(OutboundQueue.open(dir.resolve("outbound"), OutboundQueue.Limits.DEFAULT));
        OutboundDelivery delivery = closing(new OutboundDelivery(queue, link, 10));
        List<String> policies = new CopyOnWriteArrayList<>();
        link.subscribe(List.of("sitegate/gw1/policy"),
                (topic, payload, retained) -> policies.add(new String(payload, StandardCharsets.UTF_8)));
        List<Boolean> sessions = new CopyOnWriteArrayList<>();
        link.addConnectionListener(new MqttLink.ConnectionListener() {
            @Override
            public void connected(boolean sessionPresent) {
                sessions.add(sessionPresent);
            }

            @Override
            public void disconnected(String reason) {
            }
        });
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");

        broker.kill();
        proxy.cutAll();
        proxy.mode(TcpProxy.Mode.REFUSE); // keep the gateway away until the cloud subscriber is back
        await(Duration.ofSeconds(10), () -> link.status().state() != State.CONNECTED, "link sees the broker gone");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String p = "{\"seq\":" + i + ",\"event\":\"tunnel.failover\"}";
            sent.add(p);
            delivery.send("sitegate/gw1/events", p.getBytes(StandardCharsets.UTF_8), 1, false);
        }
        assertThat(delivery.pending()).isEqualTo(200);

        broker.start();
        Observer cloud = observer("sitegate/gw1/events");
        proxy.mode(TcpProxy.Mode.FORWARD);
        await(Duration.ofSeconds(20), () -> cloud.payloads("sitegate/gw1/events").size() >= 200, "200 events");
        Thread.sleep(300);
        assertThat(cloud.payloads("sitegate/gw1/events")).containsExactlyElementsOf(sent);
        await(Duration.ofSeconds(5), () -> delivery.pending() == 0, "queue emptied after the PUBACKs");

        // The restarted broker (no persistence) lost the session: the link subscribed again by itself.
        assertThat(sessions).containsExactly(false, false);
        cloud.publish("sitegate/gw1/policy", "p2", false);
        await(Duration.ofSeconds(5), () -> policies.contains("p2"), "policy after the broker restart");
    }

    @Test
    void aRestartedGatewayGetsTheRetainedPolicyAgainOnItsResumedSession() throws Exception {
        // the first process: receives the retained policy (and acknowledges it, QoS 1), then dies
        PahoMqttLink first = link(tls("ssl://127.0.0.1:" + broker.tlsPort, "gw1"));
        List<String> seen = new CopyOnWriteArrayList<>();
        first.subscribe(List.of("sitegate/gw1/policy"), (topic, payload, retained) -> seen.add(new String(payload, StandardCharsets.UTF_8)));
        first.start();
        await(Duration.ofSeconds(10), () -> first.status().state() == State.CONNECTED, "first connected");
        Thread.sleep(200); // the SUBACK
        observer("sitegate/gw1/status").publish("sitegate/gw1/policy", "v7", true);
        await(Duration.ofSeconds(10), () -> seen.contains("v7"), "the policy at the first process");
        first.close();

        // the next process, same client id: the session (and its subscription) is resumed, the retained policy must come
        PahoMqttLink second = link(tls("ssl://127.0.0.1:" + broker.tlsPort, "gw1"));
        List<String> again = new CopyOnWriteArrayList<>();
        List<Boolean> sessions = new CopyOnWriteArrayList<>();
        second.subscribe(List.of("sitegate/gw1/policy"), (topic, payload, retained) -> again.add(new String(payload, StandardCharsets.UTF_8)));
        second.addConnectionListener(new MqttLink.ConnectionListener() {
            @Override
            public void connected(boolean sessionPresent) {
                sessions.add(sessionPresent);
            }

            @Override
            public void disconnected(String reason) {
            }
        });
        second.start();
        await(Duration.ofSeconds(10), () -> again.contains("v7"), "the retained policy at the restarted process");
        assertThat(sessions).containsExactly(true);
    }

    @Test
    void aResumedSessionKeepsWhatTheBrokerHeldForUs() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.tlsPort));
        PahoMqttLink link = link(tls("ssl://127.0.0.1:" + proxy.port(), "gw1"));
        List<String> policies = new CopyOnWriteArrayList<>();
        link.subscribe(List.of("sitegate/gw1/policy"),
                (topic, payload, retained) -> policies.add(new String(payload, StandardCharsets.UTF_8)));
        List<Boolean> sessions = new CopyOnWriteArrayList<>();
        link.addConnectionListener(new MqttLink.ConnectionListener() {
            @Override
            public void connected(boolean sessionPresent) {
                sessions.add(sessionPresent);
            }

            @Override
            public void disconnected(String reason) {
            }
        });
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");
        Observer cloud = observer("sitegate/gw1/status");
        Thread.sleep(200); // the SUBACK

        proxy.mode(TcpProxy.Mode.REFUSE);
        proxy.cutAll();
        await(Duration.ofSeconds(10), () -> link.status().state() != State.CONNECTED, "link down");
        cloud.publish("sitegate/gw1/policy", "while-away", false); // QoS 1: the broker keeps it in our session
        proxy.mode(TcpProxy.Mode.FORWARD);
        await(Duration.ofSeconds(10), () -> policies.contains("while-away"), "message held by the session");
        // Paho may hand over the held message before it calls connectComplete (CI saw [false] at the assertion and
        // [false, true] a moment later, when the message was printed)
        await(Duration.ofSeconds(10), () -> sessions.size() == 2, "the reconnect reported");
        assertThat(sessions).containsExactly(false, true);
    }

    @Test
    void aQueueLeftByAPreviousRunIsDeliveredInOrder() throws Exception {
        Path qdir = dir.resolve("outbound");
        try (OutboundQueue q = OutboundQueue.open(qdir, OutboundQueue.Limits.DEFAULT)) {
            for (int i = 0; i < 50; i++) {
                q.append("sitegate/gw1/acks", ("ack-" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        Observer cloud = observer("sitegate/gw1/acks");
        PahoMqttLink link = link(tls(broker.tlsUri(), "gw1"));
        OutboundQueue queue = closing(OutboundQueue.open(qdir, OutboundQueue.Limits.DEFAULT));
        OutboundDelivery delivery = closing(new OutboundDelivery(queue, link, 10));
        link.start();
        await(Duration.ofSeconds(10), () -> cloud.payloads("sitegate/gw1/acks").size() >= 50, "50 acks");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("ack-" + i);
        }
        assertThat(cloud.payloads("sitegate/gw1/acks")).containsExactlyElementsOf(expected);
        await(Duration.ofSeconds(5), () -> delivery.pending() == 0, "queue emptied");
    }

    @Test
    void theAclKeepsAGatewayOutOfAnotherGatewaysTopics() throws Exception {
        Observer cloud = observer("sitegate/#");
        PahoMqttLink link = link(tls(broker.tlsUri(), "gw1"));
        link.start();
        await(Duration.ofSeconds(10), () -> link.status().state() == State.CONNECTED, "connected");
        Throwable outcome = null;
        try {
            link.publish("sitegate/gw2/policy", "forged".getBytes(StandardCharsets.UTF_8), 1, true)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            outcome = e.getCause();
        }
        System.out.println("publish to another gateway's topic: " + (outcome == null ? "PUBACK success" : outcome));
        link.publish("sitegate/gw1/events", "own".getBytes(StandardCharsets.UTF_8), 1, false)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        await(Duration.ofSeconds(5), () -> cloud.payloads("sitegate/gw1/events").contains("own"), "own topic");
        assertThat(cloud.received).noneMatch(r -> r.topic().startsWith("sitegate/gw2/"));
        Observer late = observer("sitegate/gw2/#");
        Thread.sleep(300);
        assertThat(late.received).as("nothing retained on gw2").isEmpty();
        // mosquitto 2.0.11 answers an MQTT 5 client with PUBACK reason 0x87; the link reports it as a refusal.
        assertThat(outcome).isInstanceOf(MqttLinkException.class)
                .hasMessage("broker refused the publish to sitegate/gw2/policy: not authorized (0x87)");
        assertThat(((MqttLinkException) outcome).refusedByBroker()).isTrue();
    }
}
