package io.sitegate.filter.internal;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.dns.ResolvedName;
import io.sitegate.dns.ResolvedNameListener;
import io.sitegate.filter.internal.FilterRule.Proto;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound filter: loads Sitegate's nftables table for the configuration in force ({@link NftRenderer}, one
 * transaction), and adds the addresses of allowed names to their sets as the DNS forwarder resolves them, before the
 * answer leaves ({@link ResolvedNameListener}). A configuration nft refuses leaves the previous table in force.
 */
@Component(service = {FilterComponent.class, ResolvedNameListener.class}, configurationPid = FilterConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = FilterDefinition.class)
public final class FilterComponent implements ResolvedNameListener {
    static final String CAPABILITY = "filter";
    private static final Logger LOG = LoggerFactory.getLogger(FilterComponent.class);

    private final HealthRegistry health;
    private final ConfigLedger ledger;
    private final ConfigurationAdmin configAdmin;
    private final FqdnAddresses names = new FqdnAddresses();
    private volatile FilterConfig config;
    /** Per allowed name, the timeout sets its addresses go into: computed once per configuration, not per answer. */
    private volatile Map<String, NameSets> nameSets = Map.of();
    private volatile NftTable table;
    private volatile List<ProtectedEndpoint> endpoints = List.of();
    private final AccessWindows windows;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private volatile java.util.concurrent.ScheduledFuture<?> nextExpiry;

    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile org.osgi.service.event.EventAdmin events;

    @Activate
    public FilterComponent(Map<String, Object> properties, @Reference HealthRegistry health, @Reference ConfigLedger ledger,
            @Reference ConfigurationAdmin configAdmin, @Reference io.sitegate.core.StateStore store) throws io.sitegate.core.StateStoreException {
        this(properties, health, ledger, configAdmin, store, java.time.Clock.systemUTC());
    }

