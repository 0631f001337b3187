package io.sitegate.modem.internal.service;

import io.sitegate.core.SafeText;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.AtException;
import io.sitegate.modem.AtTransport;
import io.sitegate.modem.ChannelState;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.ModemStatus;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.SimState;
import io.sitegate.modem.internal.parse.SmsParsers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one modem's data session up, on its own thread: opens the port (and reopens it after an
 * unplug), initialises the modem, refreshes the status, and brings the session up when registered
 * and every gate allows it. Failed activations back off exponentially with jitter; after
 * {@code resetAfterFailures} failures the radio is power-cycled once, never again until a session
 * succeeds. A rejected APN ends in {@link SessionState#FAILED}: no retries, no resets (Kura #2827).
 *
 * <p>A modem that refuses is not hammered: every failed step of bringing it up (opening, init, SIM, identity,
 * RAT selection, registration, session) is retried with exponential back-off up to {@code backoffMax}, and
 * nothing (a URC, the closing of the failed link) wakes the keeper out of a back-off early; only an
 * administrator's connect does. The state names the step and the modem's own error ({@link StepFailure}).
 */
final class ConnectionKeeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionKeeper.class);

    private final ModemSettings settings;
    private final Supplier<AtTransport> transports;
    private final KeeperEnvironment env;
    private final Clock clock;
    private final Random random;
    private final ModemState state;
    private final SessionDecider sessions;
    private final ConcurrentLinkedQueue<Integer> newSms = new ConcurrentLinkedQueue<>();
    private final Object wakeLock = new Object();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile ModemLink link;
    private volatile boolean simEvent;
    private boolean woken;
    private boolean pinTried;
    private int openFailures;
    private int refreshFailures;
    private String lastProblem = "";
    private Instant lastSaved = Instant.MIN;
    /** While backing off ({@link System#nanoTime()}), a wake does not end the sleep early. */
    private boolean holding;
    private long holdUntil;
    private final UnsupportedCommands unsupported;

    ConnectionKeeper(ModemSettings settings, Supplier<AtTransport> transports, KeeperEnvironment env, Clock clock,
                     Random random, UsageLedger ledger) {
        this(settings, transports, env, clock, random, ledger, new UnsupportedCommands(settings.id()));
    }

    /** @param unsupported what this modem's models do not support, kept by the caller across keepers */
    ConnectionKeeper(ModemSettings settings, Supplier<AtTransport> transports, KeeperEnvironment env, Clock clock,
                     Random random, UsageLedger ledger, UnsupportedCommands unsupported) {
        this.unsupported = unsupported;
        this.settings = settings;
        this.transports = transports;
        this.env = env;
        this.clock = clock;
        this.random = random;
        this.state = new ModemState(settings, ledger, clock);
        this.sessions = new SessionDecider(settings, state, env, clock, random, () -> saveUsage(true));
        this.thread = new Thread(this, "sitegate-modem-" + settings.id());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the keeper; the data session is left as it is, so a bundle update does not cut the uplink. */
    void stop() {
        running = false;
        wake();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeLink("stopped");
        saveUsage(true);
    }

    ModemStatus status() {
        return state.snapshot();
    }

    /** The driver of the open link, for API calls made on other threads. */
    Optional<ModemDriver> driver() {
        ModemLink l = link;
        return l != null && state.link() == LinkState.READY ? Optional.of(l.driver()) : Optional.empty();
    }

    /** An administrator wants the session: also ends any back-off, so a fixed modem is tried now. */
    void connect() {
        sessions.connect();
        synchronized (wakeLock) {
            holding = false;
        }
        wake();
    }

    void disconnect() {
        sessions.disconnect();
        wake();
    }

    void smsSent() {
        state.ledger().smsSent();
        saveUsage(true);
    }

    void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void run() {
        while (running) {
            Duration wait = settings.pollInterval();
            Duration backoff = null;
            String step = "registration";
            try {
                if (link == null) {
                    openAndInitialise();
                }
                if (link != null) {
                    if (simEvent) {
                        simEvent = false;
                        state.forgetIdentity();
                    }
                    readSms();
                    state.refresh(link.driver(), env);
                    step = "session";
                    sessions.decide(link.driver());
                    saveUsage(false);
                    // only a link that also survived a refresh ends the back-off: a modem that drops the line
                    // right after every initialisation is retried ever more slowly, not every few seconds
                    openFailures = 0;
                    if (refreshFailures > 0) {
                        refreshFailures = 0;
                        problem("");
                        state.link(LinkState.READY, "");
                    }
                } else {
                    backoff = Backoff.delay(settings.backoffInitial(), settings.backoffMax(), ++openFailures, random);
                }
            } catch (InterruptedException e) {
                break;
            } catch (AtException e) {
                if (link != null && link.session().state() != ChannelState.OPEN) {
                    closeLink(problem(StepFailure.describe(step, e)));
                    backoff = Backoff.delay(settings.backoffInitial(), settings.backoffMax(), ++openFailures, random);
                } else {
                    // The modem answers but refuses a status query: retry with back-off, not at every poll.
                    state.link(LinkState.READY, problem(StepFailure.describe(step, e)));
                    backoff = atLeastPoll(Backoff.delay(settings.backoffInitial(), settings.backoffMax(), ++refreshFailures, random));
                }
            } catch (RuntimeException e) {
                if (!lastProblem.equals(step + ": " + e)) {
                    LOG.error("modem {}: unexpected failure in {}, retrying with back-off", settings.id(), step, e);
                }
                lastProblem = step + ": " + e;
                backoff = atLeastPoll(Backoff.delay(settings.backoffInitial(), settings.backoffMax(), ++refreshFailures, random));
            }
            state.publishHealth(env);
            if (backoff != null) {
                wait = backoff; // a closed link is reopened after its back-off alone, sooner than the poll
                hold(wait);
            } else {
                Instant nextAttempt = sessions.nextAttempt();
                if (state.session() != SessionState.UP && nextAttempt.isAfter(clock.instant())) {
                    Duration untilAttempt = Duration.between(clock.instant(), nextAttempt);
                    wait = untilAttempt.compareTo(wait) < 0 ? untilAttempt : wait;
                }
            }
            sleep(wait);
        }
    }

    private void openAndInitialise() throws InterruptedException {
        String step = "open";
        try {
            state.link(LinkState.INITIALISING, lastProblem); // the last failure stays shown while retrying
            ModemLink l = ModemLink.open(transports, unsupported);
            // Listeners act only while this link is the keeper's: closing a failed link must not wake the
            // keeper out of its back-off (that made a refusing modem a tight loop).
            l.session().addUrcListener(urc -> {
                if (link != l) {
                    return;
                }
                if (urc.prefix().startsWith("+CPIN") || urc.prefix().startsWith("+QUSIM")) {
                    simEvent = true; // SIM inserted, removed or swapped: read who it is again
                }
                if (urc.prefix().startsWith("+CMTI")) {
                    try {
                        newSms.add(SmsParsers.newMessage(urc).index());
                    } catch (AtException e) {
                        LOG.warn("modem {}: unreadable SMS indication '{}'", settings.id(), SafeText.escape(urc.line()));
                    }
                }
                wake(); // registration changes, SIM events, SMS: refresh now rather than at the next poll
            });
            l.session().addStateListener(s -> {
                if (link == l) {
                    wake();
                }
            });
            link = l;
            step = "init";
            state.profile(l.driver().initialise(settings.profile()).name());
            step = "SIM";
            unlockSim(l.driver());
            step = "identity";
            state.readIdentity(l.driver(), env);
            if (!settings.ratOrder().isEmpty()) {
                step = "RAT selection";
                l.driver().setRats(settings.ratOrder());
            }
            state.link(LinkState.READY, "");
            problem("");
            step = "session";
            state.adoptSession(l.driver(), env); // a session left up by the previous keeper is kept
            LOG.info("modem {}: {} on {} ready", settings.id(), state.snapshot().profile(), settings.port());
        } catch (java.io.IOException e) {
            closeLink(problem("open: cannot open " + settings.port() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage())));
        } catch (AtException | RuntimeException e) {
            closeLink(problem(StepFailure.describe(step, e)));
        }
    }

    /** Logs a problem once (not at every retry) and returns it; empty clears it. */
    private String problem(String text) {
        if (!text.equals(lastProblem)) {
            if (!text.isEmpty()) {
                LOG.warn("modem {}: {} (retrying with back-off up to {} s)", settings.id(), SafeText.escape(text),
                        settings.backoffMax().toSeconds());
            }
            lastProblem = text;
        }
        return text;
    }

    private void unlockSim(ModemDriver driver) throws AtException, InterruptedException {
        SimState sim = driver.simState();
        if (sim == SimState.PIN_REQUIRED && !settings.pin().isEmpty() && !pinTried) {
            pinTried = true; // one try per configuration: three wrong PINs lock the SIM behind its PUK
            try {
                driver.enterPin(settings.pin().get());
            } catch (AtException e) {
                state.pinRejected();
            }
        }
    }

    private void closeLink(String reason) {
        ModemLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        if (state.session() == SessionState.UP) {
            env.event(SitegateTopics.MODEM_SESSION_DOWN, Map.of("modem", settings.id(), "reason", reason));
        }
        state.link(LinkState.CLOSED, reason);
    }

    private void readSms() throws InterruptedException {
        Integer index;
        while ((index = newSms.poll()) != null) {
            try {
                var sms = link.driver().readSms(index);
                state.ledger().smsReceived();
                env.event(SitegateTopics.MODEM_SMS_RECEIVED, Map.of("modem", settings.id(), "sender", sms.address(),
                        "index", index));
            } catch (AtException e) {
                LOG.warn("modem {}: cannot read SMS {}: {}", settings.id(), index, SafeText.escape(e.getMessage()));
            }
        }
    }

    private void saveUsage(boolean now) {
        UsageLedger ledger = state.ledger();
        Instant t = clock.instant();
        if (ledger.dirty() && (now || Duration.between(lastSaved, t).compareTo(Duration.ofSeconds(60)) >= 0)) {
            env.saveUsage(ledger.encode());
            lastSaved = t;
        }
    }

    /** A modem that answers is polled anyway: its back-off never makes it polled more often. */
    private Duration atLeastPoll(Duration backoff) {
        return backoff.compareTo(settings.pollInterval()) > 0 ? backoff : settings.pollInterval();
    }

    /** Backs off: until {@code d} has passed, a wake (URC, channel state) does not end the sleep. */
    private void hold(Duration d) {
        synchronized (wakeLock) {
            holding = true;
            holdUntil = System.nanoTime() + d.toNanos();
        }
    }

    private void sleep(Duration d) {
        synchronized (wakeLock) {
            long deadline = System.nanoTime() + Math.max(1, d.toNanos());
            while (running) {
                long now = System.nanoTime();
                if (holding && now - holdUntil >= 0) {
                    holding = false;
                }
                if (deadline - now <= 0 || (woken && !holding)) {
                    break;
                }
                try {
                    wakeLock.wait(Math.max(1, (deadline - now) / 1_000_000));
                } catch (InterruptedException e) {
                    running = false;
                }
            }
            woken = false;
            holding = false;
        }
    }
}
