package io.sitegate.cellular.internal;

import io.sitegate.cellular.DataSize;
import io.sitegate.core.InvalidConfigurationException;

import java.lang.reflect.Array;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value formats of the cellular policy that {@link io.sitegate.core.ConfigurationValues} does not
 * know: lists, data sizes, PLMNs, IP literals. Every refusal names the property and the bad value.
 */
final class PolicyValues {
    private static final Pattern PLMN = Pattern.compile("[0-9]{5,6}");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final Map<String, ?> properties;

    PolicyValues(Map<String, ?> properties) {
        this.properties = properties;
    }

    /**
     * A list: a string separated by commas and/or blanks (as in a {@code .cfg} file), or a
     * {@code String[]} or collection (as a policy document delivers it). Empty entries are dropped.
     */
    List<String> list(String key) {
        Object raw = properties.get(key);
        List<String> items = new ArrayList<>();
        if (raw == null) {
            return items;
        }
        if (raw instanceof Collection<?> c) {
            c.forEach(o -> split(String.valueOf(o), items));
        } else if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                split(String.valueOf(Array.get(raw, i)), items);
            }
        } else {
            split(String.valueOf(raw), items);
        }
        return items;
    }

    private static void split(String text, List<String> into) {
        for (String part : text.split("[,\\s]+")) {
            if (!part.isEmpty()) {
                into.add(part);
            }
        }
    }

    /**
     * A data size in bytes: a whole number with an optional unit. {@code B}, {@code KB}, {@code MB},
     * {@code GB}, {@code TB} are decimal (as operators bill: 1 MB = 1,000,000 bytes); {@code KiB},
     * {@code MiB}, {@code GiB}, {@code TiB} are binary. Units are case-insensitive.
     */
    static long dataSize(String key, String text, long max) {
        try {
            return DataSize.parse(text, max);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(key, text, e.getMessage());
        }
    }

    /** A PLMN: MCC (3 digits) + MNC (2 or 3 digits). */
    static String plmn(String key, String text) {
        if (!PLMN.matcher(text).matches()) {
            throw new InvalidConfigurationException(key, text, "expected a PLMN: MCC+MNC, 5 or 6 digits (26201, 310410)");
        }
        return text;
    }

    /** An IPv4 or IPv6 literal usable as a DNS server (no name, no wildcard, no multicast). */
    static String ipLiteral(String key, String text) {
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !v4 && text.contains(":") && IPV6_CHARS.matcher(text).matches();
        if (!v4 && !v6) {
            throw new InvalidConfigurationException(key, text, "expected an IPv4 or IPv6 address literal");
        }
        try {
            // a literal is parsed, never looked up: the patterns above let no host name through
            InetAddress address = InetAddress.getByName(text);
            if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
                throw new InvalidConfigurationException(key, text, "not a usable DNS server address");
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException(key, text, "expected an IPv4 or IPv6 address literal");
        }
    }
}
