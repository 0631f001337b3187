package io.sitegate.dns.internal;

import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.StateStore;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
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
import java.util.ArrayList;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS forwarder as a service (PID {@code io.sitegate.dns}). A configuration change that validates
 * replaces the running one (the cache is kept when its settings did not change); one that does not is
 * refused, logged, shown in the health and reported to the {@link ConfigLedger}, and the forwarder keeps
 * serving on the previous one.
 */
@Component(service = {DnsForwarder.class, DnsFirewall.class}, configurationPid = DnsConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DnsForwarderConfig.class)
public final class DnsForwarderComponent implements DnsForwarder, DnsFirewall {

    private static final Logger LOG = LoggerFactory.getLogger(DnsForwarderComponent.class);
    static final String CAPABILITY = "dns";

    private final HealthRegistry health;
    private final FirewallEngine firewall;
    private final List<ResolvedNameListener> resolvedListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final ConfigLedger ledger;
    private final String pid;
    private volatile ForwarderRuntime runtime;
    private volatile String refusal;
    private FirewallLists firewallLists;

    @Activate
    public DnsForwarderComponent(@Reference HealthRegistry health, @Reference StateStore store,
                                 @Reference ConfigLedger ledger, Map<String, Object> properties) {
        this.health = health;
        this.ledger = ledger;
        this.pid = pidOf(properties);
        Parsed parsed = parse(properties);
        DnsConfig config = parsed.config();
        FirewallLists lists = parsed.lists();
        this.firewall = new FirewallEngine(config.firewall().mode(), store);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-dns-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            start(config, lists, properties);
        } catch (InvalidConfigurationException e) {
            timer.shutdownNow();
            throw e;
        }
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * A changed configuration: it is put in force only if it parses, its files load, its TLS trust builds
     * and every listener the running forwarder had binds again; otherwise the running forwarder keeps
     * serving on the previous configuration (rebuilt on it if the new one had already taken its ports).
     */
    @Modified
    void modified(Map<String, Object> properties) {
        try {
            Parsed parsed = parse(properties);
            start(parsed.config(), parsed.lists(), properties);
        } catch (InvalidConfigurationException e) {
            // refused and reported by parse() or start(); the previous configuration serves
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        ForwarderRuntime r = runtime;
        if (r != null) {
            r.close();
        }
        health.withdraw(CAPABILITY);
        ledger.withdrawn(pid);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addResolvedNameListener(ResolvedNameListener l) {
        resolvedListeners.add(l);
        ForwarderRuntime r = runtime;
        if (r != null) {
            r.replay(l);
        }
    }

    void removeResolvedNameListener(ResolvedNameListener l) {
        resolvedListeners.remove(l);
    }

    private record Parsed(DnsConfig config, FirewallLists lists) {
    }

    /** The configuration and its firewall lists, or refused (reported) with every problem. */
    private Parsed parse(Map<String, ?> properties) {
        try {
            DnsConfig config = DnsConfig.from(properties);
            return new Parsed(config, FirewallLists.load(config));
        } catch (InvalidConfigurationException e) {
            refuse(properties, e);
            throw e;
        }
    }

    private static String pidOf(Map<String, ?> properties) {
        Object p = properties.get("service.pid");
        return p == null ? DnsConfig.PID : p.toString();
    }

    private void refuse(Map<String, ?> properties, InvalidConfigurationException e) {
        boolean running = runtime != null;
        refusal = DnsConfig.PID + ": " + e.getMessage() + (running ? " (the previous configuration stays in force)" : "");
        LOG.error(SafeText.escape(refusal));
        health.report(CAPABILITY, running ? HealthState.DEGRADED : HealthState.DOWN, refusal);
        ledger.refused(pid, properties, e.problems().stream()
                .map(p -> new ConfigProblem(pid, p.property(), p.value(), p.reason())).toList());
    }

    /** The configuration's firewall lists (inline and files), loaded and checked before anything changes. */
    record FirewallLists(Set<String> allow, Set<String> deny) {
        static FirewallLists load(DnsConfig c) {
            Set<String> allow = new HashSet<>(c.firewall().allow());
            Set<String> deny = new HashSet<>(c.firewall().deny());
            read("firewall.allowFile", c.firewall().allowFile(), allow);
            read("firewall.denyFile", c.firewall().denyFile(), deny);
            for (Set<String> set : List.of(allow, deny)) {
                for (String p : set) {
                    String problem = DomainPatterns.problem(p);
                    if (problem != null) {
                        throw new InvalidConfigurationException(set == allow ? "firewall.allow" : "firewall.deny", p, problem);
                    }
                }
            }
            return new FirewallLists(allow, deny);
        }

        private static void read(String property, String file, Set<String> into) {
            if (file.isEmpty()) {
                return;
            }
            try {
                into.addAll(DomainListFile.load(Path.of(file)));
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidConfigurationException(property, file, e.getMessage());
            }
        }
    }

    private synchronized void start(DnsConfig config, FirewallLists lists, Map<String, ?> properties) {
        ForwarderRuntime previous = runtime;
        FirewallLists previousLists = firewallLists;
        AnswerCache cache = previous != null && previous.config.cache().equals(config.cache())
                ? previous.cache : new AnswerCache(config.cache().maxEntries(), config.cache().maxBytes());
        ForwarderRuntime next;
        try {
            // Everything that can fail without a port (TLS trust, upstreams, pools) fails here, while the previous serves.
            next = new ForwarderRuntime(config, cache, firewall, TlsTrust.context(config.tlsCa()), this::tunnelUp,
                    resolvedListeners);
        } catch (InvalidConfigurationException e) {
            refuse(properties, e);
            throw e;
        }
        if (previous != null) {
            previous.close(); // frees the ports before the new listeners bind them
        }
        setFirewall(config, lists);
        next.bindPending();
        // A listener that cannot bind (port taken, address gone) makes a change fail; one waiting for its
        // interface does not (interfaces may come later, as at boot).
        List<String> lost = next.status().listeners().stream()
                .filter(l -> !l.bound() && !l.error().startsWith("waiting"))
                .map(l -> l.protocol() + " " + l.address() + ": " + l.error()).toList();
        if (!lost.isEmpty() && previous != null) {
            next.close();
            ForwarderRuntime back = new ForwarderRuntime(previous.config, previous.cache, firewall,
                    TlsTrust.context(previous.config.tlsCa()), this::tunnelUp, resolvedListeners);
            setFirewall(previous.config, previousLists);
            back.bindPending();
            runtime = back;
            InvalidConfigurationException e = new InvalidConfigurationException("listen", config.listen(),
                    "cannot listen: " + String.join("; ", lost));
            refuse(properties, e);
            throw e;
        }
        runtime = next;
        firewallLists = lists;
        refusal = null;
        LOG.info("DNS forwarder: {}", next.status().listeners().stream()
                .map(l -> l.protocol() + " " + l.address() + (l.bound() ? "" : " (" + l.error() + ")")).toList());
        reportHealth();
        ledger.inForce(pid, properties);
    }

    private void setFirewall(DnsConfig config, FirewallLists lists) {
        firewall.replaceRules(SOURCE_CONFIG, lists.allow(), lists.deny());
        firewall.setMode(config.firewall().mode());
    }

    private boolean tunnelUp(String capability) {
        return capability.isEmpty() || Routes.reachable(capability, health.get(capability).map(Health::state).orElse(HealthState.DOWN));
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
