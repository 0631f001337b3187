package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.CellularException;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.QuotaStatus;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.StateStoreException;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.SessionState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cellular policy on one modem, around its {@link CellularGate}: decides at every status the
 * modem's keeper (or the periodic quota check) hands it, learns the binding once the session is up,
 * raises the gate's events, sends the binding alert SMS, and persists binding and ledger. Every state
 * write goes through the one {@code writer} executor, in order, so a reset can never be overtaken by
 * an older learning; decisions never wait for the disk. Thread-safe.
 */
final class ModemGuard {
    /** Sends the binding alert; called once per violation, must not block the caller. */
    interface Alerts {
        void send(String modem, String number, String text);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModemGuard.class);
    private static final Duration LEDGER_WRITE_INTERVAL = Duration.ofSeconds(60);
    private static final long ADMIN_WRITE_TIMEOUT_SECONDS = 10;

    private final String modemId;
    private final CellularGate gate;
    private final CellularStates states;
    private final Clock clock;
    private final Consumer<CellularEvent> events;
    private final Executor writer;
    private final Alerts alerts;

    private GateDecision lastDecision = GateDecision.allow();
    private Optional<BindingVerdict> lastVerdict = Optional.empty();
    private Optional<Instant> checked = Optional.empty();
    private Instant lastStatusTime = Instant.MIN;
    private Instant lastLedgerWrite = Instant.MIN;
    private QuotaStatus lastQuota;
    private volatile Optional<String> writeProblem = Optional.empty();

    ModemGuard(String modemId, CellularPolicy policy, CellularStates states, Clock clock, Consumer<CellularEvent> events,
               Executor writer, Alerts alerts) {
        this.modemId = modemId;
        this.states = states;
        this.clock = clock;
        this.events = events;
        this.writer = writer;
        this.alerts = alerts;
        this.gate = new CellularGate(modemId, policy, states.loadBinding(modemId, clock, policy.binding()),
                states.loadLedger(modemId, clock, policy.quota()));
        this.lastQuota = gate.ledger().status();
    }

    /** Decides on the data session from the modem's status; an older status than one already seen changes nothing. */
    synchronized GateDecision check(ModemStatus status) {
        if (status.updated().isBefore(lastStatusTime)) {
            return lastDecision; // counting an older snapshot again would look like a counter reset
        }
        lastStatusTime = status.updated();
        GateOutcome outcome = gate.evaluate(status);
        outcome.events().forEach(this::raise);
        if (outcome.events().stream().anyMatch(e -> e.topic().equals(SitegateTopics.BINDING_VIOLATED))) {
            alert(outcome.binding());
        }
        if (status.session() == SessionState.UP) {
            gate.sessionUp(status).ifPresent(change -> {
                LOG.info("modem {}: SIM {} bound to IMEI {} (auto)", modemId, change.binding().get().iccid(),
                        change.binding().get().imei());
                write(() -> states.persist(modemId, change), "learned binding");
                raise(gate.event(change));
            });
        }
        noteCycle();
        persistLedger(!outcome.events().isEmpty());
        lastDecision = outcome.decision();
        lastVerdict = Optional.of(outcome.binding());
        checked = Optional.of(clock.instant());
        return lastDecision;
    }

    synchronized GateDecision lastDecision() {
        return lastDecision;
    }

    /** Takes a new policy; the next check decides under it. */
    synchronized void updatePolicy(CellularPolicy policy) {
        gate.updatePolicy(policy).forEach(this::raise);
        noteCycle();
        persistLedger(true);
    }

