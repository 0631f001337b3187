package io.sitegate.filter.internal;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 prefix without host bits ({@code 10.1.2.0/24}, {@code 2001:db8::/32}); a bare address is its
 * host prefix ({@code /32}, {@code /128}). Parsed without name resolution: only literals are accepted.
 */
record Cidr(InetAddress network, int length) {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** @throws IllegalArgumentException with the reason, when the text is not a prefix without host bits */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        boolean v4 = V4.matcher(addr).matches();
        if (!v4 && (!V6.matcher(addr).matches() || addr.indexOf(':') < 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or prefix");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or prefix");
        }
        if (v4 && !(a instanceof Inet4Address) || !v4 && !(a instanceof Inet6Address)) {
            throw new IllegalArgumentException("'" + text + "' mixes IPv4 and IPv6 notation");
        }
        int width = a.getAddress().length * 8;
        int length = width;
        if (slash >= 0) {
            String len = text.substring(slash + 1);
            if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > width) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + width);
            }
            length = Integer.parseInt(len);
        }
        Cidr c = new Cidr(a, length);
        if (!c.hostBitsClear()) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: did you mean " + c.masked() + "?");
        }
        return c;
    }

    boolean v6() {
        return network instanceof Inet6Address;
    }

    int width() {
        return network.getAddress().length * 8;
    }

    boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return bits(address).shiftRight(width() - length).equals(bits(network).shiftRight(width() - length));
    }

    private boolean hostBitsClear() {
        return length == width() || bits(network).mod(BigInteger.ONE.shiftLeft(width() - length)).signum() == 0;
    }

    private Cidr masked() {
        BigInteger b = bits(network).shiftRight(width() - length).shiftLeft(width() - length);
        byte[] raw = b.toByteArray();
        byte[] out = new byte[width() / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return new Cidr(InetAddress.getByAddress(out), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger bits(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    /** As nft writes it. */
    @Override
    public String toString() {
        return network.getHostAddress().replaceAll("%.*$", "") + "/" + length;
    }
}
