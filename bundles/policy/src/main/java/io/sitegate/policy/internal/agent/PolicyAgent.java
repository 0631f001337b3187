package io.sitegate.policy.internal.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.GatewayStatus;
import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.Registration;
import io.sitegate.core.SafeText;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.StateStore;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;
import io.sitegate.policy.PolicyDocument;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicyVerificationException;
import io.sitegate.policy.internal.PolicyVerifier;
import io.sitegate.policy.internal.apply.ApplyEngine;
import io.sitegate.policy.internal.apply.ApplyResult;
import io.sitegate.policy.internal.apply.ConfirmTimer;
import io.sitegate.policy.internal.apply.HealthCondition;
import io.sitegate.policy.internal.apply.PolicyCheck;
import io.sitegate.policy.internal.audit.AuditEntry;
import io.sitegate.policy.internal.audit.AuditEvent;
import io.sitegate.policy.internal.audit.AuditLog;
import io.sitegate.policy.internal.audit.AuditVerification;
import io.sitegate.policy.internal.mqtt.MqttLink;
import io.sitegate.policy.internal.mqtt.MqttLinkSettings;
import io.sitegate.policy.internal.mqtt.OutboundDelivery;
import io.sitegate.policy.internal.mqtt.OutboundQueue;
import io.sitegate.policy.internal.mqtt.PahoMqttLink;
import io.sitegate.modem.Modem;
import io.sitegate.modem.Modems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy agent: receives signed policies on {@code sitegate/{gw}/policy} and {@code sitegate/group/{g}/policy},
 * verifies them ({@link PolicyVerifier}), applies them as one transaction through the capabilities' configuration
 * sections ({@link ApplyEngine}), and answers on {@code sitegate/{gw}/ack} ({@code received}, then {@code applied},
 * {@code rejected} or {@code rolled_back}); keeps a retained status on {@code sitegate/{gw}/status} (the will says
 * {@code offline}); every outcome goes to the hash-chained audit log. Acks and events wait on disk while the broker is
 * out of reach ({@link OutboundQueue}). Policies are handled one at a time, in arrival order.
 */
@Component(service = PolicyAgent.class, configurationPid = PolicyAgent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = PolicyAgentConfig.class)
public final class PolicyAgent {
    static final String PID = "io.sitegate.policy";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundleContext context;
    private final HealthRegistry health;
    private final String gateway;
    private final Set<String> groups;
    private final MqttLinkSettings linkSettings;
    private final PolicyVerifier verifier;
    private final ApplyEngine engine;
    private final AuditLog audit;
    private final OutboundQueue queue;
    private final MqttLink link;
    private final OutboundDelivery delivery;
    private final ScheduledExecutorService worker;
    private final Map<String, String> lastResult = new ConcurrentHashMap<>();
    private volatile String lastError = "";

    private final RoundTrip roundTrip;
    private final String probeTopic;
    private final java.util.concurrent.atomic.AtomicBoolean statusDue = new java.util.concurrent.atomic.AtomicBoolean();
    private final Registration healthListener;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Modems modems;

