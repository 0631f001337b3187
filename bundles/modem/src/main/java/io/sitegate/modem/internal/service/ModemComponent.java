package io.sitegate.modem.internal.service;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.SecretStore;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.modem.AtException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.DataSessionGate;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SmsMessage;
import io.sitegate.modem.UnsupportedCapabilityException;
import io.sitegate.modem.internal.transport.Transports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured modem ({@code io.sitegate.modem~<id>}): its connection keeper, its health
 * ({@code modem/<id>}), its events and its persisted usage. Immediate, so its keeper runs whether or not
 * anyone holds the service. An invalid first configuration is refused with every property named and the
 * modem shown DOWN; an invalid change is refused and the modem keeps running on the configuration in force.
 * Every outcome is reported to the {@link ConfigLedger}.
 */
@Component(service = Modem.class, configurationPid = ModemComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = ModemConfig.class, factory = true)
public final class ModemComponent implements Modem, KeeperEnvironment {
    static final String PID = "io.sitegate.modem";
    private static final Logger LOG = LoggerFactory.getLogger(ModemComponent.class);
    private static final Pattern PLMN = Pattern.compile("\\d{5,6}");
    private static final Pattern NUMBER = Pattern.compile("\\+?\\d{3,20}");

    private final List<DataSessionGate> gates = new CopyOnWriteArrayList<>();
    private final Map<DataSessionGate, Object> enforced = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    private final HealthRegistry health;
    private final StateStore store;
    private final SecretStore secrets;
    private final ConfigLedger ledger;
    private final String pid;
    private volatile ModemSettings settings;
    private volatile String capability;
    private volatile ConnectionKeeper keeper;
    /** What this modem's models do not support: learned once, kept across reconfigurations (new keepers). */
    private final UnsupportedCommands unsupported;
    private Map<String, String> accepted;

    @Activate
    public ModemComponent(Map<String, Object> properties, @Reference HealthRegistry health, @Reference StateStore store,
                          @Reference SecretStore secrets, @Reference ConfigLedger ledger) {
        this.health = health;
        this.store = store;
        this.secrets = secrets;
        this.ledger = ledger;
        this.pid = String.valueOf(properties.getOrDefault("service.pid", PID));
        try {
            this.settings = ModemSettings.from(properties, secrets);
        } catch (InvalidConfigurationException e) {
            String name = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : "modem";
            LOG.error("{}: {}", pid, SafeText.escape(e.getMessage()));
            health.report("modem/" + name.toLowerCase().replaceAll("[^a-z0-9-]", "-"), HealthState.DOWN, pid + ": " + e.getMessage());
            ledger.refused(pid, properties, problems(e));
            throw e;
        }
        this.capability = "modem/" + settings.id();
        this.unsupported = new UnsupportedCommands(settings.id());
        this.keeper = newKeeper(settings);
        LOG.info("modem {}: {}", settings.id(), settings);
        keeper.start();
        accepted = ConfigSection.normalise(properties);
        ledger.inForce(pid, properties);
    }

