package io.sitegate.cellular.internal;

import io.sitegate.cellular.BillingCycle;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaKind;
import io.sitegate.cellular.QuotaOverride;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.cellular.QuotaStatus;
import io.sitegate.cellular.QuotaUsage;
import io.sitegate.modem.DataUsage;
import io.sitegate.modem.GateDecision;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The monthly data and SMS quotas of one modem. Usage is the difference of the modem's cumulative
 * totals ({@link DataUsage#total()}, SMS sent, SMS received) between observations, so this ledger is
 * independent of the modem's own one: the first observation after a fresh start only takes the totals
 * as a baseline, a total that goes backwards (the modem's ledger was lost) counts from zero, and after a
 * restart the persisted baseline makes the bytes that flowed meanwhile count once.
 *
 * <p>Cycles follow the injected clock: when it passes the cycle's end, usage, reported thresholds and
 * any override start afresh. A clock that goes back before the cycle's start (an unset RTC at boot)
 * keeps the cycle: usage is never given away. Each threshold is reported once per cycle. Thread-safe.
 */
public final class QuotaLedger {
    /** Gate names in {@link GateDecision}s. */
    public static final String DATA_GATE = "quota-data";
    public static final String SMS_GATE = "quota-sms";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ENGLISH);

    private final Clock clock;
    private QuotaPolicy policy;
    private BillingCycle cycle;
    private final Map<QuotaKind, Long> used = new EnumMap<>(QuotaKind.class);
    private final Map<QuotaKind, OptionalLong> baseline = new EnumMap<>(QuotaKind.class);
    private final Map<QuotaKind, TreeSet<Integer>> warned = new EnumMap<>(QuotaKind.class);
    private Optional<QuotaOverride> override = Optional.empty();
    private boolean countersAvailable = true;
    private Optional<String> problem = Optional.empty();
    private boolean dirty;

    /** A ledger with nothing counted, for a gateway that never kept one. */
    public QuotaLedger(Clock clock, QuotaPolicy policy) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.cycle = BillingCycle.containing(clock.instant(), policy.cycleStartDay(), policy.zone());
        for (QuotaKind kind : QuotaKind.values()) {
            used.put(kind, 0L);
            baseline.put(kind, OptionalLong.empty());
            warned.put(kind, new TreeSet<>());
        }
        dirty = true;
    }

    /**
     * The ledger read back from the state store; a cycle that ended meanwhile is rolled over.
     *
     * @throws MalformedStateException naming the field when the document does not make sense
     */
    public static QuotaLedger restore(byte[] document, Clock clock, QuotaPolicy policy) throws MalformedStateException {
        QuotaDocument.Content c = QuotaDocument.decode(document);
        QuotaLedger l = new QuotaLedger(clock, policy);
        l.cycle = new BillingCycle(c.cycleStart().atZone(policy.zone()), c.cycleEnd().atZone(policy.zone()));
        l.used.putAll(c.used());
        l.baseline.putAll(c.baseline());
        c.warned().forEach((kind, levels) -> l.warned.put(kind, new TreeSet<>(levels)));
        l.override = c.override();
        l.dirty = false;
        l.align();
        return l;
    }

    /**
     * A fresh ledger for when the persisted one could not be read: counting restarts from the next
     * observation and the status carries the problem (show it, report health DEGRADED). Chosen over
     * refusing data because a gateway must not cut itself off its cloud over a bookkeeping loss.
     */
    public static QuotaLedger afterLoss(Clock clock, QuotaPolicy policy, String problem) {
        QuotaLedger l = new QuotaLedger(clock, policy);
        l.problem = Optional.of("quota counters restarted on " + clock.instant() + ": " + problem);
        return l;
    }

    /**
     * Takes the modem's current totals and returns the threshold events this crossed (ascending, each
     * threshold once per cycle).
     *
     * @param usage       the modem's data usage; without counters data is not counted (and not enforced)
     * @param smsSent     SMS sent, cumulative as the modem keeps it
     * @param smsReceived SMS received, cumulative
     */
    public synchronized List<CellularEvent> observe(DataUsage usage, long smsSent, long smsReceived) {
        align();
        countersAvailable = usage.countersAvailable();
        if (countersAvailable) {
            count(QuotaKind.DATA, usage.total());
        }
        count(QuotaKind.SMS_MO, smsSent);
        count(QuotaKind.SMS_MT, smsReceived);
        return crossedThresholds();
    }

    private void count(QuotaKind kind, long total) {
        OptionalLong last = baseline.get(kind);
        if (last.isPresent()) {
            long delta = total >= last.getAsLong() ? total - last.getAsLong() : total;
            if (delta != 0) {
                used.merge(kind, delta, Math::addExact);
                dirty = true;
            }
        }
        if (last.isEmpty() || last.getAsLong() != total) {
            baseline.put(kind, OptionalLong.of(total));
            dirty = true;
        }
    }

    private List<CellularEvent> crossedThresholds() {
        List<CellularEvent> events = new ArrayList<>();
        for (QuotaKind kind : QuotaKind.values()) {
            QuotaUsage u = usage(kind);
            for (int level : policy.thresholds()) {
                if (u.atLeast(level) && warned.get(kind).add(level)) {
                    dirty = true;
                    events.add(CellularEvents.quotaThreshold(kind, level, u.used(), u.limit(), policy.action(),
                            cycle.end().toInstant().toString()));
                }
            }
        }
        return events;
    }

    /**
     * Takes a new policy. Usage is kept; a changed cycle day or zone re-anchors the current cycle.
     * Thresholds no longer reached under new limits are forgotten (they warn again when reached),
     * and thresholds newly reached are returned as events.
     */
    public synchronized List<CellularEvent> updatePolicy(QuotaPolicy newPolicy) {
        policy = Objects.requireNonNull(newPolicy, "policy");
        align();
        for (QuotaKind kind : QuotaKind.values()) {
            QuotaUsage u = usage(kind);
            dirty |= warned.get(kind).removeIf(level -> !policy.thresholds().contains(level) || !u.atLeast(level));
        }
        return crossedThresholds();
    }

    /**
     * Notes why the counters may be incomplete (for example the store returned the previous
     * generation of the document); shown in the status until the cycle ends.
     */
    public synchronized void noteProblem(String why) {
        problem = Optional.of(why);
    }

    /** The policy in force. */
    public synchronized QuotaPolicy policy() {
        return policy;
    }

    /** Rolls the cycle over when the clock passed its end; re-anchors it when the policy moved it. */
    private void align() {
        Instant now = clock.instant();
        BillingCycle current = BillingCycle.containing(now, policy.cycleStartDay(), policy.zone());
        if (!now.isBefore(cycle.end().toInstant())) {
            cycle = current;
            used.replaceAll((k, v) -> 0L);
            warned.values().forEach(TreeSet::clear);
            override = Optional.empty();
            problem = Optional.empty();
            dirty = true;
        } else if (!now.isBefore(cycle.start().toInstant()) && !sameInstants(current, cycle)) {
            cycle = current;
            dirty = true;
        }
    }

    private static boolean sameInstants(BillingCycle a, BillingCycle b) {
        return a.start().toInstant().equals(b.start().toInstant()) && a.end().toInstant().equals(b.end().toInstant());
    }

    /** The data quota's decision: refused only under {@code block}, at the limit, without an override. */
    public synchronized GateDecision checkData() {
        align();
        QuotaUsage u = usage(QuotaKind.DATA);
        if (policy.action() != QuotaAction.BLOCK || u.unlimited() || !countersAvailable
                || override.map(QuotaOverride::wholeCycle).orElse(false)) {
            return GateDecision.allow();
        }
        long extra = override.map(o -> o.extraBytes().getAsLong()).orElse(0L);
        if (u.used() < u.limit() + extra) {
            return GateDecision.allow();
        }
        return GateDecision.deny(DATA_GATE, "monthly data quota used up: " + Sizes.human(u.used()) + " of "
                + Sizes.human(u.limit()) + (extra > 0 ? " + " + Sizes.human(extra) + " override" : "")
                + "; blocked until " + until() + " or an administrator's quota override");
    }

    /**
     * Whether the gateway may send an SMS. SMS received cannot be refused by the gateway, so the MT
     * quota only warns; the MO quota refuses under {@code block}, unless a whole-cycle override is in force.
     */
    public synchronized GateDecision checkSmsSend() {
        align();
        QuotaUsage u = usage(QuotaKind.SMS_MO);
        if (policy.action() != QuotaAction.BLOCK || !u.reached() || override.map(QuotaOverride::wholeCycle).orElse(false)) {
            return GateDecision.allow();
        }
        return GateDecision.deny(SMS_GATE, "monthly SMS quota used up: " + u.used() + " of " + u.limit()
                + " SMS sent; blocked until " + until() + " or an administrator's quota override");
    }

    private String until() {
        ZonedDateTime end = cycle.end();
        return WHEN.format(end) + " (" + end.getZone() + ")";
    }

    /**
     * Grants an override until the end of the current cycle.
     *
     * @param extraBytes empty: nothing is blocked for the rest of the cycle; present: the data limit
     *                   is raised by that many bytes (replacing an earlier override)
     * @param by         who granted it
     */
    public synchronized QuotaOverride grantOverride(OptionalLong extraBytes, String by) {
        align();
        QuotaOverride o = new QuotaOverride(extraBytes, by, clock.instant(), cycle.end().toInstant());
        override = Optional.of(o);
        dirty = true;
        return o;
    }

    /** Withdraws an override; returns whether there was one. */
    public synchronized boolean clearOverride() {
        boolean had = override.isPresent();
        override = Optional.empty();
        dirty |= had;
        return had;
    }

    /** The ledger for display. */
    public synchronized QuotaStatus status() {
        align();
        return new QuotaStatus(cycle, usage(QuotaKind.DATA), usage(QuotaKind.SMS_MO), usage(QuotaKind.SMS_MT),
                policy.action(), override, countersAvailable, problem);
    }

    private QuotaUsage usage(QuotaKind kind) {
        return new QuotaUsage(kind, used.get(kind), policy.limit(kind), List.copyOf(warned.get(kind)));
    }

    /** Whether something changed since the last {@link #encode()} (persist then). */
    public synchronized boolean dirty() {
        return dirty;
    }

    /** Marks the ledger as not persisted (a write of {@link #encode()} failed): the next persist retries. */
    public synchronized void markDirty() {
        dirty = true;
    }

    /** The document to persist; clears {@link #dirty()} (call {@link #markDirty()} if writing it fails). */
    public synchronized byte[] encode() {
        Map<QuotaKind, List<Integer>> levels = new EnumMap<>(QuotaKind.class);
        warned.forEach((kind, set) -> levels.put(kind, List.copyOf(set)));
        byte[] document = QuotaDocument.encode(new QuotaDocument.Content(cycle.start().toInstant(),
                cycle.end().toInstant(), used, baseline, levels, override));
        dirty = false;
        return document;
    }
}
