package io.sitegate.tunnel.internal.region;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which region a gateway is in, from the mobile country code (MCC) of the network its modem is registered on,
 * so that its data breaks out in that region and never leaves it.
 *
 * <p>The shipped table follows the geographic zones of ITU-T E.212, where the MCC's first digit names the
 * region: 2 Europe ({@code eu}), 3 North America and the Caribbean ({@code na}), 4 Asia and the Middle East
 * ({@code asia}), 5 Australia and Oceania ({@code oceania}), 6 Africa ({@code africa}), 7 South and Central
 * America ({@code latam}); 9 is worldwide (satellite, air, maritime) and 0, 1 and 8 are not geographic, so they
 * have no region. Source: the MCC article's zone list ("the first digit of the mobile country code identifies
 * the geographic region", citing E.212), as quoted by telecomtrainingpro.com and the Wikipedia "Mobile country
 * code" article. A zone is not always a continent (MCC 290, Greenland, is in zone 2; 250, Russia, spans two),
 * so the configuration or a policy can override single MCCs or whole zones.
 */
public final class RegionTable {

    private static final Map<Character, String> ZONES = Map.of('2', "eu", '3', "na", '4', "asia", '5', "oceania",
            '6', "africa", '7', "latam");

    private final Map<String, String> overrides;

    /**
     * @param overrides region per MCC ("290" = "na") or per zone digit ("4" = "apac"); the longest key that
     *                  starts the MCC wins
     */
    public RegionTable(Map<String, String> overrides) {
        Map<String, String> o = new TreeMap<>();
        overrides.forEach((k, v) -> {
            if (!k.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("region override for '" + k + "': an MCC (3 digits) or a zone (1 digit)");
            }
            if (!v.matches("[a-z][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("region override " + k + " = '" + v + "': a region name (lower case)");
            }
            o.put(k, v);
        });
        this.overrides = Map.copyOf(o);
    }

    /** The shipped table, without overrides. */
    public static RegionTable shipped() {
        return new RegionTable(Map.of());
    }

    /** The region of an MCC; empty for a non-geographic or malformed one. */
    public Optional<String> region(String mcc) {
        if (mcc == null || !mcc.matches("\\d{3}")) {
            return Optional.empty();
        }
        for (int len = 3; len >= 1; len--) {
            String r = overrides.get(mcc.substring(0, len));
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.ofNullable(ZONES.get(mcc.charAt(0)));
    }

    /**
     * The region from a registered network's operator code as the modem reports it ({@code AT+COPS?} numeric
     * format: MCC then a 2- or 3-digit MNC, e.g. {@code 26201}).
     */
    public Optional<String> regionOfOperator(String mccMnc) {
        return mccMnc != null && mccMnc.matches("\\d{5,6}") ? region(mccMnc.substring(0, 3)) : Optional.empty();
    }
}
