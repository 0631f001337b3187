package io.sitegate.tunnel.internal.ipsec;

import io.sitegate.core.SafeText;
import io.sitegate.tunnel.internal.vici.ViciList;
import io.sitegate.tunnel.internal.vici.ViciSection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One IKEv2 site-to-site connection as Sitegate loads it into charon over VICI ({@code load-conn}, and
 * {@code load-shared} for a PSK): the gateway is the initiator towards one cloud endpoint.
 *
 * <p>Keys and their meaning: strongSwan's {@code src/swanctl/swanctl.opt} (the swanctl.conf(5) source) and the
 * vici {@code README.md} ("load-conn", "load-shared") at 3b902ea59b. Choices:
 * <ul>
 * <li>{@code remote_addrs} is one address or host name, never {@code %any}, a subnet or a range: charon then
 * has no configuration that matches an IKE_SA_INIT from anyone else on the WAN (the issue's "no IKE from the
 * WAN"; a filter drops the rest).</li>
 * <li>{@code start_action = none}, {@code dpd_action = clear}, {@code close_action = none}: the tunnel
 * supervisor initiates and re-initiates, so one place decides which tunnel is up (active-passive).</li>
 * <li>Proposals are checked against strongSwan's own keyword list ({@code proposal-keywords.txt}, from
 * proposal_keywords_static.txt), traffic selectors are CIDRs, DPD is in whole seconds (it costs cellular data).</li>
 * </ul>
 *
 * @param name          the connection's name (also the child's, with {@code -child})
 * @param remote        the cloud endpoint: an IPv4/IPv6 address or a host name
 * @param localId       this gateway's IKE identity
 * @param remoteId      the cloud endpoint's IKE identity
 * @param auth          PSK or certificates (pubkey)
 * @param proposals     IKE proposals, e.g. {@code aes256gcm16-prfsha384-ecp384}
 * @param espProposals  ESP proposals, e.g. {@code aes256gcm16-ecp384}
 * @param localTs       the LAN prefixes behind the gateway
 * @param remoteTs      the cloud prefixes
 * @param dpdDelay      seconds between dead-peer-detection checks when the tunnel is idle (0: none)
 */
