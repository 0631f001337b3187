package io.sitegate.dns.internal;

import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.StateStore;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.LookupResult;
import io.sitegate.dns.ResolvedNameListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS forwarder as a service (PID {@code io.sitegate.dns}). A configuration change that validates
 * replaces the running one (the cache is kept when its settings did not change); one that does not is
 * refused, logged and shown in the health, and the forwarder keeps serving on the previous one.
 */
@Component(service = {DnsForwarder.class, DnsFirewall.class}, configurationPid = DnsConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class DnsForwarderComponent implements DnsForwarder, DnsFirewall {

    private static final Logger LOG = LoggerFactory.getLogger(DnsForwarderComponent.class);
    static final String CAPABILITY = "dns";

    private final HealthRegistry health;
    private final FirewallEngine firewall;
    private final List<ResolvedNameListener> resolvedListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile ForwarderRuntime runtime;
    private volatile String refusal;

    @Activate
    public DnsForwarderComponent(@Reference HealthRegistry health, @Reference StateStore store,
                                 Map<String, Object> properties) {
        this.health = health;
        DnsConfig config = parse(properties);
        if (config == null) {
            throw new IllegalStateException(refusal);
        }
        this.firewall = new FirewallEngine(config.firewall().mode(), store);
        try {
            applyFirewall(config);
        } catch (InvalidConfigurationException e) {
            refuse(e);
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-dns-timer");
            t.setDaemon(true);
            return t;
        });
        start(config, null);
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        DnsConfig config = parse(properties);
        if (config == null) {
            return;
        }
        try {
            applyFirewall(config);
        } catch (InvalidConfigurationException e) {
            refuse(e);
            return;
        }
        start(config, runtime);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        ForwarderRuntime r = runtime;
        if (r != null) {
            r.close();
        }
        health.withdraw(CAPABILITY);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResolvedNameListener(ResolvedNameListener l) {
        resolvedListeners.add(l);
    }

    void removeResolvedNameListener(ResolvedNameListener l) {
        resolvedListeners.remove(l);
    }

    private DnsConfig parse(Map<String, Object> properties) {
        try {
            DnsConfig c = DnsConfig.from(properties);
            refusal = null;
            return c;
        } catch (InvalidConfigurationException e) {
            refuse(e);
            return null;
        }
    }

    private void refuse(InvalidConfigurationException e) {
        boolean running = runtime != null;
        refusal = DnsConfig.PID + ": " + e.getMessage() + (running ? " (the previous configuration stays in force)" : "");
        LOG.error(refusal);
        health.report(CAPABILITY, running ? HealthState.DEGRADED : HealthState.DOWN, refusal);
    }

    /** Loads the configuration's firewall lists (inline and files) as the {@code config} source. */
    private void applyFirewall(DnsConfig c) {
        Set<String> allow = new HashSet<>(c.firewall().allow());
        Set<String> deny = new HashSet<>(c.firewall().deny());
        load("firewall.allowFile", c.firewall().allowFile(), allow);
        load("firewall.denyFile", c.firewall().denyFile(), deny);
        try {
            firewall.replaceRules(SOURCE_CONFIG, allow, deny);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("firewall.allow/deny", e.getMessage(), "not a valid pattern");
        }
        firewall.setMode(c.firewall().mode());
    }

    private static void load(String property, String file, Set<String> into) {
        if (file.isEmpty()) {
            return;
        }
        try {
            into.addAll(DomainListFile.load(Path.of(file)));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigurationException(property, file, e.getMessage());
        }
    }

    private synchronized void start(DnsConfig config, ForwarderRuntime previous) {
        AnswerCache cache = previous != null && previous.config.cache().equals(config.cache())
                ? previous.cache : new AnswerCache(config.cache().maxEntries(), config.cache().maxBytes());
        if (previous != null) {
            previous.close(); // frees the ports before the new listeners bind them
        }
        ForwarderRuntime next;
        try {
            next = new ForwarderRuntime(config, cache, firewall, TlsTrust.context(config.tlsCa()), this::tunnelUp,
                    resolvedListeners);
        } catch (InvalidConfigurationException e) {
            refuse(e);
            throw e;
        }
        next.bindPending();
        runtime = next;
        LOG.info("DNS forwarder: {}", next.status().listeners().stream()
                .map(l -> l.protocol() + " " + l.address() + (l.bound() ? "" : " (" + l.error() + ")")).toList());
        reportHealth();
    }

    private boolean tunnelUp(String capability) {
        return capability.isEmpty() || health.get(capability).map(Health::state).orElse(HealthState.DOWN) == HealthState.UP;
    }

    // Synchronized with start(): a tick must never bind listeners for a runtime being replaced.
    private synchronized void tick() {
        try {
            ForwarderRuntime r = runtime;
            r.tick();
            r.bindPending();
            reportHealth();
        } catch (RuntimeException e) {
            LOG.warn("DNS housekeeping: {}", e.toString());
        }
    }

    private void reportHealth() {
        if (refusal != null) {
            return;
        }
        Map.Entry<HealthState, String> h = runtime.health();
        health.report(CAPABILITY, h.getKey(), h.getValue());
    }

    // --- DnsForwarder

    @Override
    public ForwarderStatus status() {
        return runtime.status();
    }

    @Override
    public int flushCache() {
        return runtime.cache.flush();
    }

    @Override
    public CompletionStage<LookupResult> lookup(String name, String type, Duration timeout) {
        return LocalLookup.run(runtime.forwarder, name, type, timeout);
    }

    // --- DnsFirewall

    @Override
    public FirewallMode mode() {
        return firewall.mode();
    }

    @Override
    public void replaceRules(String source, Set<String> allow, Set<String> deny) {
        firewall.replaceRules(source, allow, deny);
    }

    @Override
    public void allow(String pattern) {
        firewall.allow(pattern);
    }

    @Override
    public void deny(String pattern) {
        firewall.deny(pattern);
    }

    @Override
    public boolean removeOperatorRule(String pattern) {
        return firewall.removeOperatorRule(pattern);
    }

    @Override
    public FirewallVerdict check(String name) {
        return firewall.check(name);
    }

    @Override
    public List<FirewallRule> rules() {
        return firewall.rules();
    }
}
