package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

class OutboundDeliveryTest {
    @TempDir
    Path dir;
    OutboundQueue queue;
    OutboundDelivery delivery;
    final FakeLink link = new FakeLink();

    /** A link whose publishes wait for the test to acknowledge, fail or refuse them. */
    static final class FakeLink implements MqttLink {
        record Publish(String payload, CompletableFuture<Void> result) {
        }

        final List<Publish> publishes = new CopyOnWriteArrayList<>();
        final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
        /** The client's own in-flight limit (Paho's 32202): publishes beyond it are refused at once, not sent. */
        volatile int clientWindow = Integer.MAX_VALUE;
        final java.util.concurrent.atomic.AtomicInteger refusedBusy = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void start() {
        }

        @Override
        public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (publishes.stream().filter(p -> !p.result().isDone()).count() >= clientWindow) {
                refusedBusy.incrementAndGet();
                f.completeExceptionally(new MqttLinkException("Too many publishes in progress", false, true));
                return f;
            }
            publishes.add(new Publish(new String(payload, StandardCharsets.UTF_8), f));
            return f;
        }

        @Override
        public void subscribe(List<String> topicFilters, MessageListener listener) {
        }

        @Override
        public void reconnect(String reason) {
            down();
            up();
        }

        @Override
        public Status status() {
            return new Status(State.CONNECTED, Instant.now(), 0, null);
        }

        @Override
        public void addConnectionListener(ConnectionListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeConnectionListener(ConnectionListener listener) {
            listeners.remove(listener);
        }

        void up() {
            listeners.forEach(l -> l.connected(false));
        }

        void down() {
            listeners.forEach(l -> l.disconnected("test"));
        }

        List<String> payloads() {
            return publishes.stream().map(Publish::payload).toList();
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void close() throws Exception {
        if (delivery != null) {
            delivery.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    private void open(int window) throws Exception {
        queue = OutboundQueue.open(dir, OutboundQueue.Limits.DEFAULT);
        delivery = new OutboundDelivery(queue, link, window);
    }

    private void send(String... payloads) throws Exception {
        for (String p : payloads) {
            delivery.send("sitegate/gw1/events", p.getBytes(StandardCharsets.UTF_8), 1, false);
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void nothingIsSentOfflineThenEverythingInOrderWithinTheWindow() throws Exception {
        open(2);
        send("a", "b", "c");
        Thread.sleep(100);
        assertThat(link.publishes).isEmpty();
        link.up();
        await(() -> link.publishes.size() == 2, "two in flight");
        Thread.sleep(50);
        assertThat(link.payloads()).containsExactly("a", "b");
        link.publishes.get(1).result().complete(null); // b acknowledged before a: nothing removed yet
        await(() -> link.publishes.size() == 3, "c sent");
        assertThat(delivery.pending()).isEqualTo(3);
        link.publishes.get(0).result().complete(null);
        await(() -> delivery.pending() == 1, "a and b removed");
        link.publishes.get(2).result().complete(null);
        await(() -> delivery.pending() == 0, "all removed");
    }

    /**
     * The client refuses a publish at once when its own in-flight window is full (other publishes share it): the
     * message waits and goes out in order once a slot frees, nothing already in flight is sent again.
     */
    @Test
    void aFullClientWindowDelaysTheRestInOrderWithoutSendingAnythingAgain() throws Exception {
        link.clientWindow = 2;
        open(16);
        link.up();
        send("a", "b", "c", "d");
        await(() -> link.publishes.size() == 2, "two in flight");
        await(() -> link.refusedBusy.get() >= 2, "c refused by the client, tried again");
        assertThat(link.payloads()).containsExactly("a", "b");
        link.publishes.get(0).result().complete(null);
        await(() -> link.publishes.size() == 3, "c sent once a slot freed");
        link.publishes.get(1).result().complete(null);
        await(() -> link.publishes.size() == 4, "d sent");
        link.publishes.get(2).result().complete(null);
        link.publishes.get(3).result().complete(null);
        await(() -> delivery.pending() == 0, "all delivered");
        assertThat(link.payloads()).as("each once, in order").containsExactly("a", "b", "c", "d");
    }

    @Test
    void aLostConnectionSendsAgainFromTheOldestUnacknowledged() throws Exception {
        open(10);
        link.up();
        send("a", "b", "c");
        await(() -> link.publishes.size() == 3, "three sent");
        link.publishes.get(0).result().complete(null);
        await(() -> delivery.pending() == 2, "a removed");
        link.down();
        link.publishes.get(1).result().completeExceptionally(new MqttLinkException("Connection lost", false));
        send("d");
        link.up();
        await(() -> link.publishes.size() == 6, "b, c, d again");
        assertThat(link.payloads()).containsExactly("a", "b", "c", "b", "c", "d");
    }

    @Test
    void aMessageTheBrokerRefusesIsDroppedNotRetriedForever() throws Exception {
        open(1);
        link.up();
        send("forbidden", "fine");
        await(() -> link.publishes.size() == 1, "first sent");
        link.publishes.get(0).result().completeExceptionally(new MqttLinkException("not authorized (0x87)", true));
        await(() -> link.publishes.size() == 2, "second sent");
        link.publishes.get(1).result().complete(null);
        await(() -> delivery.pending() == 0, "queue empty");
        assertThat(delivery.refused()).isEqualTo(1);
    }
}
