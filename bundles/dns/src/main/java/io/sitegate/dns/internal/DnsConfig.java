package io.sitegate.dns.internal;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.dns.FirewallMode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The forwarder's configuration (PID {@code io.sitegate.dns}), validated as a whole: every property is
 * documented in the shipped {@code etc/io.sitegate.dns.cfg}, its defaults are those of
 * {@link DnsForwarderConfig}. Every bad value and every unknown property is reported at once, each naming
 * the property and the value.
 */
record DnsConfig(List<ListenSpec> listen, Set<String> wanInterfaces, boolean listenWan,
                 List<UpstreamSpec> upstreams, List<UpstreamSpec> privateUpstreams, String privateTunnel,
                 boolean privateFailClosed, boolean routePrivate, Map<String, Forward> forwards, String tlsCa,
                 int upstreamTimeoutMs, CacheConfig cache, FirewallConfig firewall, int rateLimitQps,
                 int rateLimitBurst, int tcpIdleTimeoutMs, int tcpMaxConnections, int tcpMaxConnectionsPerClient,
                 int querySample, int blockSample) {

    static final String PID = "io.sitegate.dns";
    private static final Pattern SUFFIX = Pattern.compile("([a-z0-9_-]{1,63}\\.)*[a-z0-9_-]{1,63}");

    /** A conditional forwarding entry: to the private upstreams, or to its own list. */
    record Forward(boolean toPrivate, List<UpstreamSpec> upstreams) {
    }

    /** Cache bounds and TTL clamps. */
    record CacheConfig(int maxEntries, long maxBytes, int minTtl, int maxTtl, int negativeMaxTtl, boolean serveStale,
                       int staleMaxAge) {
    }

    /** Firewall settings from the configuration; the rule lists are read by {@link FirewallConfig#allow}. */
    record FirewallConfig(FirewallMode mode, Set<String> allow, Set<String> deny, String allowFile, String denyFile,
                          BlockAnswer answer, InetAddress sinkhole4, InetAddress sinkhole6) {
    }

    /** What a blocked name gets. */
    enum BlockAnswer { NXDOMAIN, REFUSED, SINKHOLE }

    /** The configuration, or every problem it has at once in one {@link InvalidConfigurationException}. */
    static DnsConfig from(Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.collecting(PID, properties).defaults(DnsForwarderConfig.class);
        DnsConfig c = parse(v);
        List<ConfigProblem> problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return c;
    }

    /**
     * Every problem of a proposed configuration, the files it names included (the TLS CAs, the firewall
     * lists must load): nothing is applied.
     */
    static List<ConfigProblem> problems(String pid, Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.collecting(pid, properties).defaults(DnsForwarderConfig.class);
        DnsConfig c = parse(v);
        List<ConfigProblem> problems = new ArrayList<>(v.finish());
        if (problems.isEmpty()) {
            try {
                TlsTrust.context(c.tlsCa());
            } catch (InvalidConfigurationException e) {
                problems.add(new ConfigProblem(pid, e.property(), e.value(), reason(e)));
            }
            try {
                DnsForwarderComponent.FirewallLists.load(c);
            } catch (InvalidConfigurationException e) {
                problems.add(new ConfigProblem(pid, e.property(), e.value(), reason(e)));
            }
        }
        return problems;
    }

    private static String reason(InvalidConfigurationException e) {
        return e.problems().get(0).reason();
    }

    private static DnsConfig parse(ConfigurationValues v) {
        Map<String, ?> properties = v.properties();
        List<ListenSpec> listen = v.parsed("listen", ListenSpec::parseList);
        Set<String> wan = v.parsed("wan.interfaces", DnsConfig::names);
        boolean listenWan = v.bool("listen.wan");
        if (!listenWan) {
            for (ListenSpec l : listen) {
                if (l.address() != null && l.address().isAnyLocalAddress()) {
                    v.problem("listen", l, "a wildcard address includes the WAN side; list LAN addresses or set listen.wan = true");
                }
                if (l.iface() != null && wan.contains(l.iface())) {
                    v.problem("listen", l, l.iface() + " is a WAN interface (wan.interfaces); set listen.wan = true to allow it");
                }
            }
        }
        List<UpstreamSpec> privates = v.parsed("private.upstreams", UpstreamSpec::parseList);
        String route = v.matching("route", Pattern.compile("public|private"), "public or private");
        if (route.equals("private") && privates.isEmpty()) {
            v.problem("route", route, "private.upstreams is empty");
        }
        return new DnsConfig(listen, wan, listenWan,
                v.parsed("upstreams", UpstreamSpec::parseList),
                privates,
                Objects.requireNonNullElse(v.matching("private.tunnel", Pattern.compile("[a-z0-9._/-]+"), "a health capability like tunnel/corp"), ""),
                v.bool("private.failClosed"),
                route.equals("private"),
                forwards(v, properties, privates),
                Objects.requireNonNullElse(v.string("tls.ca"), ""),
                (int) v.integer("upstream.timeout", 100, 10_000),
                new CacheConfig((int) v.integer("cache.maxEntries", 0, 10_000_000),
                        v.integer("cache.maxBytes", 0, 1L << 32),
                        (int) v.integer("cache.minTtl", 0, 86_400),
                        (int) v.integer("cache.maxTtl", 0, 7 * 86_400),
                        (int) v.integer("cache.negativeMaxTtl", 0, 86_400),
                        v.bool("cache.serveStale"),
                        (int) v.integer("cache.staleMaxAge", 1, 30 * 86_400)),
                new FirewallConfig(
                        v.parsed("firewall.mode", DnsConfig::mode),
                        v.parsed("firewall.allow", DnsConfig::names),
                        v.parsed("firewall.deny", DnsConfig::names),
                        Objects.requireNonNullElse(v.string("firewall.allowFile"), ""),
                        Objects.requireNonNullElse(v.string("firewall.denyFile"), ""),
                        v.parsed("firewall.answer", s -> BlockAnswer.valueOf(oneOf(s, "nxdomain", "refused", "sinkhole"))),
                        v.parsed("firewall.sinkhole4", s -> address(s, 4)),
                        v.parsed("firewall.sinkhole6", s -> address(s, 16))),
                (int) v.integer("rateLimit.qps", 0, 1_000_000),
                (int) v.integer("rateLimit.burst", 0, 10_000_000),
                (int) v.integer("tcp.idleTimeout", 100, 600_000),
                (int) v.integer("tcp.maxConnections", 1, 4096),
                (int) v.integer("tcp.maxConnectionsPerClient", 1, 4096),
                (int) v.integer("log.querySample", 0, Integer.MAX_VALUE),
                (int) v.integer("log.blockSample", 0, Integer.MAX_VALUE));
    }

    private static Map<String, Forward> forwards(ConfigurationValues v, Map<String, ?> properties, List<UpstreamSpec> privates) {
        Map<String, Forward> forwards = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (!e.getKey().startsWith("forward.")) {
                continue;
            }
            v.known(e.getKey());
            String suffix = e.getKey().substring("forward.".length()).toLowerCase(Locale.ROOT);
            String value = String.valueOf(e.getValue()).trim();
            if (!SUFFIX.matcher(suffix).matches()) {
                v.problem(e.getKey(), value, "'" + suffix + "' is not a domain name");
                continue;
            }
            if (value.equals("private")) {
                if (privates.isEmpty()) {
                    v.problem(e.getKey(), value, "private.upstreams is empty");
                    continue;
                }
                forwards.put(suffix, new Forward(true, privates));
                continue;
            }
            try {
                List<UpstreamSpec> list = UpstreamSpec.parseList(value);
                if (list.isEmpty()) {
                    throw new IllegalArgumentException("expected \"private\" or upstreams");
                }
                forwards.put(suffix, new Forward(false, list));
            } catch (IllegalArgumentException ex) {
                v.problem(e.getKey(), value, ex.getMessage());
            }
        }
        return forwards;
    }

    private static Set<String> names(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static FirewallMode mode(String s) {
        return oneOf(s, "deny", "allowOnly").equals("DENY") ? FirewallMode.DENY_LIST : FirewallMode.ALLOW_ONLY;
    }

    private static String oneOf(String s, String... choices) {
        for (String c : choices) {
            if (c.equalsIgnoreCase(s)) {
                return c.toUpperCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", choices));
    }

    private static InetAddress address(String s, int bytes) {
        InetAddress a = IpLiteral.parse(s);
        if (a.getAddress().length != bytes) {
            throw new IllegalArgumentException("expected an IPv" + (bytes == 4 ? 4 : 6) + " address");
        }
        return a;
    }

}
