package io.sitegate.policy.internal.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * {@link MqttLink} on Eclipse Paho's MQTT v5 client. Paho's automatic reconnect is off: it does
 * not retry when the first connect fails. The loop here runs on one thread of its own, makes a
 * fresh client for every attempt (no state left over from a failed one) and waits with
 * {@link ReconnectBackoff} between attempts. Subscriptions use
 * {@code subscribe(MqttSubscription[], ..., IMqttMessageListener[], ...)}: the single-topic
 * overloads of Paho 1.2.5 recurse until the stack overflows.
 */
public final class PahoMqttLink implements MqttLink {
    private static final Logger LOG = LoggerFactory.getLogger(PahoMqttLink.class);
    /** MQTT 5 DISCONNECT reason 0x04: the broker publishes the will although we leave cleanly. */
    private static final int DISCONNECT_WITH_WILL = 0x04;

    private record Subscription(List<String> filters, MessageListener listener) {
    }

    private final MqttLinkSettings settings;
    private final ReconnectBackoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

    private volatile MqttAsyncClient client;
    private volatile Status status;
    private volatile boolean started;
    private volatile boolean closed;
    private Instant connectedAt;
    /** The next connection attempt, while disconnected (loop thread only). */
    private java.util.concurrent.ScheduledFuture<?> pending;
    /** Whether this link subscribed once already: until then the retained policies are asked for. */
    private volatile boolean subscribedBefore;

