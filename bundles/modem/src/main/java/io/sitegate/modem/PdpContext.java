package io.sitegate.modem;

/**
 * One {@code +CGDCONT?} entry: {@code +CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>,...}.
 *
 * @param cid the context id
 * @param pdpType {@code IP}, {@code IPV6}, {@code IPV4V6}, {@code Non-IP}...
 * @param apn the access point name (may be empty)
 * @param address the configured address (often {@code 0.0.0.0} or empty)
 */
public record PdpContext(int cid, String pdpType, String apn, String address) {
}
