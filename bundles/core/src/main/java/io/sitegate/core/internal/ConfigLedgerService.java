package io.sitegate.core.internal;

import io.sitegate.core.SafeText;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.StateStore;
import io.sitegate.core.config.ConfigDrift;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigOwner;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigLedger}: what each component reported in force or refused, and the values applied
 * sections own (persisted as {@code config.managed}, so drift made while the gateway was off is seen at
 * the next start). Drift is checked on every ConfigAdmin event for an owned PID.
 *
 * <p>A section being applied is not drift: {@link #managed} records the new values before they are written,
 * and ConfigAdmin reaches them PID by PID (through File Install, a scan later). Until a check finds the section
 * as applied, or {@link #SETTLE} has passed, a difference is taken for the apply in progress (before, every
 * multi-PID apply logged "configuration drift" warnings and posted CONFIG_DRIFT events to the cloud).
 */
@Component(service = {ConfigLedger.class, ConfigurationListener.class}, immediate = true)
public final class ConfigLedgerService implements ConfigLedger, ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLedgerService.class);
    static final String KEY = "config.managed";
    /** How long a section just applied may differ from ConfigAdmin before the difference is drift. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    private final StateStore store;
    private final ConfigurationAdmin configAdmin;
    private final ScheduledExecutorService checker;
    /** section -> System.nanoTime() of its last {@link #managed} call, until ConfigAdmin has reached it */
    private final Map<String, Long> settling = new HashMap<>();
    private final long settleNanos;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin events;

    private final Map<String, Report> reports = new HashMap<>();
    private long sequence;
    /** section -> (source, pid -> values) */
    private final Map<String, Owned> owned = new TreeMap<>();
    private final Map<String, List<ConfigDrift>> drift = new TreeMap<>();

    private record Report(long seq, Map<String, String> values, boolean accepted, List<ConfigProblem> problems, boolean withdrawn) {
    }

    private record Owned(String source, Map<String, Map<String, String>> pids) {
    }

    @Activate
    public ConfigLedgerService(@Reference StateStore store, @Reference ConfigurationAdmin configAdmin) {
        this(store, configAdmin, true);
    }

    ConfigLedgerService(StateStore store, ConfigurationAdmin configAdmin, boolean checkNow) {
        this(store, configAdmin, checkNow, SETTLE);
    }

    ConfigLedgerService(StateStore store, ConfigurationAdmin configAdmin, boolean checkNow, Duration settle) {
        this.store = store;
        this.configAdmin = configAdmin;
        this.settleNanos = settle.toNanos();
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-config-drift");
            t.setDaemon(true);
            return t;
        });
        load();
        if (checkNow) {
            checker.execute(this::checkAll);
        }
    }

    @Deactivate
    void deactivate() {
        checker.shutdownNow();
    }

    // --- reports from components

    @Override
    public synchronized void inForce(String pid, Map<String, ?> properties) {
        reports.put(pid, new Report(++sequence, ConfigSection.normalise(properties), true, List.of(), false));
        notifyAll();
    }

    @Override
    public void refused(String pid, Map<String, ?> properties, List<ConfigProblem> problems) {
        synchronized (this) {
            Report previous = reports.get(pid);
            // What is in force stays what it was: keep the accepted values beside the refusal.
            reports.put(pid, new Report(++sequence, ConfigSection.normalise(properties), false, List.copyOf(problems), false));
            if (previous != null && previous.accepted()) {
                accepted.put(pid, previous.values());
            }
            notifyAll();
        }
        post(SitegateTopics.CONFIG_REFUSED, Map.of("pid", pid, "reason",
                String.join("; ", problems.stream().map(ConfigProblem::message).toList())));
    }

    /** The last accepted values of PIDs whose latest report is a refusal. */
    private final Map<String, Map<String, String>> accepted = new HashMap<>();

    @Override
    public synchronized void withdrawn(String pid) {
        reports.put(pid, new Report(++sequence, Map.of(), false, List.of(), true));
        accepted.remove(pid);
        notifyAll();
    }

    @Override
    public synchronized Optional<Map<String, String>> inForce(String pid) {
        Report r = reports.get(pid);
        if (r == null || r.withdrawn()) {
            return Optional.empty();
        }
        return r.accepted() ? Optional.of(r.values()) : Optional.ofNullable(accepted.get(pid));
    }

    @Override
    public synchronized Map<String, Map<String, String>> inForceUnder(String pid) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String p : reports.keySet()) {
            if (p.equals(pid) || p.startsWith(pid + "~")) {
                inForce(p).ifPresent(v -> out.put(p, v));
            }
        }
        return out;
    }

    @Override
    public synchronized List<ConfigProblem> refusal(String pid) {
        Report r = reports.get(pid);
        return r == null || r.accepted() || r.withdrawn() ? List.of() : r.problems();
    }

    @Override
    public synchronized Map<String, List<ConfigProblem>> refusals() {
        Map<String, List<ConfigProblem>> out = new TreeMap<>();
        reports.forEach((pid, r) -> {
            if (!r.accepted() && !r.withdrawn()) {
                out.put(pid, r.problems());
            }
        });
        return out;
    }

    @Override
    public synchronized long mark() {
        return sequence;
    }

    @Override
    public synchronized Outcome await(String pid, Map<String, String> expected, long mark, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Report r = reports.get(pid);
            if (r != null && r.seq() > mark) {
                if (expected == null) {
                    if (r.withdrawn()) {
                        return Outcome.WITHDRAWN;
                    }
                } else if (!r.withdrawn() && r.values().equals(expected)) {
                    return r.accepted() ? Outcome.IN_FORCE : Outcome.REFUSED;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Outcome.TIMEOUT;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    // --- ownership and drift

    @Override
    public void managed(ConfigSection section, String source) {
        synchronized (this) {
            owned.put(section.name(), new Owned(source, section.configurations()));
            drift.remove(section.name());
            settling.put(section.name(), System.nanoTime());
        }
        save();
    }

    @Override
    public synchronized Optional<ConfigOwner> owner(String section) {
        Owned o = owned.get(section);
        return o == null ? Optional.empty() : Optional.of(new ConfigOwner(o.source(), new ConfigSection(section, o.pids())));
    }

    @Override
    public void unmanaged(String section) {
        synchronized (this) {
            owned.remove(section);
            drift.remove(section);
            settling.remove(section);
        }
        save();
    }

    @Override
    public synchronized List<ConfigDrift> drift() {
        List<ConfigDrift> all = new ArrayList<>();
        drift.values().forEach(all::addAll);
        return all;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        boolean mine;
        synchronized (this) {
            mine = owned.values().stream().anyMatch(o -> o.pids().containsKey(pid));
        }
        if (mine) {
            checker.execute(this::checkAll);
        }
    }

    /** Compares every owned PID with what ConfigAdmin holds; posts an event for each new drift. */
    void checkAll() {
        Map<String, Owned> snapshot;
        synchronized (this) {
            snapshot = new TreeMap<>(owned);
        }
        for (Map.Entry<String, Owned> e : snapshot.entrySet()) {
            List<ConfigDrift> found = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> p : e.getValue().pids().entrySet()) {
                Optional<Map<String, String>> now = current(p.getKey());
                if (now.isEmpty()) {
                    if (!p.getValue().isEmpty() || p.getKey().contains("~")) {
                        found.add(new ConfigDrift(e.getKey(), p.getKey(), "(configuration)", "present", "(deleted)", e.getValue().source()));
                    }
                    continue;
                }
                Set<String> keys = new TreeSet<>(p.getValue().keySet());
                keys.addAll(now.get().keySet());
                for (String k : keys) {
                    String a = p.getValue().getOrDefault(k, "");
                    String b = now.get().getOrDefault(k, "");
                    if (!a.equals(b)) {
                        found.add(new ConfigDrift(e.getKey(), p.getKey(), k, a, b, e.getValue().source()));
                    }
                }
            }
            List<ConfigDrift> fresh;
            synchronized (this) {
                if (owned.get(e.getKey()) != e.getValue()) {
                    continue; // an apply came in meanwhile
                }
                Long since = settling.get(e.getKey());
                if (since != null) {
                    long left = settleNanos - (System.nanoTime() - since);
                    if (found.isEmpty() || left <= 0) {
                        settling.remove(e.getKey());
                    } else {
                        // still being applied: look again when the settle time is over
                        try {
                            checker.schedule(this::checkAll, left, TimeUnit.NANOSECONDS);
                        } catch (java.util.concurrent.RejectedExecutionException stopped) {
                            LOG.debug("drift check not scheduled: the ledger is stopping");
                        }
                        continue;
                    }
                }
                List<ConfigDrift> before = drift.getOrDefault(e.getKey(), List.of());
                fresh = found.stream().filter(d -> !before.contains(d)).toList();
                if (found.isEmpty()) {
                    drift.remove(e.getKey());
                } else {
                    drift.put(e.getKey(), List.copyOf(found));
                }
            }
            for (ConfigDrift d : fresh) {
                LOG.warn("configuration drift: {}", SafeText.escape(d.toString()));
                post(SitegateTopics.CONFIG_DRIFT, Map.of("section", d.section(), "pid", d.pid(), "property", d.property(),
                        "applied", d.applied(), "local", d.local(), "source", d.source()));
            }
        }
    }

    private Optional<Map<String, String>> current(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Optional.empty();
            }
            return Optional.of(ConfigSection.normaliseProperties(found[0].getProperties()));
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot read configuration {}: {}", pid, e.toString());
            return Optional.of(Map.of());
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin ea = events;
        if (ea != null) {
            ea.postEvent(new Event(topic, properties));
        }
    }

    // --- persistence: one properties document, "source|<section>" and "value|<section>|<pid>|<key>"

    private void save() {
        Properties p = new Properties();
        synchronized (this) {
            owned.forEach((section, o) -> {
                p.setProperty("source|" + section, o.source());
                o.pids().forEach((pid, values) -> {
                    p.setProperty("pid|" + section + "|" + pid, "");
                    values.forEach((k, v) -> p.setProperty("value|" + section + "|" + pid + "|" + k, v));
                });
            });
        }
        try {
            StringWriter w = new StringWriter();
            p.store(w, null);
            store.write(KEY, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error("cannot persist which configuration values policies own: {}", e.getMessage());
        }
    }

    private void load() {
        try {
            Optional<io.sitegate.core.StoredState> s = store.read(KEY);
            if (s.isEmpty()) {
                return;
            }
            Properties p = new Properties();
            p.load(new StringReader(new String(s.get().content(), StandardCharsets.UTF_8)));
            Map<String, String> sources = new TreeMap<>();
            Map<String, Map<String, Map<String, String>>> pids = new TreeMap<>();
            for (String key : p.stringPropertyNames()) {
                String[] f = key.split("\\|", 4);
                if (f[0].equals("source") && f.length == 2) {
                    sources.put(f[1], p.getProperty(key));
                } else if (f[0].equals("pid") && f.length == 3) {
                    pids.computeIfAbsent(f[1], x -> new TreeMap<>()).computeIfAbsent(f[2], x -> new TreeMap<>());
                } else if (f[0].equals("value") && f.length == 4) {
                    pids.computeIfAbsent(f[1], x -> new TreeMap<>()).computeIfAbsent(f[2], x -> new TreeMap<>()).put(f[3], p.getProperty(key));
                }
            }
            sources.forEach((section, source) -> owned.put(section, new Owned(source, pids.getOrDefault(section, Map.of()))));
        } catch (IOException | RuntimeException e) {
            LOG.error("which configuration values policies own is unknown ({}); drift is not reported until the next apply", e.getMessage());
        }
    }

}
