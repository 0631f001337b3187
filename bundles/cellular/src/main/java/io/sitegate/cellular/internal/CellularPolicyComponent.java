package io.sitegate.cellular.internal;

import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.Registration;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cellular policy in force (PID {@code io.sitegate.cellular}). A configuration change arrives
 * through {@link #modified} on this same, long-lived instance, so a refused configuration leaves the
 * policy in force untouched; the last valid policy is also persisted ({@link PolicyDocument}), so a
 * gateway that boots with a broken configuration keeps enforcing it instead of falling back to
 * "everything allowed". A missing configuration changes nothing either. Every outcome is reported to the
 * {@link ConfigLedger} (the {@code cellular} section's snapshot is what it says is in force). Health is reported by the
 * enforcement, which combines the {@link #refusal()} with what the gates decide.
 */
@Component(service = CellularPolicyService.class, configurationPid = CellularPolicyComponent.PID, immediate = true)
@Designate(ocd = CellularPolicyConfig.class)
public final class CellularPolicyComponent implements CellularPolicyService {
    static final String PID = "io.sitegate.cellular";
    static final String BUILT_IN = "built-in defaults (nothing enforced)";
    private static final Logger LOG = LoggerFactory.getLogger(CellularPolicyComponent.class);

    private final StateStore store;
    private final Clock clock;
    private final ConfigLedger ledger;
    private final List<Consumer<CellularPolicy>> listeners = new CopyOnWriteArrayList<>();
    private CellularPolicy current;
    private Instant since;
    private Optional<String> refusal = Optional.empty();
    static final String FILE_KEY = PolicyDocument.KEY + ".file";
    private Map<String, String> storedValues = Map.of();
    private String storedSource = "";
    /** The configuration file's values when they were last accepted: an unchanged file does not override a policy applied since. */
    private Map<String, String> lastFileValues = Map.of();

    @Activate
    public CellularPolicyComponent(Map<String, Object> properties, @Reference StateStore store, @Reference ConfigLedger ledger) {
        this(properties, store, Clock.systemUTC(), ledger);
    }

    CellularPolicyComponent(Map<String, ?> properties, StateStore store, Clock clock, ConfigLedger ledger) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.current = CellularPolicy.permissive(BUILT_IN);
        this.since = clock.instant();
        restoreLastValid();
        configure(properties, true);
    }

    /** A configuration delivered while running was changed by someone: it is the newest word. */
    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties, false);
    }

    @Deactivate
    void deactivate() {
        ledger.withdrawn(PID);
    }

    private void restoreLastValid() {
        try {
            Optional<StoredState> file = store.read(FILE_KEY);
            if (file.isPresent()) {
                lastFileValues = PolicyDocument.decode(file.get().content()).values();
            }
        } catch (StateStoreException | InvalidConfigurationException e) {
            LOG.warn("{}: cannot tell whether the configuration file changed ({}); it is applied", PID, e.getMessage());
        }
        try {
            Optional<StoredState> stored = store.read(PolicyDocument.KEY);
            if (stored.isEmpty()) {
                return;
            }
            PolicyDocument.Stored s = PolicyDocument.decode(stored.get().content());
            current = CellularPolicyParser.parse(s.values(), s.source());
            since = s.appliedAt();
            storedValues = s.values();
            storedSource = s.source();
        } catch (StateStoreException | InvalidConfigurationException e) {
            // Nothing valid to fall back on: the built-in defaults apply until a valid policy arrives.
            LOG.error("{}: the last valid cellular policy cannot be read back ({}); {} until a valid one arrives",
                    PID, e.getMessage(), BUILT_IN);
        }
    }

    private void configure(Map<String, ?> properties, boolean atBoot) {
        if (properties.get("service.pid") == null) {
            LOG.info("{}: no configuration; the policy from {} stays in force", PID, currentSource());
            ledger.inForce(PID, inForceValues());
            return;
        }
        String source = sourceOf(properties);
        Map<String, String> flat = PolicyDocument.policyValues(properties);
        synchronized (this) {
            if (atBoot && flat.equals(lastFileValues) && !current.source().equals(BUILT_IN)) {
                // At boot, a file unchanged since it was last accepted does not replace a policy applied
                // since (a signed policy): the restart must not switch the IMEI lock off.
                LOG.info("{}: {} unchanged; the policy from {} stays in force", PID, source, current.source());
                ledger.inForce(PID, inForceValues());
                return;
            }
        }
        try {
            accept(CellularPolicyParser.parse(properties, source), properties);
            if (properties.get("felix.fileinstall.filename") != null) {
                rememberFile(properties, source, flat);
            }
            ledger.inForce(PID, properties);
        } catch (InvalidConfigurationException e) {
            String reason;
            synchronized (this) {
                reason = PID + ": " + e.getMessage() + "; the policy from " + current.source() + " stays in force";
                refusal = Optional.of(reason);
            }
            LOG.error("{}", SafeText.escape(reason));
            if (atBoot) {
                ledger.inForce(PID, inForceValues());
            }
            ledger.refused(PID, properties, e.problems().stream()
                    .map(p -> new ConfigProblem(PID, p.property(), p.value(), p.reason())).toList());
            notifyListeners();
        }
    }

    /** {@code etc/io.sitegate.cellular.cfg} when the configuration came from that file. */
    static String sourceOf(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file == null) {
            return "configuration " + PID;
        }
        try {
            String text = String.valueOf(file);
            Path path = text.startsWith("file:") ? Paths.get(URI.create(text)) : Paths.get(text);
            Path parent = path.getParent();
            return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("etc")
                    ? "etc/" + path.getFileName() : path.toString();
        } catch (RuntimeException e) {
            return String.valueOf(file);
        }
    }

    private synchronized String currentSource() {
        return current.source();
    }

    @Override
    public CellularPolicy validate(Map<String, ?> values, String source) {
        return CellularPolicyParser.parse(values, Objects.requireNonNull(source, "source"));
    }

    private void accept(CellularPolicy policy, Map<String, ?> values) {
        Map<String, String> flat = PolicyDocument.policyValues(values);
        synchronized (this) {
            boolean same = flat.equals(storedValues) && policy.source().equals(storedSource);
            current = policy;
            refusal = Optional.empty();
            if (!same) {
                since = clock.instant();
                persist(values, policy.source());
            }
        }
        LOG.info("{}: cellular policy from {} in force", PID, policy.source());
        notifyListeners();
    }

    /** The values of the policy in force: the last accepted, as persisted; none for the built-in defaults. */
    private synchronized Map<String, String> inForceValues() {
        return storedValues;
    }

    private void persist(Map<String, ?> values, String source) {
        try {
            store.write(PolicyDocument.KEY, PolicyDocument.encode(values, source, since));
            storedValues = PolicyDocument.policyValues(values);
            storedSource = source;
        } catch (StateStoreException e) {
            // Enforced now all the same; only a restart with a broken configuration would miss it.
            LOG.error("{}: the cellular policy from {} is in force but cannot be persisted: {}", PID, source, e.getMessage());
        }
    }

    private void rememberFile(Map<String, ?> properties, String source, Map<String, String> flat) {
        synchronized (this) {
            if (flat.equals(lastFileValues)) {
                return; // nothing new: spare the flash
            }
        }
        try {
            store.write(FILE_KEY, PolicyDocument.encode(properties, source, clock.instant()));
            synchronized (this) {
                lastFileValues = flat;
            }
        } catch (StateStoreException e) {
            LOG.warn("{}: cannot remember the configuration file's state: {}", PID, e.getMessage());
        }
    }

    private void notifyListeners() {
        CellularPolicy policy = current();
        for (Consumer<CellularPolicy> l : listeners) {
            try {
                l.accept(policy);
            } catch (RuntimeException e) {
                LOG.error("cellular policy listener failed", e);
            }
        }
    }

    @Override
    public synchronized CellularPolicy current() {
        return current;
    }

    @Override
    public synchronized Instant since() {
        return since;
    }

    @Override
    public synchronized Optional<String> refusal() {
        return refusal;
    }

    @Override
    public Registration addListener(Consumer<CellularPolicy> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
