package io.sitegate.tools.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The decisions of a canary rollout, without a broker: whether a canary passed, and the group phase's tally of
 * final acks per member. Thread-safe.
 */
final class RolloutTally {
    private final Set<String> members;
    private final Set<String> canaries;
    private final long version;
    private final String target;
    private final Map<String, PolicyAck> finals = new TreeMap<>();

    RolloutTally(Set<String> members, Set<String> canaries, long version, String target) {
        this.members = new TreeSet<>(members);
        this.canaries = Set.copyOf(canaries);
        this.version = version;
        this.target = target;
    }

    /**
     * Why a canary fails, or null when it passes: it must have acked {@code applied} for this version, and the
     * watched health entries of its latest status must be UP.
     */
    static String canaryProblem(String gateway, PolicyAck finalAck, GatewayStatus status) {
        if (finalAck == null) {
            return gateway + ": no final ack";
        }
        if (!finalAck.applied()) {
            return gateway + ": " + finalAck.result() + (finalAck.reason().isEmpty() ? "" : " (" + finalAck.reason() + ")");
        }
        if (status == null || !status.online()) {
            return gateway + ": offline after applying";
        }
        List<String> bad = status.watchedNotUp();
        return bad.isEmpty() ? null : gateway + ": health " + String.join(", ", bad);
    }

    /** Counts a final ack of this version and target; a gateway that was not seen as a member joins. */
    synchronized void ack(PolicyAck a) {
        if (!a.isFinal() || a.version() != version || !a.target().equals(target)) {
            return;
        }
        members.add(a.gateway());
        finals.putIfAbsent(a.gateway(), a);
    }

    synchronized boolean complete() {
        return finals.keySet().containsAll(members);
    }

    private boolean counted(String gw, PolicyAck a) {
        return a.applied() || canaries.contains(gw) && a.alreadyApplied();
    }

    synchronized boolean allApplied() {
        return complete() && members.stream().allMatch(gw -> counted(gw, finals.get(gw)));
    }

    /** {@code applied A, rejected R, rolled back B, silent S (of N gateways) in X.X s}. */
    synchronized String summary(double seconds) {
        int applied = 0;
        int rejected = 0;
        int rolledBack = 0;
        int silent = 0;
        for (String gw : members) {
            PolicyAck a = finals.get(gw);
            if (a == null) {
                silent++;
            } else if (counted(gw, a)) {
                applied++;
            } else if (a.result().equals("rolled_back") || a.result().equals("fallback")) {
                rolledBack++;
            } else {
                rejected++;
            }
        }
        return String.format(java.util.Locale.ROOT, "applied %d, rejected %d, rolled back %d, silent %d (of %d gateways) in %.1f s",
                applied, rejected, rolledBack, silent, members.size(), seconds);
    }

    /** Per gateway that did not apply: why. */
    synchronized List<String> problems() {
        List<String> out = new ArrayList<>();
        for (String gw : members) {
            PolicyAck a = finals.get(gw);
            if (a == null) {
                out.add(gw + ": silent");
            } else if (!counted(gw, a)) {
                out.add(gw + ": " + a.result() + (a.reason().isEmpty() ? "" : " (" + a.reason() + ")"));
            }
        }
        return out;
    }

    /** The first {@code n} online members, by id: the canaries. */
    static List<String> pickCanaries(Map<String, GatewayStatus> members, int n) {
        List<String> online = new ArrayList<>();
        new TreeMap<>(members).forEach((gw, s) -> {
            if (s.online()) {
                online.add(gw);
            }
        });
        return online.subList(0, Math.min(n, online.size()));
    }

    /** The gateways whose status lists {@code group}. */
    static Map<String, GatewayStatus> membersOf(String group, Map<String, GatewayStatus> statuses) {
        Map<String, GatewayStatus> m = new LinkedHashMap<>();
        statuses.forEach((gw, s) -> {
            if (s.groups().contains(group)) {
                m.put(gw, s);
            }
        });
        return m;
    }
}
