package io.sitegate.core.config;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic half of a {@link ConfigurableSection}: a capability composes one with its section name,
 * its PID (or factory PID), its validator and the properties that hold lists, and delegates to it.
 * Writing goes through ConfigAdmin (so ConfigAdmin, and the {@code .cfg} file File Install keeps, always
 * show what is in force); the components report to the {@link ConfigLedger}, which is how an apply knows
 * that it took effect, and how a refusal or a timeout puts every PID back.
 */
public final class SectionSupport implements ConfigurableSection {
    private static final Logger LOG = LoggerFactory.getLogger(SectionSupport.class);
    private static final Pattern INSTANCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /** How long an apply waits for the components by default: DS delivers configurations asynchronously. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final String pid;
    private final boolean factory;
    private final ConfigurationAdmin configAdmin;
    private final ConfigLedger ledger;
    private final BiFunction<String, Map<String, String>, List<ConfigProblem>> validator;
    private final Set<String> lists;
    private final Duration timeout;

    private SectionSupport(Builder b) {
        this.name = b.name;
        this.pid = Objects.requireNonNull(b.pid, "pid or factoryPid");
        this.factory = b.factory;
        this.configAdmin = Objects.requireNonNull(b.configAdmin, "configAdmin");
        this.ledger = Objects.requireNonNull(b.ledger, "ledger");
        this.validator = Objects.requireNonNull(b.validator, "validator");
        this.lists = Set.copyOf(b.lists);
        this.timeout = b.timeout;
    }

    /** Starts a section's support. */
    public static Builder builder(String name, ConfigurationAdmin configAdmin, ConfigLedger ledger) {
        return new Builder(name, configAdmin, ledger);
    }

    /** Builds a {@link SectionSupport}. */
    public static final class Builder {
        private final String name;
        private final ConfigurationAdmin configAdmin;
        private final ConfigLedger ledger;
        private String pid;
        private boolean factory;
        private BiFunction<String, Map<String, String>, List<ConfigProblem>> validator;
        private Set<String> lists = Set.of();
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(String name, ConfigurationAdmin configAdmin, ConfigLedger ledger) {
            this.name = Objects.requireNonNull(name, "name");
            this.configAdmin = configAdmin;
            this.ledger = ledger;
        }

        /** The section is the one configuration {@code pid}. */
        public Builder singleton(String pid) {
            this.pid = pid;
            this.factory = false;
            return this;
        }

        /** The section is every factory configuration {@code factoryPid~<name>}. */
        public Builder factory(String factoryPid) {
            this.pid = factoryPid;
            this.factory = true;
            return this;
        }

        /** Checks one PID's normalised values; every problem, unknown properties included. */
        public Builder validator(BiFunction<String, Map<String, String>, List<ConfigProblem>> validator) {
            this.validator = validator;
            return this;
        }

        /** Properties whose value is a comma-separated list: the diff says what was added, removed or reordered. */
        public Builder lists(String... keys) {
            this.lists = Set.of(keys);
            return this;
        }

        /** How long an apply waits for every component to report. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public SectionSupport build() {
            return new SectionSupport(this);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Registers this section as a {@link ConfigurableSection} service of {@code context}'s bundle, with
     * the {@link ConfigurableSection#SECTION} property; unregister it when the capability stops.
     */
    public org.osgi.framework.ServiceRegistration<ConfigurableSection> register(org.osgi.framework.BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SECTION, name);
        return context.registerService(ConfigurableSection.class, this, props);
    }

    @Override
    public String pid() {
        return pid;
    }

    @Override
    public boolean factory() {
        return factory;
    }

    /** The section with its PID filled in (a singleton section without it means all defaults). */
    private ConfigSection complete(ConfigSection proposed) {
        if (factory || proposed.configurations().containsKey(pid)) {
            return proposed;
        }
        Map<String, Map<String, String>> all = new TreeMap<>(proposed.configurations());
        all.put(pid, Map.of());
        return new ConfigSection(proposed.name(), all);
    }

