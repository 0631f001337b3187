package io.sitegate.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals from configuration, parsed without ever asking DNS: {@link InetAddress#getByName}
 * looks up anything that is not a literal (and accepts short forms like {@code 9.9.9}), so the text is
 * checked first.
 */
final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {
    }

    /** The address, or IllegalArgumentException when the text is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !IPV6.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal now: no lookup
            if (!v4 && a.getAddress().length != 16 && !text.contains(".")) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }
}