public record IpsecConnection(String name, String remote, String localId, String remoteId, Auth auth,
                              List<String> proposals, List<String> espProposals, List<String> localTs,
                              List<String> remoteTs, int dpdDelay) {

    /** How the peers authenticate each other. */
    public enum Auth { PSK, PUBKEY }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9@._:=, /+-]{1,255}");
    static final Set<String> KEYWORDS = keywords();

    public IpsecConnection {
        if (name == null || !NAME.matcher(name).matches()) {
            throw problem("name", name, "letters, digits, - and _, at most 32");
        }
        // a host name's top-level label is not all-numeric (RFC 3696 §2): "300.1.2.3" and "10.0.0.1-10.0.0.9" are not names
        if (remote == null || !isAddress(remote) && (!HOST.matcher(remote).matches()
                || !remote.substring(remote.lastIndexOf('.') + 1).matches("[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*"))) {
            throw problem("remote", remote, "one IP address or host name (never %any, a subnet or a range: the gateway "
                    + "accepts no IKE from anyone else)");
        }
        if (localId == null || !ID.matcher(localId).matches() || localId.strip().isEmpty()) {
            throw problem("localId", localId, "an IKE identity (FQDN, user@FQDN, address or DN)");
        }
        if (remoteId == null || !ID.matcher(remoteId).matches() || remoteId.strip().isEmpty() || "%any".equals(remoteId)) {
            throw problem("remoteId", remoteId, "the cloud endpoint's IKE identity (not %any)");
        }
        if (auth == null) {
            throw problem("auth", null, "psk or pubkey");
        }
        proposals = checkProposals("proposals", proposals);
        espProposals = checkProposals("espProposals", espProposals);
        localTs = checkSelectors("localTs", localTs);
        remoteTs = checkSelectors("remoteTs", remoteTs);
        if (dpdDelay < 0 || dpdDelay > 86_400) {
            throw problem("dpdDelay", String.valueOf(dpdDelay), "seconds, 0..86400");
        }
    }

    private static IllegalArgumentException problem(String property, String value, String expected) {
        String shown = value == null ? "(missing)" : "'" + SafeText.escape(value) + "'";
        return new IllegalArgumentException(property + " = " + shown + ": " + expected);
    }

    private static List<String> checkProposals(String property, List<String> list) {
        if (list == null || list.isEmpty()) {
            throw problem(property, null, "at least one proposal");
        }
        for (String p : list) {
            if (p == null || p.isEmpty()) {
                throw problem(property, p, "a proposal");
            }
            if (p.equals("default")) {
                continue;
            }
            for (String token : p.split("-", -1)) {
                if (!KEYWORDS.contains(token)) {
                    throw problem(property, p, "'" + SafeText.escape(token)
                            + "' is not an algorithm strongSwan knows");
                }
            }
        }
        return List.copyOf(list);
    }

    private static List<String> checkSelectors(String property, List<String> list) {
        if (list == null || list.isEmpty()) {
            throw problem(property, null, "at least one prefix in CIDR form");
        }
        for (String cidr : list) {
            if (!isCidr(cidr)) {
                throw problem(property, cidr, "a prefix in CIDR form, such as 10.20.0.0/16 or 2001:db8::/48");
            }
        }
        return List.copyOf(list);
    }

    /** An IPv4 dotted quad or an IPv6 literal; never a name (nothing here may trigger a DNS lookup). */
    private static boolean isAddress(String s) {
        if (s.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]{2,45}")) {
            return false;
        }
        try {
            InetAddress.getByName(s); // with a ':' Java reads an IPv6 literal and never looks a name up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code s} is {@code address/length} with no bits set past the length. */
    public static boolean isCidr(String s) {
        int slash = s == null ? -1 : s.indexOf('/');
        if (slash < 0 || !isAddress(s.substring(0, slash)) || !s.substring(slash + 1).matches("\\d{1,3}")) {
            return false;
        }
        try {
            byte[] a = InetAddress.getByName(s.substring(0, slash)).getAddress();
            int len = Integer.parseInt(s.substring(slash + 1));
            if (len > a.length * 8) {
                return false;
            }
            BigInteger v = new BigInteger(1, a);
            return v.shiftLeft(len).and(BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)).signum() == 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Set<String> keywords() {
        try (InputStream in = IpsecConnection.class.getResourceAsStream("proposal-keywords.txt")) {
            if (in == null) {
                throw new IllegalStateException("proposal-keywords.txt is missing from the bundle");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child SA's name. */
    public String childName() {
        return name + "-child";
    }

    /**
     * The {@code load-conn} message.
     *
     * @param localCerts  for {@link Auth#PUBKEY}: this gateway's certificate (PEM or DER); ignored for a PSK
     * @param remoteCas   for {@link Auth#PUBKEY}: the CA certificates the cloud endpoint's certificate must chain to
     */
    public ViciSection loadConn(List<byte[]> localCerts, List<byte[]> remoteCas) {
        String method = auth == Auth.PSK ? "psk" : "pubkey";
        ViciSection.Builder local = ViciSection.builder().put("auth", method).put("id", localId);
        ViciSection.Builder remoteAuth = ViciSection.builder().put("auth", method).put("id", remoteId);
        if (auth == Auth.PUBKEY) {
            if (localCerts.isEmpty() || remoteCas.isEmpty()) {
                throw new IllegalArgumentException(name + ": certificate authentication needs a certificate and a CA");
            }
            local.put("certs", blobs(localCerts));
            remoteAuth.put("cacerts", blobs(remoteCas));
        }
        ViciSection child = ViciSection.builder()
                .putList("local_ts", localTs)
                .putList("remote_ts", remoteTs)
                .putList("esp_proposals", espProposals)
                .put("mode", "tunnel")
                .put("start_action", "none")
                .put("dpd_action", "clear")
                .put("close_action", "none")
                .build();
        ViciSection conn = ViciSection.builder()
                .put("version", "2")
                .putList("remote_addrs", List.of(remote))
                .putList("proposals", proposals)
                .put("dpd_delay", dpdDelay + "s")
                .put("local", local.build())
                .put("remote", remoteAuth.build())
                .put("children", ViciSection.builder().put(childName(), child).build())
                .build();
        return ViciSection.builder().put(name, conn).build();
    }

    /**
     * The {@code load-shared} message for the PSK, owned by both identities. It holds the secret: the VICI values
     * print as their length only, and nothing here logs it.
     */
    public ViciSection loadShared(byte[] secret) {
        if (auth != Auth.PSK) {
            throw new IllegalStateException(name + " authenticates with certificates, not a PSK");
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException(name + ": a PSK shorter than 16 bytes is refused");
        }
        return ViciSection.builder()
                .put("id", "sitegate-" + name)
                .put("type", "IKE")
                .put("data", secret)
                .putList("owners", List.of(localId, remoteId))
                .build();
    }

    private static ViciList blobs(List<byte[]> data) {
        List<io.sitegate.tunnel.internal.vici.ViciValue> values = new ArrayList<>();
        for (byte[] d : data) {
            values.add(io.sitegate.tunnel.internal.vici.ViciValue.of(d));
        }
        return new ViciList(values);
    }
}