    @Override
    public List<ConfigProblem> validate(ConfigSection proposed) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!proposed.name().equals(name)) {
            problems.add(new ConfigProblem(pid, "", proposed.name(), "this is section '" + name + "', not '" + proposed.name() + "'"));
        }
        for (Map.Entry<String, Map<String, String>> e : complete(proposed).configurations().entrySet()) {
            String p = e.getKey();
            if (factory) {
                if (!p.startsWith(pid + "~") || !INSTANCE.matcher(p.substring(pid.length() + 1)).matches()) {
                    problems.add(new ConfigProblem(p, "", "", "not a configuration of section '" + name + "' (expected " + pid
                            + "~<name>, the name 1-32 characters of a-z, 0-9 and '-')"));
                    continue;
                }
            } else if (!p.equals(pid)) {
                problems.add(new ConfigProblem(p, "", "", "not a configuration of section '" + name + "' (expected " + pid + ")"));
                continue;
            }
            try {
                problems.addAll(validator.apply(p, e.getValue()));
            } catch (RuntimeException ex) {
                problems.add(new ConfigProblem(p, "", "", "cannot be validated: " + ex));
            }
        }
        return problems;
    }

    @Override
    public List<ConfigChange> diff(ConfigSection proposed) {
        return ConfigDiff.between(snapshot(), complete(proposed), lists);
    }

    @Override
    public ConfigSection snapshot() {
        if (factory) {
            return new ConfigSection(name, ledger.inForceUnder(pid));
        }
        return ConfigSection.of(name, pid, ledger.inForce(pid).orElse(Map.of()));
    }

    @Override
    public void restore(ConfigSection snapshot) throws ConfigRefusedException, InterruptedException {
        apply(snapshot, "restored snapshot");
    }

    @Override
    public synchronized ConfigSection apply(ConfigSection proposed, String source) throws ConfigRefusedException, InterruptedException {
        List<ConfigProblem> problems = validate(proposed);
        if (!problems.isEmpty()) {
            throw new ConfigRefusedException(name, problems);
        }
        ConfigSection target = complete(proposed);
        Map<String, Dictionary<String, Object>> before = readAll();
        // Every PID to write (changed or not in force) and every factory PID to delete.
        Map<String, Map<String, String>> writes = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : target.configurations().entrySet()) {
            Dictionary<String, Object> now = before.get(e.getKey());
            boolean same = now != null && ConfigSection.normaliseProperties(now).equals(e.getValue())
                    && ledger.inForce(e.getKey()).map(e.getValue()::equals).orElse(false);
            if (!same) {
                writes.put(e.getKey(), e.getValue());
            }
        }
        List<String> deletes = new ArrayList<>();
        if (factory) {
            for (String existing : before.keySet()) {
                if (!target.configurations().containsKey(existing)) {
                    deletes.add(existing);
                }
            }
        }
        Optional<ConfigOwner> owner = ledger.owner(name);
        ledger.managed(target, source);
        long mark = ledger.mark();
        List<ConfigProblem> failures = new ArrayList<>();
        List<String> touched = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, String>> e : writes.entrySet()) {
                touched.add(e.getKey());
                write(e.getKey(), e.getValue(), before.get(e.getKey()));
            }
            for (String p : deletes) {
                touched.add(p);
                delete(p);
            }
            for (Map.Entry<String, Map<String, String>> e : writes.entrySet()) {
                outcome(e.getKey(), e.getValue(), mark, failures);
            }
            for (String p : deletes) {
                outcome(p, null, mark, failures);
            }
        } catch (IOException e) {
            failures.add(new ConfigProblem(touched.isEmpty() ? pid : touched.get(touched.size() - 1), "", "",
                    "ConfigAdmin cannot store it: " + e.getMessage()));
        }
        if (failures.isEmpty()) {
            LOG.info("section {}: applied from {} ({} configuration(s) changed, {} removed)", name, source, writes.size(), deletes.size());
            return snapshot();
        }
        LOG.error("section {}: apply from {} failed, putting back the previous configuration: {}", name, source, failures);
        rollBack(touched, before, owner);
        throw new ConfigRefusedException(name, failures);
    }

    private void outcome(String p, Map<String, String> expected, long mark, List<ConfigProblem> failures) throws InterruptedException {
        ConfigLedger.Outcome o = ledger.await(p, expected, mark, timeout);
        switch (o) {
            case IN_FORCE, WITHDRAWN -> { }
            case REFUSED -> {
                List<ConfigProblem> why = ledger.refusal(p);
                failures.addAll(why.isEmpty() ? List.of(new ConfigProblem(p, "", "", "refused by its component")) : why);
            }
            case TIMEOUT -> failures.add(new ConfigProblem(p, "", "", expected == null
                    ? "its component did not stop within " + timeout.toSeconds() + " s"
                    : "its component did not put it in force within " + timeout.toSeconds()
                    + " s (is the capability's bundle running? see sitegate:status)"));
        }
    }

    private void rollBack(List<String> touched, Map<String, Dictionary<String, Object>> before, Optional<ConfigOwner> owner)
            throws InterruptedException {
        long mark = ledger.mark();
        if (owner.isPresent()) {
            ledger.managed(owner.get().values(), owner.get().source());
        } else {
            ledger.unmanaged(name);
        }
        for (String p : touched) {
            try {
                Dictionary<String, Object> old = before.get(p);
                if (old == null) {
                    delete(p);
                } else {
                    Configuration c = existing(p).orElse(null);
                    if (c == null) {
                        c = create(p);
                    }
                    java.nio.file.Path file = CfgFiles.fileOf(old.get("felix.fileinstall.filename"));
                    if (file != null) {
                        CfgFiles.write(file, ConfigSection.normaliseProperties(old), "section " + name + ", put back");
                    }
                    c.update(old);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("section {}: cannot put {} back: {}", name, p, e.toString());
            }
        }
        for (String p : touched) {
            Dictionary<String, Object> old = before.get(p);
            ConfigLedger.Outcome o = ledger.await(p, old == null ? null : ConfigSection.normaliseProperties(old), mark, timeout);
            if (o != ConfigLedger.Outcome.IN_FORCE && o != ConfigLedger.Outcome.WITHDRAWN) {
                LOG.error("section {}: {} put back in ConfigAdmin, its component reports {}", name, p, o);
            }
        }
    }

    private void write(String p, Map<String, String> values, Dictionary<String, Object> previous) throws IOException {
        Configuration c = existing(p).orElse(null);
        if (c == null) {
            c = create(p);
        }
        Hashtable<String, Object> d = new Hashtable<>(values);
        if (previous != null && previous.get("felix.fileinstall.filename") != null) {
            // the same etc/*.cfg file keeps the change, written atomically first (CfgFiles: not by File Install)
            d.put("felix.fileinstall.filename", previous.get("felix.fileinstall.filename"));
            java.nio.file.Path file = CfgFiles.fileOf(previous.get("felix.fileinstall.filename"));
            if (file != null) {
                CfgFiles.write(file, values, "section " + name);
            }
        }
        c.update(d);
    }

    private Configuration create(String p) throws IOException {
        if (factory) {
            return configAdmin.getFactoryConfiguration(pid, p.substring(pid.length() + 1), null);
        }
        return configAdmin.getConfiguration(p, null);
    }

    private void delete(String p) throws IOException {
        Optional<Configuration> c = existing(p);
        if (c.isPresent()) {
            Dictionary<String, Object> props = c.get().getProperties();
            java.nio.file.Path file = props == null ? null : CfgFiles.fileOf(props.get("felix.fileinstall.filename"));
            if (file != null) {
                CfgFiles.delete(file);
            }
            c.get().delete();
        }
    }

    private Optional<Configuration> existing(String p) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + p + ")");
            return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad PID " + p, e);
        }
    }

    /** The section's configurations as ConfigAdmin holds them now, with their framework properties. */
    private Map<String, Dictionary<String, Object>> readAll() throws ConfigRefusedException {
        Map<String, Dictionary<String, Object>> all = new TreeMap<>();
        try {
            String filter = factory ? "(service.factoryPid=" + pid + ")" : "(service.pid=" + pid + ")";
            Configuration[] found = configAdmin.listConfigurations(filter);
            if (found != null) {
                for (Configuration c : found) {
                    Dictionary<String, Object> props = c.getProperties();
                    if (props != null) {
                        all.put(c.getPid(), props);
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new ConfigRefusedException(name, List.of(new ConfigProblem(pid, "", "", "ConfigAdmin cannot be read: " + e.getMessage())));
        }
        return all;
    }

}
