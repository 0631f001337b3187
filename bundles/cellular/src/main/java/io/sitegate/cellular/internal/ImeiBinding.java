package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.BindingVerdict;
import io.sitegate.cellular.BindingVerdict.Outcome;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.LearnedBinding;
import io.sitegate.modem.ModemIdentity;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SIM/device binding (IMEI lock) of one modem. Both directions are enforced: a bound SIM in
 * another modem (same ICCID, other IMEI) and another SIM in this modem (ICCID not bound) are refused.
 * Under {@code auto} and {@code manual} it fails closed: an IMEI or ICCID that cannot be read, or a
 * learned binding that could not be read back, refuses the data session.
 *
 * <p>Under {@code auto} the caller {@link #check checks} before a session and calls {@link #learn}
 * once the session is up; a {@link BindingChange} it returns must be persisted
 * ({@link BindingDocument#encode}) and raised as an event. The in-memory binding is enforced from
 * that moment even if persisting fails (the caller retries the write). Thread-safe.
 */
public final class ImeiBinding {
    private final Clock clock;
    private BindingPolicy policy;
    private Optional<LearnedBinding> learned;
    private Optional<String> unreadable = Optional.empty();

    /**
     * @param learned the binding read back from the state store, empty when none was ever learned
     */
    public ImeiBinding(Clock clock, BindingPolicy policy, Optional<LearnedBinding> learned) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.learned = Objects.requireNonNull(learned, "learned");
    }

    /**
     * A binding whose learned pair could not be read back (every stored generation corrupt, or a
     * malformed document). Under {@code auto} it refuses every data session until {@link #reset}:
     * relearning silently would let a swapped SIM bind itself.
     */
    public static ImeiBinding withUnreadableState(Clock clock, BindingPolicy policy, String problem) {
        ImeiBinding b = new ImeiBinding(clock, policy, Optional.empty());
        b.unreadable = Optional.of(problem);
        return b;
    }

    /** Takes a new policy; what was learned is kept (switching auto off and on again keeps the pair). */
    public synchronized void updatePolicy(BindingPolicy newPolicy) {
        policy = Objects.requireNonNull(newPolicy, "policy");
    }

    /** The policy in force. */
    public synchronized BindingPolicy policy() {
        return policy;
    }

    /** The learned pair, if any. */
    public synchronized Optional<LearnedBinding> learned() {
        return learned;
    }

    /** Why the learned binding could not be read back, when it could not. */
    public synchronized Optional<String> unreadableState() {
        return unreadable;
    }

    /** Decides whether the modem with this identity may open a data session. */
    public synchronized BindingVerdict check(Optional<ModemIdentity> identity) {
        String seenImei = Identities.rawImei(identity);
        String seenIccid = Identities.rawIccid(identity);
        BindingMode mode = policy.mode();
        if (mode == BindingMode.OFF) {
            return new BindingVerdict(Outcome.NOT_ENFORCED, "", Optional.empty(), seenImei, seenIccid);
        }
        if (mode == BindingMode.AUTO && unreadable.isPresent()) {
            return new BindingVerdict(Outcome.BINDING_UNREADABLE, "the learned SIM/modem binding cannot be read ("
                    + unreadable.get() + "); no data session until an administrator resets the binding",
                    Optional.empty(), seenImei, seenIccid);
        }
        Optional<String> imei = Identities.validImei(identity);
        Optional<String> iccid = Identities.validIccid(identity);
        if (imei.isEmpty() || iccid.isEmpty()) {
            return new BindingVerdict(Outcome.IDENTITY_UNREADABLE, unreadableReason(identity, imei, iccid, mode),
                    Optional.empty(), seenImei, seenIccid);
        }
        return mode == BindingMode.AUTO ? checkLearned(imei.get(), iccid.get()) : checkPairs(imei.get(), iccid.get());
    }

    private static String unreadableReason(Optional<ModemIdentity> identity, Optional<String> imei,
                                           Optional<String> iccid, BindingMode mode) {
        String what;
        if (identity.isEmpty()) {
            what = "the modem's identity has not been read";
        } else if (imei.isEmpty()) {
            String raw = Identities.rawImei(identity);
            what = raw.isEmpty() ? "the modem's IMEI cannot be read" : "the modem reports an invalid IMEI '" + raw + "'";
        } else {
            String raw = Identities.rawIccid(identity);
            what = raw.isEmpty() ? "the SIM's ICCID cannot be read (no SIM, or SIM not ready)"
                    : "the SIM reports an invalid ICCID '" + raw + "'";
        }
        return what + "; the " + mode.configName() + " SIM/modem binding allows no data session without both";
    }

    private BindingVerdict checkLearned(String imei, String iccid) {
        if (learned.isEmpty()) {
            return new BindingVerdict(Outcome.NOT_YET_LEARNED, "no binding learned yet: SIM " + iccid
                    + " and IMEI " + imei + " will be bound on the first data session", Optional.empty(), imei, iccid);
        }
        BoundPair bound = learned.get().pair();
        if (bound.iccid().equals(iccid) && bound.imei().equals(imei)) {
            return new BindingVerdict(Outcome.BOUND, "", Optional.of(bound), imei, iccid);
        }
        if (bound.iccid().equals(iccid)) {
            return elsewhere(bound, imei, iccid);
        }
        String reason = bound.imei().equals(imei)
                ? "this modem (IMEI " + imei + ") is bound to SIM " + bound.iccid() + ", but SIM " + iccid + " is inserted"
                : "neither SIM " + iccid + " nor this modem (IMEI " + imei + ") is the bound pair (SIM " + bound.iccid()
                        + " with IMEI " + bound.imei() + ")";
        return new BindingVerdict(Outcome.SIM_NOT_BOUND, reason, Optional.of(bound), imei, iccid);
    }

    private BindingVerdict checkPairs(String imei, String iccid) {
        List<BoundPair> pairs = policy.pairs();
        Optional<BoundPair> forSim = pairs.stream().filter(p -> p.iccid().equals(iccid)).findFirst();
        if (forSim.isPresent()) {
            return forSim.get().imei().equals(imei)
                    ? new BindingVerdict(Outcome.BOUND, "", forSim, imei, iccid)
                    : elsewhere(forSim.get(), imei, iccid);
        }
        List<BoundPair> forModem = pairs.stream().filter(p -> p.imei().equals(imei)).toList();
        String reason = forModem.isEmpty()
                ? "SIM " + iccid + " in this modem (IMEI " + imei + ") is not in the binding list, and neither is the modem"
                : "this modem (IMEI " + imei + ") accepts only SIM " + String.join(", ",
                        forModem.stream().map(BoundPair::iccid).toList()) + ", but SIM " + iccid + " is inserted";
        return new BindingVerdict(Outcome.SIM_NOT_BOUND, reason, forModem.stream().findFirst(), imei, iccid);
    }

    private static BindingVerdict elsewhere(BoundPair bound, String imei, String iccid) {
        return new BindingVerdict(Outcome.SIM_BOUND_ELSEWHERE, "SIM " + iccid + " is bound to IMEI " + bound.imei()
                + ", this modem is " + imei, Optional.of(bound), imei, iccid);
    }

    /**
     * Called when a data session came up: under {@code auto}, with nothing learned yet and a valid
     * identity, learns the pair. Otherwise changes nothing.
     *
     * @return the change to persist and raise, empty when nothing was learned
     */
    public synchronized Optional<BindingChange> learn(Optional<ModemIdentity> identity) {
        if (policy.mode() != BindingMode.AUTO || learned.isPresent() || unreadable.isPresent()) {
            return Optional.empty();
        }
        Optional<String> imei = Identities.validImei(identity);
        Optional<String> iccid = Identities.validIccid(identity);
        if (imei.isEmpty() || iccid.isEmpty()) {
            return Optional.empty();
        }
        LearnedBinding pair = new LearnedBinding(imei.get(), iccid.get(), Identities.imsi(identity), clock.instant());
        learned = Optional.of(pair);
        return Optional.of(new BindingChange(BindingChange.Action.LEARNED, learned, "auto", pair.learnedAt()));
    }

    /**
     * Clears the learned pair (and an unreadable state), so the next data session under {@code auto}
     * learns again. The caller deletes the stored document and raises the change as an event.
     *
     * @param by who asked (a shell user, {@code policy v12})
     * @return the change, empty when there was nothing to clear
     */
    public synchronized Optional<BindingChange> reset(String by) {
        if (learned.isEmpty() && unreadable.isEmpty()) {
            return Optional.empty();
        }
        BindingChange change = new BindingChange(BindingChange.Action.RESET, learned, by, clock.instant());
        learned = Optional.empty();
        unreadable = Optional.empty();
        return Optional.of(change);
    }
}
