package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.CellularEnforcement;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.CellularException;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.CellularPolicyService;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.RecentEvent;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.Registration;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.StateStore;
import io.sitegate.modem.DataSessionGate;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cellular policy in front of every modem's data session: the {@link DataSessionGate} the modems
 * consult (one service for all modems, by {@code status.id()}), the {@link CellularEnforcement} the shell
 * uses, and the timers: the quota check every {@code quota.checkSeconds} while sessions run, and a
 * two-second look at each modem's link to apply the radio policy once it is READY. Events go to
 * EventAdmin and the last 100 are kept for the shell; health is reported as {@code cellular}.
 */
@Component(service = {DataSessionGate.class, CellularEnforcement.class, EventHandler.class}, immediate = true,
        property = {EventConstants.EVENT_TOPIC + "=" + SitegateTopics.MODEM_SESSION_UP,
                DataSessionGate.ENFORCES + "=" + CellularPolicyComponent.PID})
public final class CellularEnforcementComponent implements DataSessionGate, CellularEnforcement, EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CellularEnforcementComponent.class);
    private static final int RECENT_EVENTS = 100;
    private static final Duration RADIO_POLL = Duration.ofSeconds(2);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final CellularPolicyService policies;
    private final HealthRegistry health;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "sitegate-cellular"));
    private final ScheduledExecutorService radio = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "sitegate-cellular-radio"));
    private final CellularEnforcer enforcer;
    private final Registration listener;
    private ScheduledFuture<?> quotaTick;
    private Duration quotaInterval;

    /**
     * @param clock a {@link Clock} service registered with {@code sitegate.clock=true}, for labs and
     *              integration tests that move time to the next billing cycle; the system clock otherwise
     */
    @Activate
    public CellularEnforcementComponent(@Reference CellularPolicyService policies, @Reference StateStore store,
                                        @Reference HealthRegistry health,
                                        @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                                policyOption = ReferencePolicyOption.GREEDY,
                                                target = "(sitegate.clock=true)") Clock clock) {
        this.policies = policies;
        this.health = health;
        Clock time = clock != null ? clock : Clock.systemUTC();
        if (clock != null) {
            LOG.warn("cellular: using the clock service {} instead of the system clock", clock);
        }
        EventJournal journal = new EventJournal(RECENT_EVENTS, time, this::post);
        // After deactivation (DS unbinds the modems after it) state writes run inline; modem calls are dropped.
        Executor writer = task -> {
            try {
                timers.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        Executor modemCalls = task -> {
            try {
                radio.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("cellular: stopped, modem call dropped");
            }
        };
        this.enforcer = new CellularEnforcer(policies, new CellularStates(store), health, time, journal,
                writer, modemCalls);
        enforcer.publishHealth();
        schedule(policies.current());
        radio.scheduleWithFixedDelay(guarded(enforcer::radioTick), RADIO_POLL.toMillis(), RADIO_POLL.toMillis(), TimeUnit.MILLISECONDS);
        this.listener = policies.addListener(this::policyChanged);
        policyChanged(policies.current()); // a change between construction and registration is not lost
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("cellular: periodic task failed, continuing", e);
            }
        };
    }

    private void policyChanged(CellularPolicy policy) {
        enforcer.policyChanged(policy);
        schedule(policy);
    }

    private synchronized void schedule(CellularPolicy policy) {
        Duration interval = policy.quota().checkInterval();
        if (interval.equals(quotaInterval)) {
            return;
        }
        if (quotaTick != null) {
            quotaTick.cancel(false);
        }
        quotaInterval = interval;
        quotaTick = timers.scheduleWithFixedDelay(guarded(enforcer::quotaTick), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void post(CellularEvent event) {
        boolean alarm = event.topic().equals(SitegateTopics.BINDING_VIOLATED) || event.topic().equals(SitegateTopics.NETWORK_NOT_ALLOWED);
        if (alarm) {
            LOG.warn("cellular event {} {}", event.topic(), event.properties());
        } else {
            LOG.info("cellular event {} {}", event.topic(), event.properties());
        }
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(event.topic(), event.properties()));
        }
    }

    @Deactivate
    void deactivate() {
        listener.close();
        radio.shutdownNow();
        timers.shutdown();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        enforcer.flush();
        health.withdraw(CellularEnforcer.CAPABILITY);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModem(Modem modem) {
        enforcer.modemAdded(modem);
    }

    void removeModem(Modem modem) {
        enforcer.modemRemoved(modem);
    }

    @Override
    public void handleEvent(Event event) {
        Object modem = event.getProperty("modem");
        if (modem != null) {
            try {
                timers.execute(guarded(() -> enforcer.sessionUp(modem.toString())));
            } catch (RejectedExecutionException e) {
                LOG.debug("cellular: stopped, session-up event ignored");
            }
        }
    }

    @Override
    public GateDecision checkSms(ModemStatus status) {
        return enforcer.checkSms(status);
    }

    @Override
    public GateDecision check(ModemStatus status) {
        return enforcer.check(status);
    }

    @Override
    public List<ModemPolicyStatus> modems() {
        return enforcer.modems();
    }

    @Override
    public Optional<ModemPolicyStatus> modem(String id) {
        return enforcer.modem(id);
    }

    @Override
    public Optional<BindingChange> resetBinding(String modem, String by) throws CellularException {
        return enforcer.resetBinding(modem, by);
    }

    @Override
    public QuotaOverride grantQuotaOverride(String modem, OptionalLong extraBytes, String by) throws CellularException {
        return enforcer.grantQuotaOverride(modem, extraBytes, by);
    }

    @Override
    public boolean clearQuotaOverride(String modem, String by) throws CellularException {
        return enforcer.clearQuotaOverride(modem, by);
    }

    @Override
    public List<RecentEvent> recentEvents() {
        return enforcer.recentEvents();
    }
}
