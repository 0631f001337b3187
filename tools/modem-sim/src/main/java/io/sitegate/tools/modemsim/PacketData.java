package io.sitegate.tools.modemsim;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PDP contexts ({@code +CGDCONT}), which are active ({@code +CGACT}), the APNs the subscription allows and
 * the data counters.
 */
public final class PacketData {

    /**
     * A defined PDP context.
     *
     * @param cid  context id
     * @param type PDP type (IP, IPV6, IPV4V6)
     * @param apn  access point name
     */
    public record Context(int cid, String type, String apn) {
    }

    private final Map<Integer, Context> contexts = new TreeMap<>();
    private final Set<Integer> active = new TreeSet<>();
    private final Set<String> allowedApns = new LinkedHashSet<>();
    private final DataCounters counters;
    private String address = "10.64.12.34";

    PacketData(DataCounters counters) {
        this.counters = counters;
        contexts.put(1, new Context(1, "IP", "internet"));
    }

    /** @return defined contexts by cid */
    public Map<Integer, Context> contexts() { return contexts; }
    /** @return the cids of active contexts */
    public Set<Integer> active() { return active; }
    /** @return APNs the subscription allows; empty means any */
    public Set<String> allowedApns() { return allowedApns; }
    public DataCounters counters() { return counters; }
    /** @return the IPv4 address the network assigns on activation */
    public String address() { return address; }
    public void address(String v) { address = v; }

    /** @return true when the subscription allows the APN (case-insensitive, as APNs are) */
    public boolean allows(String apn) {
        if (allowedApns.isEmpty()) {
            return true;
        }
        return allowedApns.stream().anyMatch(a -> a.equalsIgnoreCase(apn));
    }

    /** Activates a context and starts the counters. */
    public void activate(int cid) {
        active.add(cid);
        counters.start();
    }

    /** Deactivates a context; the counters stop with the last one. */
    public void deactivate(int cid) {
        active.remove(cid);
        if (active.isEmpty()) {
            counters.stop();
        }
    }

    /** Deactivates every context (detach, reset, loss of coverage). */
    public void deactivateAll() {
        active.clear();
        counters.stop();
    }
}
