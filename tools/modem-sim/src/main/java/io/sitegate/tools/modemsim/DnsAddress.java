package io.sitegate.tools.modemsim;

import java.util.regex.Pattern;

/** Checks the DNS server addresses vendor commands accept: dotted IPv4 or textual IPv6. */
public final class DnsAddress {

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private DnsAddress() {
    }

    /** @return true for an IPv4 or IPv6 literal */
    public static boolean valid(String s) {
        return s != null && (IPV4.matcher(s).matches() || s.contains(":") && IPV6.matcher(s).matches());
    }
}
