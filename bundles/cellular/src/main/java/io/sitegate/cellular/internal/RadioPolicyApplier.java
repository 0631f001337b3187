package io.sitegate.cellular.internal;

import io.sitegate.cellular.DnsPolicy;
import io.sitegate.cellular.NetworkPolicy;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.cellular.RadioPolicyStatus.Phase;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.Modem;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.Rat;
import io.sitegate.modem.UnsupportedCapabilityException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the radio part of the policy (RAT order, pinned network, custom DNS) to one modem: when the
 * policy changes and whenever the modem's AT link becomes READY (a re-initialised modem has lost or
 * reset those settings). {@link #poll} is called periodically on one thread; it only reads the status
 * until there is something to do. A failure is reported with the modem's own error; one the modem
 * cannot ever do (an unsupported RAT) is not retried until the policy or the link changes, others
 * are retried after a minute. Without a pin, automatic selection is restored only if this applier pinned.
 */
final class RadioPolicyApplier {
    private static final Logger LOG = LoggerFactory.getLogger(RadioPolicyApplier.class);
    static final Duration RETRY = Duration.ofMinutes(1);

    private final String modemId;
    private final Clock clock;
    private NetworkPolicy network = NetworkPolicy.any();
    private DnsPolicy dns = DnsPolicy.network();
    private long generation;
    private boolean pending = true;
    private boolean linkReady;
    private Instant retryAt = Instant.MIN;
    private Optional<String> pinned = Optional.empty();
    private RadioPolicyStatus status = new RadioPolicyStatus(Phase.WAITING, "waiting for the modem", Optional.empty());

    RadioPolicyApplier(String modemId, Clock clock, NetworkPolicy network, DnsPolicy dns) {
        this.modemId = modemId;
        this.clock = clock;
        this.network = network;
        this.dns = dns;
    }

    /** The wanted settings; a change is applied at the next poll. */
    synchronized void want(NetworkPolicy newNetwork, DnsPolicy newDns) {
        if (!newNetwork.equals(network) || !newDns.equals(dns)) {
            network = newNetwork;
            dns = newDns;
            generation++;
            pending = true;
            retryAt = Instant.MIN;
        }
    }

    synchronized RadioPolicyStatus status() {
        return status;
    }

    /** Applies what is pending once the modem's link is READY. Blocks for the modem's answers. */
    void poll(Modem modem) {
        NetworkPolicy n;
        DnsPolicy d;
        long gen;
        Optional<String> pinnedBefore;
        synchronized (this) {
            LinkState link = modem.status().link();
            if (link != LinkState.READY) {
                linkReady = false;
                pending = true;
                retryAt = Instant.MIN;
                if (somethingToApply()) {
                    status = new RadioPolicyStatus(Phase.WAITING, "waiting for the modem's AT link (" + link + ")", status.at());
                }
                return;
            }
            if (!linkReady) {
                linkReady = true;
                pending = true;
                retryAt = Instant.MIN;
            }
            if (!pending || clock.instant().isBefore(retryAt)) {
                return;
            }
            if (!somethingToApply()) {
                pending = false;
                status = new RadioPolicyStatus(Phase.NOTHING_TO_APPLY, "modem settings left as configured", Optional.empty());
                return;
            }
            n = network;
            d = dns;
            gen = generation;
            pinnedBefore = pinned;
        }
        apply(modem, n, d, gen, pinnedBefore);
    }

    private boolean somethingToApply() {
        return !network.ratOrder().isEmpty() || network.pinnedPlmn().isPresent() || pinned.isPresent() || dns.custom();
    }

    private void apply(Modem modem, NetworkPolicy n, DnsPolicy d, long gen, Optional<String> pinnedBefore) {
        List<String> done = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean permanent = true;
        Optional<String> nowPinned = pinnedBefore;
        if (!n.ratOrder().isEmpty()) {
            String what = "RAT order " + rats(n.ratOrder());
            permanent &= step(done, errors, what, () -> modem.setRatOrder(n.ratOrder()));
        }
        if (n.pinnedPlmn().isPresent()) {
            String plmn = n.pinnedPlmn().get();
            int before = errors.size();
            permanent &= step(done, errors, "network " + plmn + " pinned", () -> modem.selectOperator(plmn));
            nowPinned = errors.size() == before ? Optional.of(plmn) : nowPinned;
        } else if (pinnedBefore.isPresent()) {
            int before = errors.size();
            permanent &= step(done, errors, "automatic network selection", () -> modem.selectOperator(null));
            nowPinned = errors.size() == before ? Optional.empty() : nowPinned;
        }
        if (d.custom()) {
            String what = "DNS " + d.primary().get() + d.secondary().map(s -> ", " + s).orElse("");
            permanent &= step(done, errors, what, () -> modem.setDnsServers(d.primary().get(), d.secondary().orElse(null)));
        }
        synchronized (this) {
            pinned = nowPinned;
            Instant now = clock.instant();
            if (errors.isEmpty()) {
                status = new RadioPolicyStatus(Phase.APPLIED, String.join("; ", done), Optional.of(now));
                pending = generation != gen;
                LOG.info("modem {}: radio policy applied: {}", modemId, status.detail());
            } else {
                String detail = String.join("; ", errors) + (done.isEmpty() ? "" : " (applied: " + String.join("; ", done) + ")");
                status = new RadioPolicyStatus(Phase.FAILED, detail, Optional.of(now));
                pending = true;
                retryAt = generation != gen ? Instant.MIN : permanent ? Instant.MAX : now.plus(RETRY);
                LOG.error("modem {}: radio policy not applied: {}", modemId, detail);
            }
        }
    }

    private interface Step {
        void run() throws ModemException;
    }

    /** Runs one step; returns true when it succeeded or failed for good (the modem cannot do it). */
    private static boolean step(List<String> done, List<String> errors, String what, Step step) {
        try {
            step.run();
            done.add(what);
            return true;
        } catch (ModemException e) {
            errors.add(what + ": " + e.getMessage());
            return e.getCause() instanceof UnsupportedCapabilityException;
        } catch (RuntimeException e) {
            errors.add(what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof UnsupportedCapabilityException || e instanceof IllegalArgumentException;
        }
    }

    /** {@code lte, lte-m}: the configuration spelling. */
    static String rats(List<Rat> order) {
        return String.join(",", order.stream().map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }
}