    /**
     * A changed configuration. One that does not validate is refused and the modem keeps running on the
     * one in force (its data session untouched); a valid one replaces the keeper, which adopts the
     * running session rather than cutting it.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        ModemSettings next;
        try {
            next = ModemSettings.from(properties, secrets);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}: {}; the configuration in force stays", pid, SafeText.escape(e.getMessage()));
            ledger.refused(pid, properties, problems(e));
            return;
        }
        synchronized (this) {
            Map<String, String> values = ConfigSection.normalise(properties);
            if (!values.equals(accepted)) {
                ConnectionKeeper old = keeper;
                old.stop();
                if (!next.id().equals(settings.id())) {
                    health.withdraw(capability);
                }
                settings = next;
                capability = "modem/" + next.id();
                keeper = newKeeper(next);
                LOG.info("modem {}: reconfigured: {}", next.id(), next);
                keeper.start();
                accepted = values;
            }
        }
        ledger.inForce(pid, properties);
    }

    private List<ConfigProblem> problems(InvalidConfigurationException e) {
        return e.problems().stream().map(p -> new ConfigProblem(pid, p.property(), p.value(), p.reason())).toList();
    }

    private ConnectionKeeper newKeeper(ModemSettings s) {
        return new ConnectionKeeper(s, () -> Transports.fromPort(s.port()), this, Clock.systemUTC(), new SecureRandom(), loadLedger(s),
                unsupported);
    }

    @Deactivate
    void deactivate() {
        keeper.stop();
        health.withdraw(capability);
        ledger.withdrawn(pid);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addGate(DataSessionGate gate, Map<String, Object> properties) {
        Object enforces = properties.get(DataSessionGate.ENFORCES);
        if (enforces != null) {
            enforced.put(gate, enforces);
        }
        gates.add(gate);
        ConnectionKeeper k = keeper;
        if (k != null) {
            k.wake();
        }
    }

    void removeGate(DataSessionGate gate) {
        gates.remove(gate);
        enforced.remove(gate);
        ConnectionKeeper k = keeper;
        if (k != null) {
            k.wake();
        }
    }

    /**
     * Refuses new data sessions while the cellular policy is configured but no gate enforces it (its
     * component disabled, its bundle stopping or being updated). A running session is left alone: an
     * update of the cellular bundle must not cut the uplink. Without a cellular policy configured, the
     * modem works alone.
     */
    private final DataSessionGate policyAbsent = status -> status.session() == SessionState.UP ? GateDecision.allow()
            : GateDecision.deny("cellular policy", "configured (" + DataSessionGate.CELLULAR_POLICY
                    + ") but not enforced: its gate is not running (bundle stopped or being updated); no new data session until it is");