    @Activate
    public PolicyAgent(BundleContext context, Map<String, Object> properties, @Reference HealthRegistry health,
                       @Reference StateStore store, @Reference GatewayStatus status) throws IOException {
        this.context = context;
        this.health = health;
        ConfigurationValues v = ConfigurationValues.collecting(PID, properties).defaults(PolicyAgentConfig.class);
        String broker = v.string("broker");
        boolean plain = v.bool("allowPlainTcp");
        String ca = v.string("tls.ca");
        String cert = v.string("tls.cert");
        String key = v.string("tls.key");
        String gw = v.string("gateway");
        String groupText = v.string("groups");
        String keys = v.string("keys");
        int window = (int) v.integer("confirmWindow", 5, 3600);
        int maxBytes = (int) v.integer("maxPolicyBytes", 1024, 4 << 20);
        var problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        if (broker == null) {
            throw new InvalidConfigurationException("broker", "", "required: ssl://host:port");
        }
        this.gateway = gw != null ? gw : status.snapshot().gatewayId();
        Set<String> g = new LinkedHashSet<>();
        if (groupText != null) {
            Arrays.stream(groupText.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(g::add);
        }
        this.groups = Set.copyOf(g);
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Path data = Path.of(System.getProperty("karaf.data", "data"), "sitegate");
        Path keyDir = keys != null ? Path.of(keys) : etc.resolve("policy-keys");
        try {
            this.linkSettings = plain && broker.startsWith("tcp://") ? MqttLinkSettings.plainTcp(broker, gateway)
                    : MqttLinkSettings.tls(broker, gateway, path(ca, "tls.ca"), path(cert, "tls.cert"), path(key, "tls.key"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("broker", broker, e.getMessage());
        }
        try {
            this.verifier = PolicyVerifier.builder().trustKeys(PolicyKeys.readTrustedKeys(keyDir)).gateway(gateway, groups)
                    .maxPayloadBytes(maxBytes).highWaterMark(this::highWaterMark).build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new InvalidConfigurationException("keys", keyDir, "cannot read the trusted policy keys: " + e.getMessage());
        }
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-policy");
            t.setDaemon(true);
            return t;
        });
        this.engine = new ApplyEngine(store, this::section, health, ConfirmTimer.of(worker),
                Duration.ofSeconds(window), this::shippedDefaults, CLOUD_CONNECTION, gateway);
        this.audit = new AuditLog(data.resolve("audit"), Clock.systemUTC(), 4L << 20, 4);
        audit.open();
        this.queue = OutboundQueue.open(data.resolve("outbound"), OutboundQueue.Limits.DEFAULT);
        this.link = new PahoMqttLink(linkSettings);
        this.delivery = new OutboundDelivery(queue, link, 16);
        this.probeTopic = "sitegate/" + gateway + "/probe";
        this.roundTrip = new RoundTrip(nonce -> link.publish(probeTopic, nonce, 1, false), System::nanoTime);
        link.addConnectionListener(new MqttLink.ConnectionListener() {
            @Override
            public void connected(boolean sessionPresent) {
                health.report("mqtt", HealthState.UP, "connected to " + broker);
                worker.execute(PolicyAgent.this::publishStatus);
            }

            @Override
            public void disconnected(String reason) {
                lastError = reason;
                health.report("mqtt", HealthState.DOWN, SafeText.escape(reason));
            }
        });
        health.report("mqtt", HealthState.DOWN, "connecting to " + broker);
        List<String> topics = new ArrayList<>(List.of("sitegate/" + gateway + "/policy"));
        groups.forEach(grp -> topics.add("sitegate/group/" + grp + "/policy"));
        link.subscribe(topics, (topic, payload, retained) -> worker.execute(() -> onPolicy(topic, payload)));
        link.subscribe(List.of(probeTopic), (topic, payload, retained) -> {
            if (roundTrip.echoed(payload)) {
                engine.recheck();
            }
        });
        // the retained status follows the health, at most once a second
        this.healthListener = health.addListener((before, after) -> statusSoon());
        worker.execute(this::recover);
        link.start();
        LOG.info("policy agent: gateway {}, groups {}, broker {}, {} trusted key(s)", gateway, groups, broker, keyDir);
    }

    /**
     * What a fallback keeps from the last-known-good so that the gateway still reaches its cloud: the modems (APN,
     * SIM), the tunnels, the DNS upstreams and listeners, the filter's interfaces, the features (a fallback never
     * uninstalls a capability). The rest goes to the defaults.
     */
    static final Set<String> CLOUD_CONNECTION = Set.of("modem/*", "tunnels/*", "dns/upstreams", "dns/private.upstreams",
            "dns/listen", "dns/wan.interfaces", "dns/route", "dns/private.tunnel", "filter/lan.interfaces", "filter/wan.interfaces",
            "features/*");

    /**
     * The shipped defaults per configuration section: each capability's own defaults (its PID without properties);
     * a factory section (modems, tunnels) has no instances by default and is carried over whole instead.
     */
    private Map<String, ConfigSection> shippedDefaults() {
        Map<String, ConfigSection> d = new java.util.TreeMap<>();
        for (String name : List.of("cellular", "dns", "filter")) {
            section(name).ifPresent(s -> d.put(name, new ConfigSection(name, Map.of(s.pid(), Map.of()))));
        }
        return d;
    }

    private static Path path(String value, String property) {
        if (value == null) {
            throw new InvalidConfigurationException(property, "", "required with an ssl:// broker");
        }
        return Path.of(value);
    }

    private long highWaterMark(String target) {
        return engine == null ? Long.MAX_VALUE : engine.highWaterMark(target);
    }

    private Optional<ConfigurableSection> section(String name) {
        try {
            for (ServiceReference<ConfigurableSection> r : context.getServiceReferences(ConfigurableSection.class,
                    "(" + ConfigurableSection.SECTION + "=" + name + ")")) {
                ConfigurableSection s = context.getService(r);
                if (s != null) {
                    return Optional.of(s);
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            LOG.debug("section {}: {}", name, e.toString());
        }
        return Optional.empty();
    }

    private void recover() {
        try {
            engine.recover().ifPresent(r -> {
                auditAndAck(r.outcome() == ApplyResult.Outcome.FALLBACK ? AuditEvent.FALLBACK : AuditEvent.ROLLED_BACK, r.version(), "", "", r);
                LOG.warn("policy agent: recovered at boot: {} {}", r.outcome(), r.reason());
            });
            reportPolicyHealth();
        } catch (Exception e) {
            LOG.error("policy agent: recovery failed: {}", e.toString(), e);
            health.report("policy", HealthState.DOWN, "recovery at boot failed: " + SafeText.escape(e.toString()));
        }
    }

    /** One policy from the broker (on the worker thread). */
    void onPolicy(String topic, byte[] payload) {
        if (payload.length == 0) {
            return; // a cleared retained message
        }
        PolicyDocument doc;
        try {
            doc = verifier.verify(payload);
        } catch (PolicyVerificationException e) {
            String reason = e.refusal().toString();
            record(new AuditEvent(AuditEvent.REFUSED, 0, topic, "", "rejected", reason));
            ack(0, topicTarget(topic), "rejected", reason, Instant.now());
            post(SitegateTopics.POLICY_REJECTED, Map.of("reason", reason, "topic", topic));
            LOG.warn("policy agent: refused a policy on {}: {}", topic, reason);
            return;
        } catch (RuntimeException e) {
            LOG.error("policy agent: verifying a policy on {} failed: {}", topic, e.toString(), e);
            return;
        }
        Instant received = Instant.now();
        record(new AuditEvent(AuditEvent.RECEIVED, doc.version(), doc.target(), doc.keyId(), "received", ""));
        ack(doc.version(), doc.target(), "received", "", received);
        // the health that matters: the broker reached through a round trip that starts after the apply, and the
        // active tunnel up when the policy touches tunnels
        HealthCondition mqttBack = HealthCondition.allOf(HealthCondition.up("mqtt"), roundTrip.after(System.nanoTime()));
        HealthCondition condition = doc.sections().containsKey("tunnels")
                ? HealthCondition.allOf(mqttBack, HealthCondition.up("tunnels")) : mqttBack;
        try {
            engine.apply(doc, condition).whenComplete((r, failure) -> worker.execute(() -> {
                if (failure != null) {
                    LOG.error("policy agent: version {} failed: {}", doc.version(), failure.toString(), failure);
                    return;
                }
                String type = switch (r.outcome()) {
                    case APPLIED -> AuditEvent.APPLIED;
                    case REJECTED -> AuditEvent.REFUSED;
                    case ROLLED_BACK -> AuditEvent.ROLLED_BACK;
                    case FALLBACK -> AuditEvent.FALLBACK;
                };
                auditAndAck(type, doc.version(), doc.target(), doc.keyId(), r, received);
            }));
        } catch (Exception e) {
            LOG.error("policy agent: applying version {} failed: {}", doc.version(), e.toString(), e);
            ack(doc.version(), doc.target(), "rejected", "the gateway could not start the transaction: " + e.getMessage(), received);
        }
    }

    private void auditAndAck(String type, long version, String target, String keyId, ApplyResult r) {
        auditAndAck(type, version, target, keyId, r, null);
    }

    private void auditAndAck(String type, long version, String target, String keyId, ApplyResult r, Instant receivedAt) {
        String outcome = switch (r.outcome()) {
            case APPLIED -> "applied";
            case REJECTED -> "rejected";
            case ROLLED_BACK -> "rolled_back";
            case FALLBACK -> "fallback";
        };
        record(new AuditEvent(type, version, target, keyId, outcome, r.reason()));
        ack(version, target, outcome, r.reason(), receivedAt, Instant.now());
        lastResult.put("last", "version " + version + " " + outcome + (r.reason().isEmpty() ? "" : ": " + r.reason()));
        post(switch (r.outcome()) {
            case APPLIED -> SitegateTopics.POLICY_APPLIED;
            case REJECTED -> SitegateTopics.POLICY_REJECTED;
            default -> SitegateTopics.POLICY_ROLLED_BACK;
        }, Map.of("version", String.valueOf(version), "target", target, "outcome", outcome, "reason", r.reason()));
        reportPolicyHealth();
        publishStatus();
    }

    private static String topicTarget(String topic) {
        String[] p = topic.split("/");
        return p.length >= 4 && p[1].equals("group") ? "group:" + p[2] : p.length >= 2 ? p[1] : topic;
    }

    private void record(AuditEvent e) {
        AuditEntry entry;
        try {
            entry = audit.append(e);
        } catch (IOException ex) {
            LOG.error("policy agent: audit log: {}", ex.toString());
            return;
        }
        // every entry also goes to the cloud, with its place in the chain
        ObjectNode n = JSON.createObjectNode();
        n.put("gateway", gateway);
        n.put("event", "audit");
        n.put("seq", entry.seq());
        n.put("time", entry.time().toString());
        n.put("type", entry.event().type());
        n.put("version", entry.event().version());
        n.put("target", entry.event().target());
        n.put("keyId", entry.event().keyId());
        n.put("outcome", entry.event().outcome());
        n.put("reason", entry.event().reason());
        n.put("hash", entry.hash());
        queueEvent(n);
    }

    /** An audit entry from another capability's event (binding reset, quota override, operator login, access). */
    void audit(AuditEvent e) {
        try {
            worker.execute(() -> record(e));
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            LOG.warn("policy agent: stopping, audit entry not written: {}", e.type());
        }
    }

    /**
     * The active tunnel changed: the broker is reached over another route with another source address, and the
     * connection over the old one is dead (the site lab saw it hang for a keep-alive and a half, acks and events
     * stuck behind it). Connect again at once.
     */
    void routeChanged(String why) {
        link.reconnect(why);
    }

    /** Another capability's event, for {@code sitegate/{gw}/events}. */
    void sendEvent(String name, Map<String, String> properties) {
        ObjectNode n = JSON.createObjectNode();
        n.put("gateway", gateway);
        n.put("event", name);
        n.put("at", Instant.now().toString());
        ObjectNode p = n.putObject("properties");
        properties.forEach(p::put);
        queueEvent(n);
    }

    private void queueEvent(ObjectNode n) {
        try {
            delivery.send("sitegate/" + gateway + "/events", JSON.writeValueAsBytes(n), 1, false);
        } catch (IOException ex) {
            LOG.error("policy agent: cannot queue an event: {}", ex.toString());
        }
    }

    private void ack(long version, String target, String result, String reason, Instant at) {
        ack(version, target, result, reason, null, at);
    }

    /** An ack: {@code receivedAt} (when the policy arrived, for a final result) and {@code at} (when this happened). */
    private void ack(long version, String target, String result, String reason, Instant receivedAt, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("gateway", gateway);
        n.put("version", version);
        n.put("target", target);
        n.put("result", result);
        n.put("reason", reason);
        if (receivedAt != null) {
            n.put("receivedAt", receivedAt.toString());
        }
        n.put("at", at.toString());
        try {
            delivery.send("sitegate/" + gateway + "/ack", JSON.writeValueAsBytes(n), 1, false);
        } catch (IOException e) {
            LOG.error("policy agent: cannot queue the ack: {}", e.toString());
        }
    }

    /** Publishes the status within a second, once for every burst of changes. */
    private void statusSoon() {
        if (statusDue.compareAndSet(false, true)) {
            try {
                worker.schedule(() -> {
                    statusDue.set(false);
                    publishStatus();
                }, 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                statusDue.set(false); // deactivating
            }
        }
    }

    /** The retained status: online, identity, versions, health, the sections in force ({@link StatusReport}). */
    private void publishStatus() {
        if (link.status().state() != MqttLink.State.CONNECTED) {
            return; // published again at the next connection
        }
        io.sitegate.policy.internal.apply.Journal j;
        try {
            j = engine.journal();
        } catch (Exception e) {
            j = null;
        }
        Map<String, ConfigSection> sections = new java.util.TreeMap<>();
        for (String name : io.sitegate.policy.PolicySections.ALL) {
            section(name).ifPresent(s -> {
                try {
                    sections.put(name, s.snapshot());
                } catch (RuntimeException e) {
                    LOG.debug("policy agent: status: section {}: {}", name, e.toString());
                }
            });
        }
        byte[] payload = StatusReport.online(gateway, groups, identity(),
                String.valueOf(context.getBundle().getHeaders().get("Sitegate-Version")), j, health.snapshot(), sections,
                Instant.now());
        link.publish(linkSettings.statusTopic(), payload, 1, true).exceptionally(e -> {
            LOG.debug("policy agent: status: {}", e.toString());
            return null;
        });
    }

    private Optional<StatusReport.Identity> identity() {
        Modems m = modems;
        if (m == null) {
            return Optional.empty();
        }
        try {
            for (Modem modem : m.all()) {
                var id = modem.status().identity();
                if (id.isPresent()) {
                    return Optional.of(new StatusReport.Identity(id.get().imei(), id.get().iccid()));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("policy agent: modem identity: {}", e.toString());
        }
        return Optional.empty();
    }

    private void reportPolicyHealth() {
        try {
            var j = engine.journal();
            health.report("policy", HealthState.UP, "version " + inForce(j) + " in force ("
                    + String.valueOf(j.phase()).toLowerCase() + ")" + (engine.confirming() ? ", a new policy in its confirm window" : ""));
        } catch (Exception e) {
            health.report("policy", HealthState.DEGRADED, "journal unreadable: " + SafeText.escape(e.toString()));
        }
    }

    /** The confirmed version in force (0: none yet, or the shipped defaults after a fallback). */
    public static long inForce(io.sitegate.policy.internal.apply.Journal j) {
        return j.inForceVersion();
    }

    private void post(String topic, Map<String, String> properties) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, new java.util.HashMap<>(properties)));
        }
    }

    // ---- for the shell ----

    public String gateway() {
        return gateway;
    }

    public Set<String> groups() {
        return groups;
    }

    public MqttLink.Status mqtt() {
        return link.status();
    }

    public int queued() {
        return delivery.pending();
    }

    public long dropped() {
        return queue.dropped();
    }

    public String lastError() {
        return lastError;
    }

    public String lastResult() {
        return lastResult.getOrDefault("last", "none yet");
    }

    public io.sitegate.policy.internal.apply.Journal journal() throws Exception {
        return engine.journal();
    }

    public boolean confirming() {
        return engine.confirming();
    }

    /** A dry run of a signed policy file: verified as if it had arrived, then diffed; nothing applied. */
    public PolicyCheck check(byte[] jws) throws PolicyVerificationException, Exception {
        return engine.check(verifier.verify(jws));
    }

    /** The latest policy entries of the audit trail, oldest first. */
    public List<AuditEntry> policyHistory(int max) throws IOException {
        return audit.tail(max, e -> e.event().type().startsWith("policy."));
    }

    /**
     * An operator's rollback of the policy in force, on the agent's thread (after any policy being handled), acked
     * and audited like any rollback.
     */
    public ApplyResult rollback(String who) throws Exception {
        var done = new java.util.concurrent.CompletableFuture<ApplyResult>();
        worker.execute(() -> {
            try {
                ApplyResult r = engine.rollbackInForce(who);
                var j = engine.journal();
                auditAndAck(r.outcome() == ApplyResult.Outcome.FALLBACK ? AuditEvent.FALLBACK : AuditEvent.ROLLED_BACK,
                        r.version(), j.target(), j.keyId(), r);
                done.complete(r);
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    public List<AuditEntry> audit(int max) throws IOException {
        return audit.tail(max);
    }

    public AuditVerification verifyAudit() throws IOException {
        return audit.verify();
    }

    @Deactivate
    void deactivate() {
        healthListener.close();
        link.close();
        delivery.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            audit.close();
            queue.close();
        } catch (IOException e) {
            LOG.debug("policy agent: closing: {}", e.toString());
        }
        health.withdraw("mqtt");
        health.withdraw("policy");
    }
}