    FilterComponent(Map<String, Object> properties, HealthRegistry health, ConfigLedger ledger, ConfigurationAdmin configAdmin,
            io.sitegate.core.StateStore store, java.time.Clock clock) throws io.sitegate.core.StateStoreException {
        this.health = health;
        this.ledger = ledger;
        this.configAdmin = configAdmin;
        this.windows = new AccessWindows(store, clock);
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitegate-filter-access");
            t.setDaemon(true);
            return t;
        });
        apply(properties);
        scheduleExpiry();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private synchronized void apply(Map<String, Object> properties) {
        FilterConfig c;
        try {
            c = FilterConfig.from(properties);
        } catch (InvalidConfigurationException e) {
            refuse(properties, e.problems());
            return;
        }
        List<String> unresolved = new ArrayList<>();
        List<ProtectedEndpoint> protect;
        try {
            protect = ProtectedEndpoint.read(configAdmin, unresolved);
        } catch (IOException e) {
            refuse(properties, List.of(new ConfigProblem(FilterConfig.PID, "", "", "cannot read the endpoints to protect: " + e.getMessage())));
            return;
        }
        NftTable t = new NftTable(c.namespace());
        String script = NftRenderer.render(c.rules(), c.lan(), c.wan(), protect.stream().map(ProtectedEndpoint::host).distinct().toList(),
                names.known(Instant.now()), windows.list(), Instant.now(), sshPort());
        try {
            t.load(script);
        } catch (IOException e) {
            refuse(properties, List.of(new ConfigProblem(FilterConfig.PID, "", "", e.getMessage())));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        nameSets = nameSets(c.rules());
        config = c;
        NftTable old = table;
        table = t;
        if (old != null) {
            old.close();
        }
        endpoints = protect;
        try {
            AccessWindows.Reconciled r = windows.reconcile(c.access(), kernel);
            r.opened().forEach(w -> post("OPENED", w, "opened by the configuration"));
            r.closed().forEach(w -> post("CLOSED", w, "no longer in the configuration"));
            scheduleExpiry();
        } catch (Exception e) {
            LOG.error("filter: the configuration's access windows: {}", e.toString());
        }
        ledger.inForce(FilterConfig.PID, properties);
        health.report(CAPABILITY, unresolved.isEmpty() ? HealthState.UP : HealthState.DEGRADED, c.rules().rules().size() + " rules, default "
                + c.rules().defaultAction().name().toLowerCase() + ", " + protect.size() + " protected endpoint(s)"
                + (unresolved.isEmpty() ? "" : "; not protected (did not resolve): " + SafeText.escape(String.join(", ", unresolved))));
        LOG.info("filter: {} rules in force, default {}", c.rules().rules().size(), c.rules().defaultAction());
    }

    private void refuse(Map<String, ?> properties, List<ConfigProblem> problems) {
        boolean running = config != null;
        String reason = FilterConfig.PID + ": " + String.join("; ", problems.stream().map(ConfigProblem::toString).toList())
                + (running ? " (the previous rules stay in force)" : "");
        LOG.error(SafeText.escape(reason));
        health.report(CAPABILITY, running ? HealthState.DEGRADED : HealthState.DOWN, reason);
        ledger.refused(FilterConfig.PID, properties, problems);
    }

    /**
     * Puts the addresses of an allowed name into its sets, with the answer's TTL, before returning: the forwarder
     * sends the answer after this, so the client's first packet finds them.
     */
    @Override
    public void resolved(ResolvedName name) {
        NftTable t = table;
        NameSets sets = nameSets.get(name.name());
        if (t == null || sets == null) {
            return;
        }
        names.add(name.name(), name.addresses(), name.at().plus(name.ttl()));
        for (boolean v6 : new boolean[] {false, true}) {
            List<InetAddress> family = name.addresses().stream().filter(a -> (a instanceof Inet6Address) == v6).toList();
            if (family.isEmpty()) {
                continue;
            }
            for (String set : v6 ? sets.v6() : sets.v4()) {
                try {
                    t.addElements(set, family, name.ttl());
                } catch (IOException e) {
                    LOG.warn("filter: cannot allow {} for {}: {}", family, name.name(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The timeout sets of one allowed name, for its IPv4 and its IPv6 addresses. */
    record NameSets(List<String> v4, List<String> v6) {
    }

    /** Every allowed name with its sets, from the rules' groups (an answer only looks its name up). */
    static Map<String, NameSets> nameSets(RuleSet rules) {
        Map<String, List<String>> v4 = new java.util.HashMap<>();
        Map<String, List<String>> v6 = new java.util.HashMap<>();
        for (boolean six : new boolean[] {false, true}) {
            Map<String, List<String>> into = six ? v6 : v4;
            for (var g : rules.groups(six).entrySet()) {
                if (g.getKey().startsWith("fqdn_")) {
                    for (FilterRule r : g.getValue()) {
                        r.name().ifPresent(n -> {
                            List<String> sets = into.computeIfAbsent(n, k -> new ArrayList<>());
                            if (!sets.contains(g.getKey())) {
                                sets.add(g.getKey());
                            }
                        });
                    }
                }
            }
        }
        Map<String, NameSets> out = new java.util.HashMap<>();
        for (String n : rules.names()) {
            out.put(n, new NameSets(List.copyOf(v4.getOrDefault(n, List.of())), List.copyOf(v6.getOrDefault(n, List.of()))));
        }
        return Map.copyOf(out);
    }

    // ---- for the shell ----

    /** Which rule decides a packet to {@code address}, and why. */
    public String test(InetAddress address, Proto proto, int port) {
        FilterConfig c = config;
        if (c == null) {
            return "no filter in force";
        }
        return c.rules().decide(address, proto, port, n -> names.addresses(n, Instant.now())).explain(c.rules());
    }

    /** Mode, rule count, and the packets and bytes each rule group decided (from nft's counters). */
    public String status() throws IOException, InterruptedException {
        FilterConfig c = config;
        NftTable t = table;
        if (c == null || t == null) {
            return "no filter in force";
        }
        StringBuilder b = new StringBuilder();
        b.append("Mode:      ").append(c.rules().defaultAction() == FilterRule.Action.DENY ? "allow list (default deny)" : "deny list (default allow)").append('\n');
        b.append("Rules:     ").append(c.rules().rules().size()).append(" (").append(c.rules().names().size()).append(" names, ")
                .append(names.size()).append(" addresses of names allowed now)\n");
        b.append("LAN:       ").append(String.join(", ", c.lan())).append("; WAN: ").append(String.join(", ", c.wan())).append('\n');
        b.append("Protected: ");
        endpoints.stream().map(e -> e.what() + " " + e.address().getHostAddress()).distinct().forEach(e -> b.append("\n  ").append(e));
        b.append("\nCounters (in lookup order):\n");
        for (String line : t.chain("outbound").lines().toList()) {
            String l = line.strip();
            if (l.contains("counter")) {
                b.append("  ").append(l).append('\n');
            }
        }
        return b.toString();
    }

    /** The rules as configured, allow then deny, and the default. */
    public List<String> rules() {
        FilterConfig c = config;
        if (c == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        c.rules().rules().forEach(r -> out.add(r.toString()));
        out.add("default " + c.rules().defaultAction().name().toLowerCase());
        return out;
    }

    private int sshPort() {
        try {
            org.osgi.service.cm.Configuration[] c = configAdmin.listConfigurations("(service.pid=org.apache.karaf.shell)");
            Object p = c == null || c.length == 0 || c[0].getProperties() == null ? null : c[0].getProperties().get("sshPort");
            return p == null ? 8101 : Integer.parseInt(String.valueOf(p).strip());
        } catch (Exception e) {
            return 8101;
        }
    }

    // ---- access windows ----

    private final AccessWindows.Kernel kernel = new AccessWindows.Kernel() {
        @Override
        public void add(AccessWindow w, java.time.Duration left) throws Exception {
            NftTable t = table;
            if (t == null) {
                throw new IllegalStateException("no filter table is loaded");
            }
            t.addWindow(w, left);
        }

        @Override
        public void remove(AccessWindow w) throws Exception {
            NftTable t = table;
            if (t != null) {
                t.removeWindow(w);
            }
        }
    };

    /** Opens an access window (an operator's command or a policy); the event and the audit entry follow. */
    public String openWindow(String from, String to, java.time.Duration length, boolean wan, String by) throws Exception {
        Cidr source = Cidr.parse(from);
        InetAddress host = null;
        int port;
        if (to.equals("ssh")) {
            port = sshPort();
        } else {
            int colon = to.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--to is ssh or <lan-host>:<port>, not '" + to + "'");
            }
            String h = to.substring(0, colon).replaceAll("^\\[|\\]$", "");
            Cidr hostCidr = Cidr.parse(h);
            if (hostCidr.length() != hostCidr.width()) {
                throw new IllegalArgumentException("--to names one host, not the prefix " + h);
            }
            host = hostCidr.network();
            try {
                port = Integer.parseInt(to.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port '" + to.substring(colon + 1) + "' must be 1 to 65535");
            }
        }
        AccessWindow w = windows.open(source, host, port, wan ? AccessWindow.Via.WAN : AccessWindow.Via.TUNNEL, length, by, kernel);
        post("OPENED", w, "");
        scheduleExpiry();
        LOG.info("access window opened: {}", w);
        return w.toString();
    }

    /** Closes an access window now. */
    public String closeWindow(String id, String by) throws Exception {
        AccessWindow w = windows.close(id, kernel).orElseThrow(() -> new IllegalArgumentException("no open access window '" + id + "'"));
        post("CLOSED", w, "closed by " + by);
        LOG.info("access window closed by {}: {}", by, w);
        return w.toString();
    }

    /** The open windows with the time they have left. */
    public List<String> listWindows() {
        Instant now = Instant.now();
        return windows.list().stream().map(w -> w.id() + "  from " + w.from() + "  to " + w.target() + "  via " + w.via().text()
                + "  " + w.left(now).toSeconds() + " s left  (by " + w.by() + ")").toList();
    }

    private synchronized void scheduleExpiry() {
        java.util.concurrent.ScheduledFuture<?> f = nextExpiry;
        if (f != null) {
            f.cancel(false);
        }
        windows.nextExpiry().ifPresent(left -> nextExpiry = timer.schedule(this::expire, left.toMillis() + 50,
                java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    private void expire() {
        try {
            for (AccessWindow w : windows.expire()) {
                post("CLOSED", w, "expired");
                LOG.info("access window expired: {}", w);
            }
        } catch (Exception e) {
            LOG.warn("filter: closing expired access windows: {}", e.toString());
        }
        scheduleExpiry();
    }

    private void post(String what, AccessWindow w, String why) {
        org.osgi.service.event.EventAdmin ea = events;
        if (ea != null) {
            Map<String, Object> p = new java.util.HashMap<>();
            p.put("id", w.id());
            p.put("from", w.from().toString());
            p.put("to", w.target());
            p.put("via", w.via().text());
            p.put("expires", w.expires().toString());
            p.put("by", w.by());
            p.put("reason", why);
            ea.postEvent(new org.osgi.service.event.Event("io/sitegate/access/" + what, p));
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        NftTable t = table;
        if (t != null) {
            t.close();
        }
        // the table stays: a stopped capability must not open the LAN (an update restarts it and reloads it)
        health.withdraw(CAPABILITY);
        ledger.withdrawn(FilterConfig.PID);
    }

    List<ProtectedEndpoint> endpoints() {
        return endpoints;
    }
}
