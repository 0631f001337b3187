package io.sitegate.modem.internal.service;

import io.sitegate.core.HealthState;
import io.sitegate.core.SafeText;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.AtException;
import io.sitegate.modem.DataSessionGate;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.ModemIdentity;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.NetworkRegistration;
import io.sitegate.modem.OperatorSelection;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SignalQuality;
import io.sitegate.modem.SimState;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the keeper knows about its modem, and the transitions that raise events. Written by the
 * keeper thread only; {@link #snapshot()} is safe from any thread.
 */
final class ModemState {
    private static final Logger LOG = LoggerFactory.getLogger(ModemState.class);

    private final ModemSettings settings;
    private final UsageLedger ledger;
    private final Clock clock;
    private volatile ModemStatus snapshot;

    private LinkState link = LinkState.CLOSED;
    private String linkReason = "not opened yet";
    private String profile = "";
    private ModemIdentity identity;
    private SimState sim;
    private boolean pinRejected;
    private NetworkRegistration registration;
    private OperatorSelection operator;
    private SignalQuality signal = SignalQuality.unknown();
    private SessionState session = SessionState.DOWN;
    private String reason = "starting";
    private String address;
    private String pendingEvent;
    private String countersProblem;
    private String identityProblem;
    private boolean identityStale;

    ModemState(ModemSettings settings, UsageLedger ledger, Clock clock) {
        this.settings = settings;
        this.ledger = ledger;
        this.clock = clock;
        publish();
    }

    ModemStatus snapshot() {
        return snapshot;
    }

    UsageLedger ledger() {
        return ledger;
    }

    LinkState link() {
        return link;
    }

    SessionState session() {
        return session;
    }

    void link(LinkState state, String why) {
        link = state;
        linkReason = why;
        if (state == LinkState.CLOSED && session == SessionState.UP) {
            session = SessionState.DOWN;
            reason = why;
            address = null;
        }
        publish();
    }

    void profile(String name) {
        profile = name;
    }

    /** The SIM may have changed under the modem: the identity is read again at the next refresh (shown until then). */
    void forgetIdentity() {
        identityStale = true;
    }

    private int identityFailures;
    private Instant identityRetryAt = Instant.MIN;

    void pinRejected() {
        pinRejected = true;
    }

    /** Reads identity and SIM state; a new ICCID in this modem raises {@code SIM_CHANGED}. */
    void readIdentity(ModemDriver driver, KeeperEnvironment env) throws AtException, InterruptedException {
        sim = driver.simState();
        try {
            identity = driver.identity(sim);
            identityProblem = null;
        } catch (AtException e) {
            if (!driver.channelOpen()) {
                throw e;
            }
            // The modem answers but will not say who it is: no identity, and the gates decide (the
            // SIM binding refuses the session: fail closed). Read again, with back-off, not at every poll.
            if (identityProblem == null) {
                LOG.warn("modem {}: {}", settings.id(), StepFailure.describe("identity", e));
            }
            identity = null;
            identityProblem = e.getMessage();
            identityRetryAt = clock.instant().plus(Backoff.delay(settings.backoffInitial(), settings.backoffMax(),
                    ++identityFailures, ThreadLocalRandom.current()));
            publish();
            return;
        }
        identityFailures = 0;
        String iccid = identity.iccid();
        if (!iccid.isEmpty()) {
            Optional<String> last = env.lastIccid();
            if (last.isPresent() && !last.get().equals(iccid)) {
                env.event(SitegateTopics.MODEM_SIM_CHANGED, Map.of("modem", settings.id(), "oldIccid", last.get(),
                        "newIccid", iccid));
            }
            if (last.isEmpty() || !last.get().equals(iccid)) {
                env.saveIccid(iccid);
            }
        }
        publish();
    }

    /** Registration, operator, signal and counters; raises REGISTERED/LOST on changes. */
    void refresh(ModemDriver driver, KeeperEnvironment env) throws AtException, InterruptedException {
        boolean wasRegistered = registration != null && registration.status().isRegistered();
        SimState before = sim;
        sim = driver.simState();
        // A SIM state change (removed, inserted, swapped) means the identity may have changed: the +CPIN
        // URC alone is not enough, it can arrive as the answer to our own AT+CPIN? poll.
        if (identityStale || before != sim || (identity == null && !clock.instant().isBefore(identityRetryAt))) {
            identityStale = false;
            readIdentity(driver, env);
        }
        registration = driver.registration().orElse(null);
        boolean registered = registration != null && registration.status().isRegistered();
        operator = registered ? driver.operator() : null;
        pendingEvent = null;
        // Signal and counters are nice to have: a modem that refuses them still registers and connects. The
        // driver skips the queries the model does not support (learned once).
        try {
            signal = driver.signal();
        } catch (AtException e) {
            if (!driver.channelOpen()) {
                throw e;
            }
            signal = SignalQuality.unknown();
        }
        try {
            driver.counters().ifPresent(ledger::observe);
            countersProblem = null;
        } catch (AtException e) {
            if (!driver.channelOpen()) {
                throw e;
            }
            if (countersProblem == null) {
                LOG.warn("modem {}: data counters unreadable, usage not counted until they are: {}", settings.id(),
                        StepFailure.describe(e));
            }
            countersProblem = e.getMessage();
        }
        if (registered && !wasRegistered) {
            pendingEvent = SitegateTopics.MODEM_REGISTERED;
        } else if (!registered && wasRegistered) {
            pendingEvent = SitegateTopics.MODEM_LOST;
        }
        publish();
    }

    /** Posts the registration event found by the last refresh, if any. */
    void postRegistrationEvent(KeeperEnvironment env) {
        if (pendingEvent == null) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put("modem", settings.id());
        if (pendingEvent.equals(SitegateTopics.MODEM_REGISTERED)) {
            String plmn = snapshot.plmn().orElse("");
            p.put("operator", plmn);
            p.put("mcc", plmn.length() >= 5 ? plmn.substring(0, 3) : "");
            p.put("mnc", plmn.length() >= 5 ? plmn.substring(3) : "");
            p.put("act", registration.accessTechnology().map(Enum::name).orElse(""));
        } else {
            p.put("reason", registration == null ? "no registration" : registration.status().name());
        }
        env.event(pendingEvent, p);
        pendingEvent = null;
    }

    /** Asks every gate; a gate that throws refuses (fail closed). */
    GateDecision evaluateGates(List<DataSessionGate> gates) {
        ModemStatus now = snapshot;
        for (DataSessionGate g : gates) {
            try {
                GateDecision d = g.check(now);
                if (d == null || !d.allowed()) {
                    return d != null ? d : GateDecision.deny(g.getClass().getSimpleName(), "no decision");
                }
            } catch (RuntimeException e) {
                LOG.warn("modem {}: gate {} failed, refusing the session", settings.id(), g.getClass().getName(), e);
                return GateDecision.deny(g.getClass().getSimpleName(), "gate failed: " + e.getMessage());
            }
        }
        return GateDecision.allow();
    }

    /** Why the session cannot start now (SIM, registration, gate), or empty when it can. */
    Optional<String> whyNoSession(GateDecision gate) {
        if (sim != SimState.READY) {
            return Optional.of(simProblem());
        }
        if (registration == null || !registration.status().isRegistered()) {
            return Optional.of("not registered (" + (registration == null ? "unknown" : registration.status()) + ")");
        }
        if (!gate.allowed()) {
            return Optional.of(gate.gate() + ": " + gate.reason());
        }
        return Optional.empty();
    }

    private String simProblem() {
        if (sim == null) {
            return "SIM state unknown";
        }
        return switch (sim) {
            case ABSENT -> "SIM absent";
            case PIN_REQUIRED -> pinRejected ? "SIM PIN rejected: not retried (three wrong PINs lock the SIM)"
                    : settings.pin().isEmpty() ? "SIM PIN required: put the PIN in a secret file and set 'pinSecret' in the modem configuration" : "SIM PIN required";
            case PUK_REQUIRED -> "SIM locked: PUK required";
            default -> "SIM not ready (" + sim + ")";
        };
    }

    /**
     * Adopts a session already active on the modem (keeper restarted, bundle updated, port reopened
     * after a glitch) and says so: listeners that saw SESSION_DOWN learn that it is up.
     */
    void adoptSession(ModemDriver driver, KeeperEnvironment env) throws AtException, InterruptedException {
        if (!driver.active(settings.cid())) {
            return;
        }
        // The gates decide about an adopted session too: another module or SIM may sit behind the port now.
        GateDecision gate = evaluateGates(env.gates());
        if (gate.allowed()) {
            sessionUp(driver.address(settings.cid()).orElse(""), env);
        } else {
            driver.deactivate(settings.cid());
            sessionIdle(SessionState.BLOCKED, gate.gate() + ": " + gate.reason());
        }
    }

    void sessionIdle(SessionState state, String why) {
        session = state;
        reason = why;
        address = null;
        publish();
    }

    void sessionUp(String addr, KeeperEnvironment env) {
        session = SessionState.UP;
        reason = "";
        address = addr;
        ledger.sessionStarted();
        publish();
        env.event(SitegateTopics.MODEM_SESSION_UP, Map.of("modem", settings.id(), "apn", settings.apn(), "address", addr));
    }

    void sessionDown(SessionState state, String why, KeeperEnvironment env) {
        sessionIdle(state, why);
        env.event(SitegateTopics.MODEM_SESSION_DOWN, Map.of("modem", settings.id(), "reason", why));
    }

    void sessionFailed(String why, KeeperEnvironment env) {
        LOG.error("modem {}: {}", settings.id(), SafeText.escape(why));
        sessionDown(SessionState.FAILED, why, env);
    }

    void clearFailure() {
        if (session == SessionState.FAILED || session == SessionState.DISABLED) {
            session = SessionState.DOWN;
            reason = "connecting";
            publish();
        }
    }

    void publishHealth(KeeperEnvironment env) {
        postRegistrationEvent(env);
        ModemStatus s = snapshot;
        String where = s.plmn().map(p -> " on " + p).orElse("")
                + (registration != null ? registration.accessTechnology().map(a -> " " + a).orElse("") : "");
        if (link != LinkState.READY) {
            env.health(HealthState.DOWN, link == LinkState.CLOSED ? linkReason : "initialising");
        } else if (session == SessionState.UP) {
            env.health(HealthState.UP, "session up" + (address == null || address.isEmpty() ? "" : " " + address) + where);
        } else if (session == SessionState.FAILED || session == SessionState.BLOCKED
                || (sim != null && sim != SimState.READY)) {
            env.health(HealthState.DOWN, reason);
        } else {
            env.health(HealthState.DEGRADED, "session " + session.name().toLowerCase() + ": " + s.reason() + where);
        }
    }

    private void publish() {
        snapshot = new ModemStatus(settings.id(), settings.port(), profile, link, Optional.ofNullable(identity),
                Optional.ofNullable(sim), Optional.ofNullable(registration), Optional.ofNullable(operator), signal,
                // a link problem (closed, or a refused status query on an open link) outranks the session's reason
                session, session == SessionState.UP || link == LinkState.CLOSED || !linkReason.isEmpty() ? linkReason : reason,
                Optional.ofNullable(address), ledger.usage(), ledger.smsSentCount(), ledger.smsReceivedCount(),
                clock.instant());
    }
}