    private void noteCycle() {
        QuotaStatus now = gate.ledger().status();
        if (!now.cycle().start().toInstant().isBefore(lastQuota.cycle().end().toInstant())) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("modem", modemId);
            p.put("start", now.cycle().start().toInstant().toString());
            p.put("end", now.cycle().end().toInstant().toString());
            p.put("previousDataUsed", lastQuota.data().used());
            raise(new CellularEvent(SitegateTopics.QUOTA_CYCLE, p));
        }
        lastQuota = now;
    }

    /** Whether an SMS may be sent now (the sent-SMS quota with action block). */
    GateDecision checkSmsSend() {
        return gate.checkSmsSend();
    }

    private void alert(BindingVerdict verdict) {
        Optional<String> number = gate.policy().binding().alertNumber();
        if (number.isEmpty()) {
            return;
        }
        GateDecision sms = gate.checkSmsSend();
        if (!sms.allowed()) {
            LOG.warn("modem {}: binding alert SMS not sent: {}", modemId, sms.reason());
            return;
        }
        String text = "Sitegate: SIM/modem binding violated on modem " + modemId + ", data refused: " + verdict.reason();
        alerts.send(modemId, number.get(), text.length() > 160 ? text.substring(0, 157) + "..." : text);
    }

    private void raise(CellularEvent event) {
        if (event.properties().containsKey("modem")) {
            events.accept(event);
            return;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("modem", modemId);
        p.putAll(event.properties());
        events.accept(new CellularEvent(event.topic(), p));
    }

    private void persistLedger(boolean now) {
        Instant t = clock.instant();
        if (gate.ledger().dirty() && (now || !t.isBefore(lastLedgerWrite.plus(LEDGER_WRITE_INTERVAL)))) {
            lastLedgerWrite = t;
            write(() -> states.persistIfChanged(modemId, gate.ledger()), "quota counters");
        }
    }

    private interface StateWrite {
        void run() throws StateStoreException;
    }

    private void write(StateWrite w, String what) {
        writer.execute(() -> {
            try {
                w.run();
                writeProblem = Optional.empty();
            } catch (StateStoreException | RuntimeException e) {
                LOG.error("modem {}: cannot persist the {}: {}", modemId, what, e.getMessage());
                writeProblem = Optional.of("cannot persist the " + what + ": " + e.getMessage());
            }
        });
    }

    /** Writes the ledger now, on the calling thread (deactivation, modem removed). */
    void flush() {
        try {
            states.persistIfChanged(modemId, gate.ledger());
        } catch (StateStoreException | RuntimeException e) {
            LOG.error("modem {}: cannot persist the quota counters: {}", modemId, e.getMessage());
        }
    }

    /** Deletes the stored binding first, then forgets it: either both happen or neither. */
    Optional<BindingChange> resetBinding(String by) throws CellularException {
        ImeiBinding binding = gate.binding();
        if (binding.learned().isEmpty() && binding.unreadableState().isEmpty()) {
            return Optional.empty();
        }
        awaitWrite(() -> states.clearBinding(modemId), "reset the binding");
        Optional<BindingChange> change = gate.resetBinding(by);
        change.ifPresent(c -> {
            LOG.warn("modem {}: SIM/modem binding reset by {}", modemId, by);
            raise(gate.event(c));
        });
        return change;
    }

    private void awaitWrite(StateWrite w, String what) throws CellularException {
        try {
            CompletableFuture.runAsync(() -> {
                try {
                    w.run();
                } catch (StateStoreException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }, writer).get(ADMIN_WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CellularException("cannot " + what + " on modem " + modemId + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new CellularException("cannot " + what + " on modem " + modemId + ": the state store did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellularException("interrupted", e);
        }
    }

    QuotaOverride grantOverride(OptionalLong extraBytes, String by) {
        QuotaOverride o = gate.ledger().grantOverride(extraBytes, by);
        overrideEvent("granted", extraBytes.orElse(-1), by, o.expires().toString());
        return o;
    }

    boolean clearOverride(String by) {
        boolean had = gate.ledger().clearOverride();
        if (had) {
            overrideEvent("cleared", 0, by, "");
        }
        return had;
    }

    private synchronized void overrideEvent(String action, long extra, String by, String expires) {
        LOG.warn("modem {}: quota override {} by {}", modemId, action, by);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("modem", modemId);
        p.put("action", action);
        p.put("extraBytes", extra);
        p.put("by", by);
        p.put("expires", expires);
        raise(new CellularEvent(SitegateTopics.QUOTA_OVERRIDE, p));
        persistLedger(true);
    }

    synchronized ModemPolicyStatus view(RadioPolicyStatus radio) {
        ImeiBinding binding = gate.binding();
        Optional<String> problem = binding.unreadableState().map(p -> "learned binding unreadable: " + p).or(() -> writeProblem);
        return new ModemPolicyStatus(modemId, lastDecision, lastVerdict, binding.learned(), problem,
                gate.ledger().status(), radio, checked);
    }
}
