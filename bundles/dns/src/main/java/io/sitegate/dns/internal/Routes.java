package io.sitegate.dns.internal;

import io.sitegate.dns.UpstreamStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which upstreams a name goes to: the longest matching {@code forward.<suffix>}, else the default route
 * (public or private). The private upstreams sit behind a tunnel and are used only while its health lets
 * them ({@link #reachable}); otherwise their names get SERVFAIL (fail closed) or go to the public upstreams.
 */
final class Routes {

    /** The tunnel supervisor's aggregate capability: DEGRADED while it runs on a backup tunnel. */
    static final String TUNNELS = "tunnels";

    /**
     * Whether the private upstreams behind {@code capability} may be used when it reports {@code state}: when it is
     * UP, and also when the aggregate {@value #TUNNELS} is DEGRADED, which means failed over to a backup tunnel that
     * works (a single {@code tunnel/<name>} is DEGRADED when its probe fails: not usable). Before, a failover cut the
     * private names off until the failback (the site lab's LAN lost app.corp.example for a minute when its cache
     * entry ran out during a failover).
     */
    static boolean reachable(String capability, io.sitegate.core.HealthState state) {
        return state == io.sitegate.core.HealthState.UP
                || (state == io.sitegate.core.HealthState.DEGRADED && capability.equals(TUNNELS));
    }

    /** A list of upstreams tried in order. */
    record Route(String name, List<Upstream> upstreams, boolean viaTunnel) {
    }

    /** The outcome of routing one name: the route to use, or why there is none. */
    record Selection(Route route, String refusal) {
    }

    private final Route publicRoute;
    private final Route privateRoute;
    private final Route defaultRoute;
    private final Map<String, Route> forwards = new LinkedHashMap<>();
    private final String tunnel;
    private final boolean failClosed;

    Routes(DnsConfig c) {
        publicRoute = route("public", c.upstreams(), false);
        tunnel = c.privateTunnel();
        privateRoute = route("private", c.privateUpstreams(), !tunnel.isEmpty());
        failClosed = c.privateFailClosed();
        defaultRoute = c.routePrivate() ? privateRoute : publicRoute;
        c.forwards().forEach((suffix, f) ->
                forwards.put(suffix, f.toPrivate() ? privateRoute : route("forward " + suffix, f.upstreams(), false)));
    }

    private static Route route(String name, List<UpstreamSpec> specs, boolean viaTunnel) {
        List<Upstream> list = new ArrayList<>();
        for (UpstreamSpec s : specs) {
            list.add(new Upstream(s, name));
        }
        return new Route(name, List.copyOf(list), viaTunnel);
    }

    /**
     * Routes a name (lower case, no final dot).
     *
     * @param tunnelUp whether a health capability is UP
     */
    Selection select(String name, Predicate<String> tunnelUp) {
        Route r = forwardFor(name);
        if (r == null) {
            r = defaultRoute;
        }
        if (r.viaTunnel() && !tunnelUp.test(tunnel)) {
            if (failClosed) {
                return new Selection(null, "private DNS unavailable: " + tunnel + " is not UP");
            }
            r = publicRoute;
        }
        if (r.upstreams().isEmpty()) {
            return new Selection(null, "no upstreams configured for " + r.name());
        }
        return new Selection(r, null);
    }

    private Route forwardFor(String name) {
        if (forwards.isEmpty()) {
            return null;
        }
        int dot = -1;
        do {
            Route r = forwards.get(name.substring(dot + 1));
            if (r != null) {
                return r;
            }
            dot = name.indexOf('.', dot + 1);
        } while (dot >= 0);
        return null;
    }

    /** Every upstream's status, in configuration order (public, private, then forwards). */
    List<UpstreamStatus> status(Predicate<String> tunnelUp) {
        List<UpstreamStatus> out = new ArrayList<>();
        List<Route> seen = new ArrayList<>();
        List<Route> all = new ArrayList<>(List.of(publicRoute, privateRoute));
        all.addAll(forwards.values());
        for (Route r : all) {
            if (seen.contains(r)) {
                continue;
            }
            seen.add(r);
            String down = r.viaTunnel() && !tunnelUp.test(tunnel) ? tunnel + " is not UP" : null;
            r.upstreams().forEach(u -> out.add(u.status(down)));
        }
        return out;
    }

    /** Whether at least one upstream that may be used now is healthy. */
    boolean anyHealthy(Predicate<String> tunnelUp) {
        return status(tunnelUp).stream().anyMatch(s -> s.state() == io.sitegate.core.HealthState.UP);
    }
}
