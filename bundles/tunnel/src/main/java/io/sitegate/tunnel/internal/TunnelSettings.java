package io.sitegate.tunnel.internal;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.SafeText;
import io.sitegate.core.SecretStore;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.tunnel.internal.ipsec.IpsecConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One tunnel's configuration ({@code io.sitegate.tunnel~<name>}), read strictly: every problem is found in one pass
 * and names its property; nothing is looked up on the network (host names are checked for their form only) and no
 * secret is read (a PSK is named, its file is read when the tunnel connects).
 */
public record TunnelSettings(String name, Type type, int priority, List<Endpoint> endpoints, Optional<String> region,
                             boolean leaveRegion, List<String> prefixes, String probeTarget, Duration probeInterval,
                             int probeFailures, int probeSuccesses, Duration holdDown, int keepalive, int keepaliveTimeout,
                             Optional<String> namespace, Optional<String> source, Ipsec ipsec, OpenVpn openvpn) {

    public static final String FACTORY_PID = "io.sitegate.tunnel";

    /** The daemon behind a tunnel. */
    public enum Type { IPSEC, OPENVPN }

    /** One cloud endpoint: its region, host, and port (0: the protocol's default). */
    public record Endpoint(String region, String host, int port) {
        @Override
        public String toString() {
            return region + ":" + host + (port == 0 ? "" : ":" + port);
        }
    }

    /** IPsec settings (unused for OpenVPN). */
    public record Ipsec(String vici, String localId, String remoteId, IpsecConnection.Auth auth, String pskSecret,
                        Path cert, Path key, Path ca, List<String> proposals, List<String> espProposals, List<String> localTs) {
    }

    /** OpenVPN settings (unused for IPsec). */
    public record OpenVpn(Path ca, Path cert, Path key, String serverName, String protocol, Path command) {
    }

    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,15}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern VICI = Pattern.compile("unix:///[A-Za-z0-9._/+@-]{1,100}|tcp://(127\\.0\\.0\\.1|\\[::1]|localhost):\\d{1,5}");
    /** OpenVPN's device is {@code sg-<name>}: Linux allows 15 characters (IFNAMSIZ 16 with the NUL). */
    static final int OPENVPN_NAME_MAX = 12;

    /** The device name of an OpenVPN tunnel. */
    public String device() {
        return type == Type.OPENVPN ? "sg-" + name : "ipsec0";
    }

    /** The tunnel's name from its PID. */
    static String nameOf(String pid) {
        int tilde = pid.indexOf('~');
        return tilde < 0 ? pid : pid.substring(tilde + 1);
    }

    /** The settings, or every problem at once. */
    public static TunnelSettings from(String pid, Map<String, ?> properties, SecretStore secrets) {
        ConfigurationValues v = ConfigurationValues.collecting(pid, properties).defaults(TunnelConfig.class);
        TunnelSettings s = parse(pid, v, secrets);
        List<ConfigProblem> problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return s;
    }

    /** Every problem of a proposed configuration; nothing is applied. */
    public static List<ConfigProblem> problems(String pid, Map<String, ?> properties, SecretStore secrets) {
        ConfigurationValues v = ConfigurationValues.collecting(pid, properties).defaults(TunnelConfig.class);
        parse(pid, v, secrets);
        return v.finish();
    }

    private static TunnelSettings parse(String pid, ConfigurationValues v, SecretStore secrets) {
        String name = nameOf(pid);
        String typeText = v.string("type");
        Type type = null;
        if (typeText == null) {
            v.problem("type", "", "required: ipsec or openvpn");
        } else if (typeText.equals("ipsec")) {
            type = Type.IPSEC;
        } else if (typeText.equals("openvpn")) {
            type = Type.OPENVPN;
            if (name.length() > OPENVPN_NAME_MAX) {
                v.problem("type", typeText, "an OpenVPN tunnel's name (" + name + ") has at most " + OPENVPN_NAME_MAX
                        + " characters: its device is sg-<name> and Linux allows 15");
            }
        } else {
            v.problem("type", typeText, "expected ipsec or openvpn");
        }
        int priority = (int) v.integer("priority", 1, 1000);
        List<Endpoint> endpoints = endpoints(v, type);
        Optional<String> region = Optional.ofNullable(v.matching("region", REGION, "a region name such as eu, na, asia"));
        boolean leave = v.bool("region.leave");
        List<String> prefixes = cidrs(v, "prefixes", true);
        String probe = v.string("probe.address");
        if (probe == null) {
            v.problem("probe.address", "", "required: an address inside the cloud network that answers ping");
        } else if (!IpsecConnection.isCidr(probe + (probe.contains(":") ? "/128" : "/32"))) {
            v.problem("probe.address", probe, "an IPv4 or IPv6 address (a name would need DNS through the tunnel it checks)");
            probe = null;
        } else if (!prefixes.isEmpty() && prefixes.stream().noneMatch(p -> Cidr.contains(p, v.string("probe.address")))) {
            v.problem("probe.address", probe, "must be inside one of the prefixes (" + String.join(", ", prefixes)
                    + "): otherwise the probe does not go through the tunnel");
        }
        Duration interval = Duration.ofSeconds(v.integer("probe.interval", 1, 3600));
        int failures = (int) v.integer("probe.failures", 1, 100);
        int successes = (int) v.integer("probe.successes", 1, 100);
        Duration holdDown = Duration.ofSeconds(v.integer("failback.holdDown", 0, 86_400));
        int keepalive = (int) v.integer("keepalive", 1, 3600);
        int keepaliveTimeout = (int) v.integer("keepalive.timeout", 2, 86_400);
        if (keepaliveTimeout < 2 * keepalive) {
            v.problem("keepalive.timeout", keepaliveTimeout, "at least twice keepalive (" + 2 * keepalive + " s)");
        }
        Optional<String> namespace = Optional.ofNullable(v.matching("namespace", NAMESPACE, "a network namespace name"));
        Optional<String> source = Optional.ofNullable(v.string("source"));
        if (source.isPresent() && !IpsecConnection.isCidr(source.get() + (source.get().contains(":") ? "/128" : "/32"))) {
            v.problem("source", source.get(), "an IPv4 or IPv6 address of this gateway");
            source = Optional.empty();
        }
        Ipsec ipsec = ipsec(v, type == Type.IPSEC, secrets, source, name, endpoints, prefixes);
        OpenVpn openvpn = openvpn(v, type == Type.OPENVPN);
        return new TunnelSettings(name, type, priority, endpoints, region, leave, prefixes, probe, interval, failures,
                successes, holdDown, keepalive, keepaliveTimeout, namespace, source, ipsec, openvpn);
    }

    private static List<Endpoint> endpoints(ConfigurationValues v, Type type) {
        String raw = v.string("endpoints");
        List<Endpoint> out = new ArrayList<>();
        if (raw == null) {
            v.problem("endpoints", "", "required: region:host or region:host:port, comma separated (e.g. eu:vpn1.example.net)");
            return out;
        }
        for (String item : raw.split(",")) {
            String e = item.strip();
            String[] parts = e.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || !REGION.matcher(parts[0]).matches() || !hostOrAddress(parts[1])) {
                v.problem("endpoints", e, "expected region:host or region:host:port (IPv6 addresses: give a host name)");
                continue;
            }
            int port = 0;
            if (parts.length == 3) {
                if (!parts[2].matches("\\d{1,5}") || Integer.parseInt(parts[2]) < 1 || Integer.parseInt(parts[2]) > 65535) {
                    v.problem("endpoints", e, "port 1-65535");
                    continue;
                }
                port = Integer.parseInt(parts[2]);
                if (type == Type.IPSEC) {
                    v.problem("endpoints", e, "IPsec endpoints take no port (IKE uses 500 and 4500)");
                    continue;
                }
            }
            out.add(new Endpoint(parts[0], parts[1], port));
        }
        if (new LinkedHashSet<>(out).size() != out.size()) {
            v.problem("endpoints", raw, "an endpoint is listed twice");
        }
        return List.copyOf(out);
    }

    private static boolean hostOrAddress(String s) {
        return IpsecConnection.isCidr(s + "/32") || HOST.matcher(s).matches()
                && s.substring(s.lastIndexOf('.') + 1).matches("[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*");
    }

    private static List<String> cidrs(ConfigurationValues v, String key, boolean required) {
        String raw = v.string(key);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            if (required) {
                v.problem(key, "", "required: CIDRs such as 10.20.0.0/16, comma separated");
            }
            return out;
        }
        for (String item : raw.split(",")) {
            String c = item.strip();
            if (!IpsecConnection.isCidr(c)) {
                v.problem(key, c, "a prefix in CIDR form with no host bits, such as 10.20.0.0/16 or 2001:db8::/48");
            } else {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> list(ConfigurationValues v, String key) {
        String raw = v.string(key);
        List<String> out = new ArrayList<>();
        for (String item : raw.split(",")) {
            if (!item.isBlank()) {
                out.add(item.strip());
            }
        }
        return List.copyOf(out);
    }

    private static Ipsec ipsec(ConfigurationValues v, boolean used, SecretStore secrets, Optional<String> source, String name,
                               List<Endpoint> endpoints, List<String> prefixes) {
        String vici = v.matching("ipsec.vici", VICI, "unix:///path or tcp://127.0.0.1:port");
        String localId = v.string("ipsec.localId");
        String remoteId = v.string("ipsec.remoteId");
        String authText = v.string("ipsec.auth");
        IpsecConnection.Auth auth = switch (authText) {
            case "psk" -> IpsecConnection.Auth.PSK;
            case "pubkey" -> IpsecConnection.Auth.PUBKEY;
            default -> {
                v.problem("ipsec.auth", authText, "psk or pubkey");
                yield null;
            }
        };
        String psk = v.string("ipsec.pskSecret");
        Path cert = file(v, "ipsec.cert", used && auth == IpsecConnection.Auth.PUBKEY);
        Path key = file(v, "ipsec.key", used && auth == IpsecConnection.Auth.PUBKEY);
        Path ca = file(v, "ipsec.ca", used && auth == IpsecConnection.Auth.PUBKEY);
        List<String> proposals = list(v, "ipsec.proposals");
        List<String> esp = list(v, "ipsec.espProposals");
        List<String> localTs = cidrs(v, "ipsec.localTs", used);
        if (!used) {
            return new Ipsec(vici, localId, remoteId, auth, psk, cert, key, ca, proposals, esp, localTs);
        }
        if (localId == null) {
            v.problem("ipsec.localId", "", "required: this gateway's IKE identity");
        }
        if (remoteId == null) {
            v.problem("ipsec.remoteId", "", "required: the cloud endpoint's IKE identity");
        }
        if (auth == IpsecConnection.Auth.PSK) {
            if (psk == null) {
                v.problem("ipsec.pskSecret", "", "required with ipsec.auth = psk: the name of the secret holding the key");
            } else if (!SecretStore.isValidName(psk)) {
                v.problem("ipsec.pskSecret", psk, "a secret's name (letters, digits, . _ -)");
            } else if (secrets != null && !Files.isRegularFile(secrets.directory().resolve(psk))) {
                v.problem("ipsec.pskSecret", psk, "no such secret: put the key in " + secrets.directory().resolve(psk) + " (mode 0600)");
            }
        }
        if (source.isEmpty()) {
            v.problem("source", "", "required for IPsec: the gateway's own LAN address inside ipsec.localTs, the source of its own"
                    + " traffic to the cloud (probes, DNS) so that it matches the tunnel's traffic selectors");
        } else if (!localTs.isEmpty() && localTs.stream().noneMatch(p -> Cidr.contains(p, source.get()))) {
            v.problem("source", source.get(), "must be inside ipsec.localTs (" + String.join(", ", localTs) + ")");
        }
        // The rest is checked as charon will see it: render the connection for each endpoint.
        if (localId != null && remoteId != null && auth != null && !localTs.isEmpty() && !prefixes.isEmpty()) {
            for (Endpoint e : endpoints) {
                try {
                    new IpsecConnection(name, e.host(), localId, remoteId, auth, proposals, esp, localTs, prefixes, 30);
                } catch (IllegalArgumentException ex) {
                    String msg = ex.getMessage();
                    String prop = msg.startsWith("proposals") ? "ipsec.proposals" : msg.startsWith("espProposals") ? "ipsec.espProposals"
                            : msg.startsWith("localId") ? "ipsec.localId" : msg.startsWith("remoteId") ? "ipsec.remoteId"
                            : msg.startsWith("name") ? "type" : "endpoints";
                    Object shown = v.properties().get(prop);
                    v.problem(prop, shown == null ? e.toString() : String.valueOf(shown), prop.equals("endpoints") ? e + ": " + msg : msg);
                    break;
                }
            }
        }
        return new Ipsec(vici, localId, remoteId, auth, psk, cert, key, ca, proposals, esp, localTs);
    }

    private static OpenVpn openvpn(ConfigurationValues v, boolean used) {
        Path ca = file(v, "openvpn.ca", used);
        Path cert = file(v, "openvpn.cert", used);
        Path key = file(v, "openvpn.key", used);
        String serverName = v.matching("openvpn.serverName", Pattern.compile("[A-Za-z0-9*][A-Za-z0-9.*_-]{0,252}"), "a certificate name");
        String protocol = v.matching("openvpn.protocol", Pattern.compile("udp|tcp"), "udp or tcp");
        Path command = file(v, "openvpn.command", used);
        return new OpenVpn(ca, cert, key, serverName, protocol, command);
    }

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+@-]{1,1000}");

    /** An absolute path of a readable file (checked only when the tunnel needs it). */
    private static Path file(ConfigurationValues v, String key, boolean required) {
        String s = v.string(key);
        if (s == null) {
            if (required) {
                v.problem(key, "", "required: an absolute file path");
            }
            return null;
        }
        if (!PATH.matcher(s).matches() || s.contains("..")) {
            v.problem(key, s, "an absolute path without spaces, quotes or '..'");
            return null;
        }
        Path p = Path.of(s);
        if (required && !Files.isReadable(p)) {
            v.problem(key, s, Files.exists(p) ? "not readable by the gateway" : "no such file");
        }
        return p;
    }

    /** The endpoints to try in order for {@code current}: its own first, then the others' only if allowed. */
    public List<Endpoint> candidates(String current) {
        List<Endpoint> in = new ArrayList<>();
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            (e.region().equals(current) ? in : out).add(e);
        }
        if (leaveRegion) {
            in.addAll(out);
        }
        return in;
    }

    /** The regions the endpoints are in. */
    public Set<String> regions() {
        Set<String> r = new LinkedHashSet<>();
        endpoints.forEach(e -> r.add(e.region()));
        return r;
    }
}