    /**
     * @param random the back-off jitter source; tests pass a seeded one
     */
    public PahoMqttLink(MqttLinkSettings settings, Random random, Clock clock) {
        this.settings = settings;
        this.backoff = new ReconnectBackoff(settings.backoffInitial(), settings.backoffMax(), random);
        this.clock = clock;
        this.status = new Status(State.DISCONNECTED, clock.instant(), 0, null);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-mqtt-link-" + settings.gatewayId());
            t.setDaemon(true);
            return t;
        });
    }

    public PahoMqttLink(MqttLinkSettings settings) {
        this(settings, new Random(), Clock.systemUTC());
    }

    @Override
    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            run(this::attempt);
        }
    }

    @Override
    public void reconnect(String reason) {
        run(() -> {
            if (closed || !started) {
                return;
            }
            backoff.reset();
            MqttAsyncClient c = client;
            if (c != null) {
                LOG.info("MQTT: reconnecting to {}: {}", settings.brokerUri(), reason);
                lost(c, reason);
            } else if (status.state() == State.DISCONNECTED && pending != null && pending.cancel(false)) {
                schedule(backoff.nextDelay());
            }
        });
    }

    private void run(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void attempt() {
        if (closed) {
            return;
        }
        status = new Status(State.CONNECTING, clock.instant(), status.failedAttempts(), status.lastError());
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(settings.brokerUri(), settings.gatewayId(), new MemoryPersistence());
            MqttAsyncClient self = c;
            c.setCallback(new Callback(self));
            IMqttToken token = c.connect(options());
            token.waitForCompletion(settings.connectTimeout().toMillis() + 2000);
            if (!c.isConnected()) {
                throw new java.net.SocketTimeoutException("no CONNACK within " + settings.connectTimeout().toSeconds() + " s");
            }
            client = c;
            connectedAt = clock.instant();
            boolean sessionPresent = token.getSessionPresent();
            status = new Status(State.CONNECTED, connectedAt, 0, status.lastError());
            LOG.info("MQTT connected to {} as {} (session {})", settings.brokerUri(), settings.gatewayId(),
                    sessionPresent ? "resumed" : "new");
            for (Subscription s : subscriptions) {
                subscribeOn(c, s, sessionPresent && subscribedBefore);
            }
            subscribedBefore = true;
            for (ConnectionListener l : listeners) {
                notifyConnected(l, sessionPresent);
            }
        } catch (Exception e) {
            String error = MqttErrors.describe(e);
            abandon(c);
            failed(error);
        }
    }

    private void failed(String error) {
        int failures = status.failedAttempts() + 1;
        Duration wait = backoff.nextDelay();
        status = new Status(State.DISCONNECTED, clock.instant(), failures, error);
        LOG.warn("MQTT connection to {} failed (attempt {}): {}; next attempt in {} ms", settings.brokerUri(),
                failures, error, wait.toMillis());
        schedule(wait);
    }

    private void schedule(Duration wait) {
        if (!closed) {
            try {
                pending = loop.schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private MqttConnectionOptions options() throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        o.setAutomaticReconnect(false);
        MqttMessage will = new MqttMessage(settings.offlinePayload());
        will.setQos(1);
        will.setRetained(true);
        o.setWill(settings.statusTopic(), will);
        if (settings.usesTls()) {
            SocketFactory factory = PemTls.socketFactory(settings.caFile(), settings.certFile(), settings.keyFile());
            o.setSocketFactory(factory);
            o.setHttpsHostnameVerificationEnabled(true);
        }
        return o;
    }

    private void subscribeOn(MqttAsyncClient c, Subscription s, boolean resumedByThisLink) {
        MqttSubscription[] subs = new MqttSubscription[s.filters().size()];
        IMqttMessageListener[] handlers = new IMqttMessageListener[subs.length];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = new MqttSubscription(s.filters().get(i), 1);
            // A session resumed by this same link still holds the subscription: do not have the retained message
            // sent again. A new link (a restarted gateway) asks for it even on a resumed session: the previous
            // process may have acknowledged it (QoS 1) and died before its transaction was journaled or finished,
            // and the broker would then never send it again. The agent refuses it as a replay when it is in force.
            subs[i].setRetainHandling(resumedByThisLink ? 1 : 0);
            handlers[i] = (topic, m) -> s.listener().message(topic, m.getPayload(), m.isRetained());
        }
        try {
            c.subscribe(subs, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    for (int code : token.getReasonCodes()) {
                        if (code >= 0x80) {
                            LOG.warn("MQTT subscribe to {} refused by the broker: reason code 0x{}", s.filters(),
                                    Integer.toHexString(code));
                        }
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.warn("MQTT subscribe to {} failed: {}", s.filters(), MqttErrors.describe(e));
                }
            }, handlers, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("MQTT subscribe to {} failed: {}", s.filters(), MqttErrors.describe(e));
        }
    }

    /** Called on the loop thread when the current connection is gone. */
    private void lost(MqttAsyncClient c, String reason) {
        if (c != client || closed) {
            return;
        }
        client = null;
        abandon(c);
        if (connectedAt != null && Duration.between(connectedAt, clock.instant()).compareTo(settings.stableAfter()) >= 0) {
            backoff.reset();
        }
        LOG.warn("MQTT connection to {} lost: {}", settings.brokerUri(), reason);
        for (ConnectionListener l : listeners) {
            notifyDisconnected(l, reason);
        }
        failed(reason);
    }

    private static void abandon(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            c.disconnectForcibly(0, 1000, false);
        } catch (Exception e) {
            // already down
        }
        try {
            c.close(true);
        } catch (Exception e) {
            // best effort: the client is dropped either way
        }
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            result.completeExceptionally(new MqttLinkException("not connected", false));
            return result;
        }
        try {
            c.publish(topic, payload, qos, retained, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        result.completeExceptionally(new MqttLinkException("broker refused the publish to "
                                + topic + ": " + MqttErrors.reason(codes[0]), true));
                    } else {
                        result.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    int[] codes = token == null ? null : token.getReasonCodes();
                    boolean refused = codes != null && codes.length > 0 && codes[0] >= 0x80;
                    result.completeExceptionally(new MqttLinkException(MqttErrors.describe(e), refused));
                }
            });
        } catch (MqttException e) {
            result.completeExceptionally(new MqttLinkException(MqttErrors.describe(e), false,
                    e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT));
        } catch (RuntimeException e) {
            result.completeExceptionally(new MqttLinkException(MqttErrors.describe(e), false));
        }
        return result;
    }

    @Override
    public void subscribe(List<String> topicFilters, MessageListener listener) {
        Subscription s = new Subscription(List.copyOf(topicFilters), listener);
        subscriptions.add(s);
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            run(() -> {
                if (client == c) {
                    subscribeOn(c, s, false);
                }
            });
        }
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
        if (status.state() == State.CONNECTED) {
            run(() -> notifyConnected(listener, true));
        }
    }

    @Override
    public void removeConnectionListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    private static void notifyConnected(ConnectionListener l, boolean sessionPresent) {
        try {
            l.connected(sessionPresent);
        } catch (RuntimeException e) {
            LOG.error("MQTT connection listener failed", e);
        }
    }

    private static void notifyDisconnected(ConnectionListener l, String reason) {
        try {
            l.disconnected(reason);
        } catch (RuntimeException e) {
            LOG.error("MQTT connection listener failed", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            loop.submit(() -> {
                MqttAsyncClient c = client;
                client = null;
                if (c != null) {
                    try {
                        c.disconnect(0, null, null, DISCONNECT_WITH_WILL, new MqttProperties()).waitForCompletion(2000);
                    } catch (Exception e) {
                        LOG.debug("MQTT disconnect: {}", MqttErrors.describe(e));
                    }
                    abandon(c);
                    for (ConnectionListener l : listeners) {
                        notifyDisconnected(l, "closed");
                    }
                }
                status = new Status(State.DISCONNECTED, clock.instant(), status.failedAttempts(), status.lastError());
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("MQTT link close: {}", e.toString());
        }
        loop.shutdownNow();
    }

    /** Paho's callback for one client; events of an abandoned client are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String reason = response.getException() != null ? MqttErrors.describe(response.getException())
                    : "broker disconnected: " + MqttErrors.reason(response.getReturnCode())
                            + (response.getReasonString() == null ? "" : " (" + response.getReasonString() + ")");
            run(() -> lost(owner, MqttErrors.safe(reason)));
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("MQTT protocol error: {}", MqttErrors.describe(e));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Messages of a resumed session can arrive before the subscription (and its listener) is
            // made again on this new client: dispatch them by filter here.
            for (Subscription s : subscriptions) {
                for (String f : s.filters()) {
                    if (TopicFilter.matches(f, topic)) {
                        s.listener().message(topic, message.getPayload(), message.isRetained());
                        break;
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
