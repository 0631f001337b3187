package io.sitegate.dns;

import java.time.Duration;
import java.util.List;

/**
 * The answer to {@link DnsForwarder#lookup}.
 *
 * @param rcode      the response code mnemonic ({@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL}, ...)
 * @param records    the answer section, one record per line in presentation format
 * @param answeredBy what answered: {@code cache}, {@code stale cache}, {@code upstream <spec>},
 *                   {@code firewall <rule>}, or {@code forwarder} (refused, no upstream)
 * @param took       how long the lookup took
 */
public record LookupResult(String rcode, List<String> records, String answeredBy, Duration took) {

    public LookupResult {
        records = List.copyOf(records);
    }
}
