package io.sitegate.tunnel.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Prefix arithmetic on literals only (no name is ever looked up). */
final class Cidr {
    private Cidr() {
    }

    /** Whether {@code address} (a literal) lies in {@code cidr}; false for anything malformed or of the other family. */
    static boolean contains(String cidr, String address) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !literal(address) || !literal(cidr.substring(0, slash))) {
            return false;
        }
        try {
            byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] a = InetAddress.getByName(address).getAddress();
            int len = Integer.parseInt(cidr.substring(slash + 1));
            if (net.length != a.length || len > net.length * 8) {
                return false;
            }
            int shift = net.length * 8 - len;
            return new BigInteger(1, net).shiftRight(shift).equals(new BigInteger(1, a).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean literal(String s) {
        return s.matches("(\\d{1,3}\\.){3}\\d{1,3}") || s.contains(":") && s.matches("[0-9A-Fa-f:.]{2,45}");
    }
}