    boolean policyConfiguredButNotEnforced() {
        if (enforced.containsValue(DataSessionGate.CELLULAR_POLICY)) {
            return false;
        }
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            return false;
        }
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + DataSessionGate.CELLULAR_POLICY + ")");
            return found != null && found.length > 0;
        } catch (IOException | InvalidSyntaxException e) {
            return true; // cannot tell: fail closed
        }
    }

    private UsageLedger loadLedger(ModemSettings s) {
        try {
            return store.read("modem." + s.id() + ".usage").map(d -> UsageLedger.decode(d.content())).orElseGet(UsageLedger::new);
        } catch (StateStoreException | IllegalArgumentException e) {
            // Counters are not invented: start from zero, say so loudly, keep the bad file for forensics.
            LOG.error("modem {}: stored usage unusable, counting from zero: {}", s.id(), e.getMessage());
            return new UsageLedger();
        }
    }

    private String usageKey() {
        return "modem." + settings.id() + ".usage";
    }

    // --- Modem ---

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public ModemStatus status() {
        return keeper.status();
    }

    @Override
    public ModemIdentity readIdentity() throws ModemException {
        ModemDriver d = driver();
        return call("read identity", () -> d.identity(d.simState()));
    }

    @Override
    public void setRatOrder(List<Rat> order) throws ModemException {
        ModemDriver d = driver();
        call("set RAT order " + order, () -> {
            d.setRats(order);
            return null;
        });
    }

    @Override
    public void selectOperator(String plmn) throws ModemException {
        if (plmn != null && !PLMN.matcher(plmn).matches()) {
            throw new ModemException("not a PLMN (MCC+MNC, 5 or 6 digits): '" + plmn + "'");
        }
        ModemDriver d = driver();
        call("select operator", () -> {
            d.selectOperator(plmn);
            return null;
        });
    }

    @Override
    public void setDnsServers(String primary, String secondary) throws ModemException {
        ModemDriver d = driver();
        call("set DNS servers", () -> {
            d.setDns(settings.cid(), primary, secondary);
            return null;
        });
    }

    @Override
    public void connect() {
        keeper.connect();
    }

    @Override
    public void disconnect() {
        keeper.disconnect();
    }

    @Override
    public void setRadio(boolean on) throws ModemException {
        ModemDriver d = driver();
        call("radio " + (on ? "on" : "off"), () -> {
            d.radio(on);
            return null;
        });
        keeper.wake();
    }

    @Override
    public int sendSms(String number, String text) throws ModemException {
        if (number == null || !NUMBER.matcher(number).matches()) {
            throw new ModemException("not a phone number: '" + number + "' (digits, optionally starting with +)");
        }
        if (text == null || text.isEmpty() || text.length() > 160) {
            throw new ModemException("SMS text must be 1 to 160 characters");
        }
        ModemStatus now = status();
        for (DataSessionGate gate : gates) {
            GateDecision decision;
            try {
                decision = gate.checkSms(now);
            } catch (RuntimeException e) {
                decision = GateDecision.deny(gate.getClass().getSimpleName(), "gate failed: " + e.getMessage());
            }
            if (decision == null || !decision.allowed()) {
                throw new ModemException("modem " + settings.id() + ": SMS refused by "
                        + (decision == null ? gate.getClass().getSimpleName() + ": no decision" : decision.gate() + ": " + decision.reason()));
            }
        }
        ModemDriver d = driver();
        int ref = call("send SMS", () -> d.sendSms(number, text));
        keeper.smsSent();
        return ref;
    }

    @Override
    public List<SmsMessage> listSms() throws ModemException {
        ModemDriver d = driver();
        return call("list SMS", d::listSms);
    }

    @Override
    public void deleteSms(int index) throws ModemException {
        ModemDriver d = driver();
        call("delete SMS " + index, () -> {
            d.deleteSms(index);
            return null;
        });
    }

    @Override
    public AtResponse execute(String command, Duration timeout) throws ModemException {
        ModemDriver d = driver();
        try {
            return call("AT command", () -> d.raw(command, timeout));
        } catch (IllegalArgumentException e) {
            throw new ModemException("invalid AT command: " + e.getMessage(), e);
        }
    }

    @Override
    public void reevaluateGates() {
        keeper.wake();
    }

    private ModemDriver driver() throws ModemException {
        return keeper.driver().orElseThrow(() -> new ModemException("modem " + settings.id() + " is not ready ("
                + status().link() + (status().reason().isEmpty() ? "" : ": " + status().reason()) + ")"));
    }

    private interface ModemCall<T> {
        T run() throws AtException, InterruptedException;
    }

    private <T> T call(String what, ModemCall<T> c) throws ModemException {
        try {
            return c.run();
        } catch (AtException e) {
            throw new ModemException("modem " + settings.id() + ": " + what + " failed: " + e.getMessage(), e);
        } catch (UnsupportedCapabilityException e) {
            throw new ModemException("modem " + settings.id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModemException("modem " + settings.id() + ": " + what + " interrupted", e);
        }
    }

    // --- KeeperEnvironment ---

    @Override
    public List<DataSessionGate> gates() {
        if (policyConfiguredButNotEnforced()) {
            List<DataSessionGate> all = new java.util.ArrayList<>(gates);
            all.add(policyAbsent);
            return all;
        }
        return gates;
    }

    @Override
    public void health(HealthState state, String reason) {
        health.report(capability, state, reason);
    }

    @Override
    public void event(String topic, Map<String, Object> properties) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, properties));
        }
    }

    @Override
    public void saveUsage(byte[] document) {
        try {
            store.write(usageKey(), document);
        } catch (StateStoreException e) {
            LOG.error("modem {}: cannot persist usage: {}", settings.id(), e.getMessage());
        }
    }

    @Override
    public Optional<String> lastIccid() {
        try {
            return store.read("modem." + settings.id() + ".sim").map(s -> new String(s.content(), StandardCharsets.US_ASCII));
        } catch (StateStoreException e) {
            LOG.warn("modem {}: last SIM unknown: {}", settings.id(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void saveIccid(String iccid) {
        try {
            store.write("modem." + settings.id() + ".sim", iccid.getBytes(StandardCharsets.US_ASCII));
        } catch (StateStoreException e) {
            LOG.warn("modem {}: cannot remember the SIM: {}", settings.id(), e.getMessage());
        }
    }
}
