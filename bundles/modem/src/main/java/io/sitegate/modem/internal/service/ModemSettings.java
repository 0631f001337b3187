package io.sitegate.modem.internal.service;

import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.modem.Rat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A modem's configuration, read strictly from its factory configuration. Secrets (SIM PIN, APN
 * password) are kept out of {@link #toString()} and out of every error message.
 */
public record ModemSettings(String id, String port, String profile, String apn, String pdpType, String apnUser,
                            String apnPassword, String auth, String pin, List<Rat> ratOrder, int cid,
                            boolean autoConnect, Duration pollInterval, int resetAfterFailures,
                            Duration backoffInitial, Duration backoffMax) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern APN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");
    private static final Pattern PIN = Pattern.compile("\\d{4,8}");

    /** The modem id from {@code id}, else from the factory PID's name ({@code io.sitegate.modem~wan0}). */
    public static ModemSettings from(Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.of(properties);
        Object rawPid = properties.get("service.pid");
        String pid = rawPid == null ? "" : rawPid.toString();
        String fromPid = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : "modem";
        String id = v.matching("id", fromPid, ID, "1-32 characters of a-z, 0-9 and '-'");
        String port = v.string("port", null);
        if (port == null) {
            throw new InvalidConfigurationException("port", "", "required: a serial device (/dev/ttyUSB2) or tcp://host:port");
        }
        if (!(port.startsWith("/") || port.startsWith("tcp://") || port.startsWith("serial:"))) {
            throw new InvalidConfigurationException("port", port, "expected a device path or tcp://host:port");
        }
        String pin = v.string("pin", "");
        if (!pin.isEmpty() && !PIN.matcher(pin).matches()) {
            // never echo a PIN, even a malformed one
            throw new InvalidConfigurationException("pin", "****", "expected 4 to 8 digits");
        }
        return new ModemSettings(id, port,
                v.string("profile", "auto"),
                v.matching("apn", "", Pattern.compile("|" + APN.pattern()), "an APN name (letters, digits, '.', '-')"),
                v.matching("pdpType", "IP", Pattern.compile("IP|IPV6|IPV4V6"), "IP, IPV6 or IPV4V6"),
                v.string("apnUser", ""),
                v.string("apnPassword", ""),
                v.matching("auth", "none", Pattern.compile("none|pap|chap"), "none, pap or chap"),
                pin,
                v.parsed("ratOrder", List.of(), ModemSettings::parseRats),
                (int) v.integer("cid", 1, 1, 16),
                v.bool("autoConnect", true),
                Duration.ofSeconds(v.integer("pollSeconds", 15, 1, 3600)),
                (int) v.integer("resetAfterFailures", 3, 1, 100),
                Duration.ofSeconds(v.integer("backoffInitialSeconds", 2, 1, 3600)),
                Duration.ofSeconds(v.integer("backoffMaxSeconds", 300, 1, 86400)));
    }

    /** {@code lte,lte-m,nb-iot,umts,gsm} (also 4g, 3g, 2g, cat-m, nbiot) in order of preference. */
    public static List<Rat> parseRats(String text) {
        List<Rat> rats = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            Rat rat = switch (part.toLowerCase(Locale.ROOT)) {
                case "gsm", "2g" -> Rat.GSM;
                case "umts", "3g", "wcdma" -> Rat.UMTS;
                case "lte", "4g" -> Rat.LTE;
                case "lte-m", "ltem", "cat-m", "catm", "cat-m1", "emtc" -> Rat.LTE_M;
                case "nb-iot", "nbiot", "nb1" -> Rat.NB_IOT;
                default -> throw new IllegalArgumentException("unknown RAT '" + part + "' (use gsm, umts, lte, lte-m, nb-iot)");
            };
            if (rats.contains(rat)) {
                throw new IllegalArgumentException("RAT " + part + " listed twice");
            }
            rats.add(rat);
        }
        return List.copyOf(rats);
    }

    @Override
    public String toString() {
        return "ModemSettings[id=" + id + ", port=" + port + ", profile=" + profile + ", apn=" + apn + ", pdpType=" + pdpType
                + ", auth=" + auth + ", pin=" + (pin.isEmpty() ? "none" : "****") + ", ratOrder=" + ratOrder + "]";
    }
}
