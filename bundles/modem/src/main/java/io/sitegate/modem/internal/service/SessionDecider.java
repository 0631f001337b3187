package io.sitegate.modem.internal.service;

import io.sitegate.modem.AtException;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.SessionState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data session decisions of one modem, once its link is READY: keep it, drop it (disabled, a gate
 * refuses, the network ended it), start it when registered and allowed, back off after failed
 * activations with at most one radio power-cycle until a session succeeds, and give up on a rejected
 * APN (Kura #2827: no reset loop). Runs on the connection keeper's thread.
 */
final class SessionDecider {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDecider.class);

    private final ModemSettings settings;
    private final ModemState state;
    private final KeeperEnvironment env;
    private final Clock clock;
    private final Random random;
    private final Runnable usageChanged;

    private volatile boolean wanted;
    private volatile Instant nextAttempt = Instant.MIN;
    private int activationFailures;
    private boolean radioResetDone;

    SessionDecider(ModemSettings settings, ModemState state, KeeperEnvironment env, Clock clock, Random random,
                   Runnable usageChanged) {
        this.settings = settings;
        this.state = state;
        this.env = env;
        this.clock = clock;
        this.random = random;
        this.usageChanged = usageChanged;
        this.wanted = settings.autoConnect();
    }

    /** An administrator wants the session: also after FAILED, and without waiting for the back-off. */
    void connect() {
        wanted = true;
        state.clearFailure();
        activationFailures = 0;
        nextAttempt = Instant.MIN;
    }

    /** An administrator wants the session down until {@link #connect()}. */
    void disconnect() {
        wanted = false;
    }

    /** When the next activation may be tried. */
    Instant nextAttempt() {
        return nextAttempt;
    }

    /** Keeps, drops, starts or gives up the session; the link is READY. */
    void decide(ModemDriver driver) throws AtException, InterruptedException {
        GateDecision gate = state.evaluateGates(env.gates());
        if (state.session() == SessionState.UP) {
            String drop = !wanted ? "disabled by an administrator"
                    : !gate.allowed() ? gate.gate() + ": " + gate.reason()
                    : null;
            if (drop != null) {
                driver.deactivate(settings.cid());
                state.sessionDown(wanted ? SessionState.BLOCKED : SessionState.DISABLED, drop, env);
            } else if (!driver.active(settings.cid())) {
                state.sessionDown(SessionState.DOWN, "the network ended the session", env);
            }
            return;
        }
        if (state.session() == SessionState.FAILED) {
            return; // until the configuration changes or an administrator connects
        }
        Optional<String> notNow = !wanted ? Optional.of("disabled by an administrator")
                : state.whyNoSession(gate);
        if (notNow.isPresent()) {
            state.sessionIdle(!wanted ? SessionState.DISABLED
                    : gate.allowed() ? SessionState.DOWN : SessionState.BLOCKED, notNow.get());
            return;
        }
        if (nextAttempt.isAfter(clock.instant())) {
            return;
        }
        activate(driver);
    }

    private void activate(ModemDriver driver) throws AtException, InterruptedException {
        state.sessionIdle(SessionState.CONNECTING, "activating PDP context " + settings.cid() + " on APN '" + settings.apn() + "'");
        try {
            String address = driver.activate(settings);
            activationFailures = 0;
            radioResetDone = false;
            state.sessionUp(address, env);
            usageChanged.run();
        } catch (AtException e) {
            if (ModemDriver.apnRejected(e)) {
                state.sessionFailed("APN rejected: '" + settings.apn() + "' (" + e.getMessage() + "); check the APN and "
                        + "credentials, then sitegate:modem-connect " + settings.id(), env);
                return;
            }
            if (!driver.channelOpen()) {
                throw e; // the link went away: the keeper reopens it
            }
            activationFailures++;
            Duration wait = Backoff.delay(settings.backoffInitial(), settings.backoffMax(), activationFailures, random);
            nextAttempt = clock.instant().plus(wait);
            state.sessionIdle(SessionState.DOWN, "session: activation failed " + activationFailures + " time(s), next try in "
                    + wait.toSeconds() + " s: " + StepFailure.describe(e));
            if (activationFailures >= settings.resetAfterFailures() && !radioResetDone) {
                radioResetDone = true;
                LOG.warn("modem {}: {} failed activations, power-cycling the radio once", settings.id(), activationFailures);
                driver.radio(false);
                driver.radio(true);
            }
        }
    }
}
