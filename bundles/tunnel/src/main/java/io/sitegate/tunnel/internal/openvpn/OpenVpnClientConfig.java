package io.sitegate.tunnel.internal.openvpn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OpenVPN client configuration Sitegate writes for one tunnel: a TLS client with certificates, the remotes
 * in the order the supervisor wants them tried, keepalives from the configuration (they cost cellular data), and
 * the management interface on a UNIX socket that Sitegate drives: {@code --management-hold} so nothing starts
 * before Sitegate releases it, {@code --management-query-remote} so Sitegate chooses each server.
 *
 * <p>Every value is checked before it reaches the file, so that no value can add a directive (a host name with a
 * newline and {@code up /bin/sh}, say): host names and paths have strict forms, and nothing holds whitespace,
 * quotes, CR, LF or NUL. Directive names and meanings: OpenVPN 2.6 manual page ({@code doc/man-sections/} in
 * OpenVPN/openvpn: client-options, tls-options, link-options, management-options).
 *
 * @param name              the tunnel's name (letters, digits, {@code -}, {@code _})
 * @param remotes           servers in order of preference, at least one
 * @param ca                the CA that signs the servers' certificates
 * @param cert              this gateway's certificate
 * @param key               its private key (its content is never read or logged here)
 * @param serverName        the server certificate's name checked with {@code verify-x509-name}, or null
 * @param keepaliveSeconds  seconds between keepalive pings when the link is idle
 * @param keepaliveTimeout  seconds without a packet from the server before a restart
 * @param managementSocket  the management socket's path
 * @param managementUser    the only user allowed on the management socket ({@code management-client-user}: without it
 *                          OpenVPN lets any local process connect, management-options.rst), the user Sitegate runs as
 */
public record OpenVpnClientConfig(String name, List<Remote> remotes, Path ca, Path cert, Path key, String serverName,
                                  int keepaliveSeconds, int keepaliveTimeout, Path managementSocket, String managementUser) {

    /** One server: host name or address, port, and {@code udp} or {@code tcp}. */
    public record Remote(String host, int port, String protocol) {
        public Remote {
            if (host == null || !HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("remote host '" + printable(host) + "' is not a host name or address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("remote port " + port + " (1..65535)");
            }
            if (!"udp".equals(protocol) && !"tcp".equals(protocol)) {
                throw new IllegalArgumentException("remote protocol '" + printable(protocol) + "' (udp or tcp)");
            }
        }
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9*][A-Za-z0-9.*_-]{0,252}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+@-]{1,1000}");

    public OpenVpnClientConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tunnel name '" + printable(name) + "' (letters, digits, - and _, at most 32)");
        }
        if (remotes == null || remotes.isEmpty()) {
            throw new IllegalArgumentException("tunnel " + name + ": no remote");
        }
        remotes = List.copyOf(remotes);
        path("ca", ca);
        path("cert", cert);
        path("key", key);
        path("management socket", managementSocket);
        if (managementUser == null || !USER.matcher(managementUser).matches()) {
            throw new IllegalArgumentException("management user '" + printable(managementUser) + "' is not a user name");
        }
        if (serverName != null && !SERVER_NAME.matcher(serverName).matches()) {
            throw new IllegalArgumentException("server name '" + printable(serverName) + "' is not a certificate name");
        }
        if (keepaliveSeconds < 1 || keepaliveSeconds > 3600) {
            throw new IllegalArgumentException("keepalive interval " + keepaliveSeconds + " s (1..3600)");
        }
        if (keepaliveTimeout < 2 * keepaliveSeconds || keepaliveTimeout > 86_400) {
            throw new IllegalArgumentException("keepalive timeout " + keepaliveTimeout + " s (at least twice the interval, "
                    + 2 * keepaliveSeconds + " s, and at most 86400)");
        }
    }

    private static void path(String what, Path p) {
        if (p == null || !PATH.matcher(p.toString()).matches() || p.toString().contains("..")) {
            throw new IllegalArgumentException(what + " path '" + printable(p == null ? null : p.toString())
                    + "' (absolute, without spaces, quotes or '..')");
        }
    }

    private static String printable(String s) {
        return s == null ? "" : ManagementMessage.printable(s);
    }

    /** The longest interface name Linux takes: IFNAMSIZ (16) less the terminating NUL. */
    static final int MAX_DEVICE_NAME = 15;

    /**
     * The TUN device of this tunnel: {@code sg-<name>}, fixed per tunnel so that the supervisor can route over it
     * ({@code ip route replace <prefix> dev sg-<name>}) and find it again after a restart. A name too long for
     * {@value #MAX_DEVICE_NAME} characters keeps its first 6 characters and gets 5 hex digits of its hash:
     * {@code sg-<first6>-<hash>}. OpenVPN's vpn-network-options.rst: {@code --dev} "can be tunX, tapX, null or
     * an arbitrary name string", and {@code --dev-type tun} is needed when the name "does not begin with tun".
     */
    public String device() {
        String plain = "sg-" + name;
        if (plain.length() <= MAX_DEVICE_NAME) {
            return plain;
        }
        return "sg-" + name.substring(0, 6) + "-" + String.format("%05x", name.hashCode() & 0xfffff);
    }

    /** The configuration file's text, one directive per line. */
    public String render() {
        List<String> l = new ArrayList<>();
        l.add("# written by Sitegate for tunnel " + name + "; changes here are overwritten");
        l.add("client");
        l.add("dev " + device());
        l.add("dev-type tun");
        l.add("nobind");
        for (Remote r : remotes) {
            l.add("remote " + r.host() + " " + r.port() + " " + r.protocol());
        }
        l.add("tls-client");
        l.add("remote-cert-tls server");
        if (serverName != null) {
            l.add("verify-x509-name " + serverName + " name");
        }
        l.add("ca " + ca);
        l.add("cert " + cert);
        l.add("key " + key);
        l.add("data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305");
        l.add("keepalive " + keepaliveSeconds + " " + keepaliveTimeout);
        // the supervisor owns the routes: pushed or configured routes are not installed (vpn-network-options.rst
        // "--route-noexec: Don't add or remove routes automatically"); the device and its address still are
        l.add("route-noexec");
        l.add("management " + managementSocket + " unix");
        l.add("management-client-user " + managementUser);
        l.add("management-hold");
        l.add("management-query-remote");
        l.add("script-security 1");
        l.add("verb 3");
        return String.join("\n", l) + "\n";
    }
}
