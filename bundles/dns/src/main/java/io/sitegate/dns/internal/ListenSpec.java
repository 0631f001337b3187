package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured listening entry: an address ({@code 127.0.0.1:53}, {@code [::1]:53}) or every address
 * of an interface ({@code br-lan:53}).
 *
 * @param address   the address, or null for an interface entry
 * @param iface     the interface name, or null for an address entry
 * @param port      the port
 */
record ListenSpec(InetAddress address, String iface, int port) {

    private static final Pattern IPV6 = Pattern.compile("\\[([0-9a-fA-F:.]+)]:(\\d{1,5})");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");
    private static final Pattern IFACE = Pattern.compile("([A-Za-z][A-Za-z0-9_.@-]{0,14}):(\\d{1,5})");

    static ListenSpec parse(String text) {
        String s = text.trim();
        Matcher m;
        if ((m = IPV6.matcher(s)).matches() || (m = IPV4.matcher(s)).matches()) {
            return new ListenSpec(IpLiteral.parse(m.group(1)), null, port(m.group(2), s));
        }
        if ((m = IFACE.matcher(s)).matches()) {
            return new ListenSpec(null, m.group(1), port(m.group(2), s));
        }
        throw new IllegalArgumentException("'" + s + "' is not address:port, [ipv6]:port or interface:port");
    }

    static List<ListenSpec> parseList(String text) {
        List<ListenSpec> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(parse(part));
            }
        }
        return List.copyOf(list);
    }

    private static int port(String digits, String spec) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in '" + spec + "' is not 1-65535");
        }
        return port;
    }

    @Override
    public String toString() {
        if (iface != null) {
            return iface + ":" + port;
        }
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
