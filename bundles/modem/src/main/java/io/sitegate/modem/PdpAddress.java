package io.sitegate.modem;

import java.util.List;

/**
 * One {@code +CGPADDR} entry: the addresses an active context got.
 *
 * @param cid the context id
 * @param addresses IPv4 and/or IPv6 addresses, empty when the context is not active
 */
public record PdpAddress(int cid, List<String> addresses) {
    /** Copies the list. */
    public PdpAddress {
        addresses = List.copyOf(addresses);
    }
}
