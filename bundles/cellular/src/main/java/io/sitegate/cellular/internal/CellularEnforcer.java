package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.CellularException;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.cellular.RecentEvent;
import io.sitegate.core.HealthRegistry;
import io.sitegate.modem.DataSessionGate;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cellular policy enforced on every modem, without OSGi: one {@link ModemGuard} (gate, state, events)
 * and one {@link RadioPolicyApplier} per modem, the health line, and the administrator's actions. The
 * component feeds it modems, policy changes and timer ticks; tests call the same methods.
 * {@link #check} runs on a modem's keeper thread and never waits for the disk or the modem.
 */
final class CellularEnforcer implements DataSessionGate, CellularEnforcement {
    static final String CAPABILITY = "cellular";
    private static final Logger LOG = LoggerFactory.getLogger(CellularEnforcer.class);

    private final CellularPolicyService policies;
    private final CellularStates states;
    private final HealthRegistry health;
    private final Clock clock;
    private final EventJournal journal;
    private final Executor writer;
    private final Executor modemCalls;
    private final Map<String, Modem> modems = new ConcurrentHashMap<>();
    private final Map<String, ModemGuard> guards = new ConcurrentHashMap<>();
    private final Map<String, RadioPolicyApplier> radios = new ConcurrentHashMap<>();
    private CellularPolicy enforced;

    /**
     * @param writer     runs state writes, in order, off the keeper threads
     * @param modemCalls runs calls to a modem that may take seconds (the alert SMS)
     */
    CellularEnforcer(CellularPolicyService policies, CellularStates states, HealthRegistry health, Clock clock,
                     EventJournal journal, Executor writer, Executor modemCalls) {
        this.policies = policies;
        this.states = states;
        this.health = health;
        this.clock = clock;
        this.journal = journal;
        this.writer = writer;
        this.modemCalls = modemCalls;
        this.enforced = policies.current();
    }

    void modemAdded(Modem modem) {
        synchronized (this) {
            radios.put(modem.id(), new RadioPolicyApplier(modem.id(), clock, enforced.network(), enforced.dns()));
        }
        modems.put(modem.id(), modem);
        guard(modem.id());
        publishHealth();
    }

    void modemRemoved(Modem modem) {
        if (modems.remove(modem.id(), modem)) {
            radios.remove(modem.id());
            Optional.ofNullable(guards.get(modem.id())).ifPresent(g -> writer.execute(g::flush));
            publishHealth();
        }
    }

    private synchronized ModemGuard guard(String id) {
        return guards.computeIfAbsent(id, k -> new ModemGuard(k, enforced, states, clock, journal::raise,
                writer, this::sendAlert));
    }

    private void sendAlert(String modemId, String number, String text) {
        modemCalls.execute(() -> {
            Modem m = modems.get(modemId);
            if (m == null) {
                return;
            }
            try {
                m.sendSms(number, text);
                LOG.warn("modem {}: binding alert SMS sent to {}", modemId, number);
            } catch (Exception e) {
                LOG.error("modem {}: binding alert SMS to {} failed: {}", modemId, number, e.getMessage());
            }
        });
    }

    @Override
    /** Whether this modem may send an SMS now (the sent-SMS quota). */
    public GateDecision checkSms(ModemStatus status) {
        return guard(status.id()).checkSmsSend();
    }

    public GateDecision check(ModemStatus status) {
        GateDecision d = guard(status.id()).check(status);
        publishHealth();
        return d;
    }

    /** The periodic quota check: decides on each modem's current status; a flip makes the modem re-check now. */
    void quotaTick() {
        for (Modem m : modems.values()) {
            ModemGuard g = guard(m.id());
            boolean before = g.lastDecision().allowed();
            if (g.check(m.status()).allowed() != before) {
                m.reevaluateGates();
            }
        }
        publishHealth();
    }

    /** A modem's session came up: decide (and learn) now rather than at its next refresh. */
    void sessionUp(String modemId) {
        Modem m = modems.get(modemId);
        if (m != null) {
            guard(modemId).check(m.status());
            publishHealth();
        }
    }

    /** Applies pending radio settings to modems whose link is READY. May block on the modems' answers. */
    void radioTick() {
        for (Modem m : modems.values()) {
            RadioPolicyApplier r = radios.get(m.id());
            if (r != null) {
                r.poll(m);
            }
        }
        publishHealth();
    }

    /** The policy in force changed, or only its refusal did (then only the health changes). */
    void policyChanged(CellularPolicy policy) {
        boolean changed;
        synchronized (this) {
            changed = !policy.equals(enforced);
            enforced = policy;
            if (changed) {
                guards.values().forEach(g -> g.updatePolicy(policy));
                radios.values().forEach(r -> r.want(policy.network(), policy.dns()));
            }
        }
        if (changed) {
            modems.values().forEach(Modem::reevaluateGates);
        }
        publishHealth();
    }

    synchronized void publishHealth() {
        HealthSummary h = HealthSummary.of(policies.current(), policies.refusal(), modems());
        health.report(CAPABILITY, h.state(), h.reason());
    }

    /** Writes every ledger now (deactivation). */
    void flush() {
        guards.values().forEach(ModemGuard::flush);
    }

    @Override
    public List<ModemPolicyStatus> modems() {
        List<ModemPolicyStatus> all = new ArrayList<>();
        for (String id : modems.keySet()) {
            modem(id).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(ModemPolicyStatus::modem));
        return all;
    }

    @Override
    public Optional<ModemPolicyStatus> modem(String id) {
        ModemGuard g = guards.get(id);
        RadioPolicyApplier r = radios.get(id);
        if (g == null || r == null || !modems.containsKey(id)) {
            return Optional.empty();
        }
        return Optional.of(g.view(r.status()));
    }

    private ModemGuard known(String id) throws CellularException {
        ModemGuard g = modems.containsKey(id) ? guards.get(id) : null;
        if (g == null) {
            throw new CellularException("no modem '" + id + "' (known: " + String.join(", ", modems.keySet().stream().sorted().toList()) + ")");
        }
        return g;
    }

    @Override
    public Optional<BindingChange> resetBinding(String modem, String by) throws CellularException {
        Optional<BindingChange> change = known(modem).resetBinding(by);
        after(modem);
        return change;
    }

    @Override
    public QuotaOverride grantQuotaOverride(String modem, OptionalLong extraBytes, String by) throws CellularException {
        QuotaOverride o = known(modem).grantOverride(extraBytes, by);
        after(modem);
        return o;
    }

    @Override
    public boolean clearQuotaOverride(String modem, String by) throws CellularException {
        boolean had = known(modem).clearOverride(by);
        after(modem);
        return had;
    }

    private void after(String modemId) {
        Modem m = modems.get(modemId);
        if (m != null) {
            guard(modemId).check(m.status());
            m.reevaluateGates();
        }
        publishHealth();
    }

    @Override
    public List<RecentEvent> recentEvents() {
        return journal.recent();
    }

    /** For tests and the status: the radio state of a modem. */
    Optional<RadioPolicyStatus> radio(String id) {
        return Optional.ofNullable(radios.get(id)).map(RadioPolicyApplier::status);
    }
}
