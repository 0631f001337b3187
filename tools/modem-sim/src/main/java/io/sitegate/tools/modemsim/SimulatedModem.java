package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated module: its dialect, its state and the behaviour shared by AT commands and scenarios
 * (registration URCs on change, incoming SMS, reboot). Callers hold this object's monitor while they
 * touch the state; URCs go to a non-blocking sink, so holding the monitor never waits on the peer.
 */
public final class SimulatedModem {

    /** Where unsolicited result codes go (the current connection, or nowhere when none is attached). */
    @FunctionalInterface
    public interface UrcSink {
        /** Emits one URC line; it is framed as {@code \r\n<line>\r\n} by the link. */
        void urc(String line);
    }

    private static final long REBOOT_MILLIS = 300;

    private final Vendor vendor;
    private final ModemState state;
    private final UrcSink sink;
    private final ScheduledExecutorService scheduler;
    private List<String> deferred;

    /**
     * @param vendor    dialect
     * @param state     initial state
     * @param sink      URC output
     * @param scheduler runs delayed module behaviour (reboot)
     */
    public SimulatedModem(Vendor vendor, ModemState state, UrcSink sink, ScheduledExecutorService scheduler) {
        this.vendor = vendor;
        this.state = state;
        this.sink = sink;
        this.scheduler = scheduler;
    }

    public Vendor vendor() {
        return vendor;
    }

    /** @return the state; hold this object's monitor while using it */
    public ModemState state() {
        return state;
    }

    /**
     * Emits a URC: now, or, while a command is being answered, right after its final result (a module
     * answers the command first and reports what the command caused afterwards).
     */
    public synchronized void urc(String line) {
        if (deferred != null) {
            deferred.add(line);
        } else {
            sink.urc(line);
        }
    }

    /** Starts answering a command: URCs raised from now on are held back. */
    synchronized void beginCommand() {
        deferred = new ArrayList<>();
    }

    /** @return the URCs held back since {@link #beginCommand()}, to be written after the final result */
    synchronized List<String> endCommand() {
        List<String> held = deferred == null ? List.of() : deferred;
        deferred = null;
        return held;
    }

    /** @return the registration as reported: nothing without radio, unlocked SIM or automatic/manual selection */
    public synchronized Registration.View effectiveRegistration() {
        Registration r = state.registration();
        if (state.cfun() != 1 || state.sim() != SimStatus.READY || r.copsMode() == 2) {
            return new Registration.View(0, r.act(), r.area(), r.cellId(), "", "");
        }
        String plmn = r.copsMode() == 1 && r.manualPlmn() != null ? r.manualPlmn() : r.plmn();
        String name = plmn.equals(r.plmn()) ? r.name() : r.visibleNetworks().getOrDefault(plmn, plmn);
        return new Registration.View(r.stat(), r.act(), r.area(), r.cellId(), plmn, name);
    }

    /**
     * Applies a state change; when the reported registration changes, emits the {@code +CREG/+CGREG/+CEREG}
     * URCs the host enabled, and drops the data session when registration is lost.
     */
    public synchronized void update(Consumer<ModemState> change) {
        Registration.View before = effectiveRegistration();
        change.accept(state);
        Registration.View after = effectiveRegistration();
        if (!Objects.equals(before, after)) {
            if (!after.registered()) {
                // 3GPP TS 27.007 10.1.19 (+CGEREP): a module that loses the network reports "+CGEV: NW DETACH"
                // ("all active contexts have been deactivated; these are not reported separately") or
                // "+CGEV: NW DEACT" per context; either way its contexts are gone (AT+CGACT? answers <state> 0)
                // and the host must activate again once registered. The simulator has no +CGEREP, so no +CGEV.
                state.packetData().deactivateAll();
            }
            for (String urc : registrationUrcs(after)) {
                urc(urc);
            }
        }
    }

    private List<String> registrationUrcs(Registration.View v) {
        Registration r = state.registration();
        List<String> urcs = new ArrayList<>();
        addIfPresent(urcs, RegistrationReports.urc("+CREG", r.cregMode(), v));
        addIfPresent(urcs, RegistrationReports.urc("+CGREG", r.cgregMode(), v));
        addIfPresent(urcs, RegistrationReports.urc("+CEREG", r.ceregMode(), v));
        return urcs;
    }

    private static void addIfPresent(List<String> list, String s) {
        if (s != null) {
            list.add(s);
        }
    }

    /**
     * Stores an incoming SMS and announces it with {@code +CMTI: "SM",<index>}.
     *
     * @return the storage index, or -1 when the store is full (nothing is announced)
     */
    public synchronized int receiveSms(String from, String text) {
        int index = state.sms().receive(from, text);
        if (index > 0) {
            urc("+CMTI: \"SM\"," + index);
        }
        return index;
    }

    /** Changes the SIM (insert, remove, lock) and announces it like a hot-swap: {@code +CPIN: ...}. */
    public synchronized void changeSim(SimStatus status, String pin) {
        update(s -> {
            s.sim(status);
            if (pin != null) {
                s.pin(pin);
            }
            s.pinEnabled(status == SimStatus.PIN_LOCKED);
            s.pinAttemptsLeft(3);
        });
        urc(switch (status) {
            case READY -> "+CPIN: READY";
            case PIN_LOCKED -> "+CPIN: SIM PIN";
            case PUK_LOCKED -> "+CPIN: SIM PUK";
            case ABSENT -> "+CPIN: NOT READY";
        });
    }

    /** Restarts the module ({@code AT+CFUN=1,1}, scenario {@code reset}): settings back to power-on, boot URCs. */
    public void reboot() {
        synchronized (this) {
            // a module going down says nothing: no registration URCs on the way
            Registration r = state.registration();
            r.cregMode(0);
            r.cgregMode(0);
            r.ceregMode(0);
            state.packetData().deactivateAll();
            state.cfun(0);
        }
        scheduler.schedule(this::powerOn, REBOOT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * First power-on: the state is what the scenario prepared (nothing to reset); emits the vendor's boot URCs.
     */
    public synchronized void announceBoot() {
        for (String urc : vendor.bootUrcs(state)) {
            urc(urc);
        }
    }

    /** Power-on after a restart: terminal settings back to defaults, PIN asked again, boot URCs. */
    public synchronized void powerOn() {
        Registration r = state.registration();
        r.cregMode(0);
        r.cgregMode(0);
        r.ceregMode(0);
        state.echo(true);
        state.cmee(vendor.defaultCmee());
        state.cfun(1);
        if (state.sim() == SimStatus.READY && state.pinEnabled()) {
            state.sim(SimStatus.PIN_LOCKED); // a power cycle locks a PIN-protected SIM again
        }
        for (String urc : vendor.bootUrcs(state)) {
            urc(urc);
        }
    }
}
