package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured upstream: {@code udp://host:port}, {@code tcp://host:port} or
 * {@code tls://host:port#name}, each optionally followed by {@code ?trusted} before the {@code #name}
 * ({@code udp://10.0.0.53:53?trusted}). The host is an IP address: a forwarder that needed DNS to find its
 * upstream would depend on itself.
 *
 * <p>The AD bit of an upstream's answer is passed on only from a trusted upstream (RFC 4035 §3.2.3, §4.6
 * and §4.9.3: AD means nothing unless it came over a secure channel or by configuration): a TLS upstream,
 * whose channel is authenticated, or one marked {@code ?trusted} by the operator (e.g. a validating
 * resolver on a private link). The marker is a query, not a fragment, so it can never be read as a TLS name.
 *
 * @param transport how queries are sent
 * @param address   where
 * @param tlsName   the name the server's certificate must be valid for (TLS only)
 * @param marked    the spec says {@code ?trusted}
 */
record UpstreamSpec(Transport transport, InetSocketAddress address, String tlsName, boolean marked) {

    /** How queries reach an upstream. */
    enum Transport { UDP, TCP, TLS }

    private static final Pattern SPEC = Pattern.compile(
            "(udp|tcp|tls)://(\\[[0-9a-fA-F:.]+]|[0-9.]+)(?::(\\d{1,5}))?(\\?trusted)?(?:#([A-Za-z0-9._-]+))?");

    /** Parses one spec; the message of the exception says what is wrong. */
    static UpstreamSpec parse(String text) {
        String s = text.trim();
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not udp://ip:port, tcp://ip:port or tls://ip:port#name"
                    + " (optionally with ?trusted after the port)");
        }
        Transport t = Transport.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean marked = m.group(4) != null;
        int port = m.group(3) == null ? (t == Transport.TLS ? 853 : 53) : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in '" + s + "' is not 1-65535");
        }
        String name = m.group(5);
        if (t == Transport.TLS && name == null) {
            throw new IllegalArgumentException("'" + s + "' needs the server's certificate name: tls://ip:port#name");
        }
        if (t != Transport.TLS && name != null) {
            throw new IllegalArgumentException("'" + s + "': a #name is only for tls:// upstreams"
                    + " (a trusted udp/tcp upstream is marked ?trusted after the port)");
        }
        InetAddress ip;
        try {
            ip = IpLiteral.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + s + "' (upstreams are IP addresses)");
        }
        return new UpstreamSpec(t, new InetSocketAddress(ip, port), name, marked);
    }

    /** Whether the AD bit of its answers is passed on to clients: TLS, or marked {@code ?trusted}. */
    boolean trusted() {
        return marked || transport == Transport.TLS;
    }

    /** Parses a comma-separated list. */
    static List<UpstreamSpec> parseList(String text) {
        List<UpstreamSpec> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(parse(part));
            }
        }
        return List.copyOf(list);
    }

    @Override
    public String toString() {
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return transport.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + address.getPort()
                + (marked ? "?trusted" : "") + (tlsName == null ? "" : "#" + tlsName);
    }
}
