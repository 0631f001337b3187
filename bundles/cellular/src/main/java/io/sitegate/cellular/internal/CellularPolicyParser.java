package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.DnsPolicy;
import io.sitegate.cellular.NetworkPolicy;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.core.ConfigurationValues;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.modem.ModemIdentifiers;
import io.sitegate.modem.Rat;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a {@link CellularPolicy} strictly from flat properties (ConfigAdmin's {@code io.sitegate.cellular}
 * PID, or the policy agent's {@code cellular} section flattened to the same keys). Every value that does
 * not parse, every key under a policy prefix that is not known, and every inconsistency is refused with
 * an {@link InvalidConfigurationException} naming the property and the value: the caller keeps the
 * policy in force. Every problem is found in one pass ({@link #problems}); a property the policy does
 * not know is refused; defaults are those of {@link CellularPolicyConfig}.
 */
public final class CellularPolicyParser {

    /** Every key the policy knows. */
    public static final List<String> KEYS = List.of("binding.mode", "binding.pairs", "binding.alertNumber",
            "rat.allowed", "networks.allowed", "networks.pin", "dns.primary", "dns.secondary",
            "quota.data.bytes", "quota.sms.mo", "quota.sms.mt", "quota.cycleStartDay", "quota.timezone",
            "quota.action", "quota.thresholds", "quota.checkSeconds");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{3,15}");

    private CellularPolicyParser() {
    }

    /**
     * Parses and validates a whole policy.
     *
     * @param properties the flat properties; strings, or string arrays/collections for lists
     * @param source     where they came from, carried for display
     */
    public static CellularPolicy parse(Map<String, ?> properties, String source) {
        ConfigurationValues v = ConfigurationValues.collecting(CellularPolicyComponent.PID, properties)
                .defaults(CellularPolicyConfig.class);
        CellularPolicy policy = read(v, source);
        List<ConfigProblem> problems = v.finish();
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return policy;
    }

    /** Every problem of a proposed policy at once, unknown properties included; nothing is applied. */
    public static List<ConfigProblem> problems(String pid, Map<String, ?> properties) {
        ConfigurationValues v = ConfigurationValues.collecting(pid, properties).defaults(CellularPolicyConfig.class);
        read(v, "validation");
        return v.finish();
    }

    private static CellularPolicy read(ConfigurationValues v, String source) {
        Map<String, Object> effective = new HashMap<>();
        for (String key : KEYS) {
            v.known(key);
            effective.put(key, v.defaultOf(key));
        }
        v.properties().forEach((k, val) -> {
            if (val != null && !String.valueOf(val).isBlank()) {
                effective.put(k, val);
            }
        });
        PolicyValues lists = new PolicyValues(effective);
        CellularPolicy fallback = CellularPolicy.permissive(source);
        BindingPolicy binding = guard(v, fallback.binding(), () -> binding(v, lists));
        NetworkPolicy network = guard(v, fallback.network(), () -> network(v, lists));
        DnsPolicy dns = guard(v, fallback.dns(), () -> dns(v));
        QuotaPolicy quota = guard(v, fallback.quota(), () -> quota(v, lists));
        return new CellularPolicy(source, binding, network, dns, quota);
    }

    /** A part of the policy, or its fallback with the problem recorded when it throws. */
    private static <T> T guard(ConfigurationValues v, T fallback, Supplier<T> part) {
        int before = v.problems().size();
        try {
            T value = part.get();
            return v.problems().size() > before ? fallback : value;
        } catch (InvalidConfigurationException e) {
            e.problems().forEach(p -> v.problem(p.property(), p.value(), p.reason()));
            return fallback;
        }
    }

    private static BindingPolicy binding(ConfigurationValues v, PolicyValues lists) {
        BindingMode mode = v.parsed("binding.mode", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "off" -> BindingMode.OFF;
            case "auto" -> BindingMode.AUTO;
            case "manual" -> BindingMode.MANUAL;
            default -> throw new IllegalArgumentException("expected off, auto or manual");
        });
        List<BoundPair> pairs = new ArrayList<>();
        Set<String> iccids = new HashSet<>();
        for (String item : lists.list("binding.pairs")) {
            BoundPair pair = pair(item);
            if (!iccids.add(pair.iccid())) {
                throw new InvalidConfigurationException("binding.pairs", item,
                        "ICCID " + pair.iccid() + " is listed more than once: a SIM is bound to one modem");
            }
            pairs.add(pair);
        }
        if (mode == BindingMode.MANUAL && pairs.isEmpty()) {
            throw new InvalidConfigurationException("binding.pairs", "",
                    "binding.mode=manual needs at least one IMEI:ICCID pair");
        }
        Optional<String> alert = Optional.ofNullable(v.matching("binding.alertNumber", PHONE,
                "a phone number of 3 to 15 digits, optionally starting with +"));
        return new BindingPolicy(mode, pairs, alert);
    }

    /** {@code IMEI:ICCID}: a Luhn-valid 15-digit IMEI and an 18-22 digit ICCID (trailing F removed). */
    static BoundPair pair(String item) {
        int colon = item.indexOf(':');
        if (colon < 0 || colon != item.lastIndexOf(':')) {
            throw new InvalidConfigurationException("binding.pairs", item, "expected IMEI:ICCID");
        }
        String imei = item.substring(0, colon);
        String iccid = item.substring(colon + 1);
        if (!imei.matches("[0-9]{15}")) {
            throw new InvalidConfigurationException("binding.pairs", item, "IMEI '" + imei + "' is not 15 digits");
        }
        if (!ModemIdentifiers.isValidImei(imei)) {
            throw new InvalidConfigurationException("binding.pairs", item,
                    "IMEI '" + imei + "' fails the Luhn check (mistyped digit?)");
        }
        if (!ModemIdentifiers.isValidIccid(iccid)) {
            throw new InvalidConfigurationException("binding.pairs", item,
                    "ICCID '" + iccid + "' is not 18 to 22 digits");
        }
        return new BoundPair(imei, Identities.normaliseIccid(iccid));
    }

    private static NetworkPolicy network(ConfigurationValues v, PolicyValues lists) {
        List<Rat> rats = new ArrayList<>();
        for (String item : lists.list("rat.allowed")) {
            Rat rat = rat(item);
            if (rats.contains(rat)) {
                throw new InvalidConfigurationException("rat.allowed", item, "listed twice");
            }
            rats.add(rat);
        }
        List<String> plmns = new ArrayList<>();
        for (String item : lists.list("networks.allowed")) {
            String plmn = PolicyValues.plmn("networks.allowed", item);
            if (plmns.contains(plmn)) {
                throw new InvalidConfigurationException("networks.allowed", item, "listed twice");
            }
            plmns.add(plmn);
        }
        Optional<String> pin = Optional.ofNullable(v.string("networks.pin"))
                .map(s -> PolicyValues.plmn("networks.pin", s));
        if (pin.isPresent() && !plmns.isEmpty() && !plmns.contains(pin.get())) {
            throw new InvalidConfigurationException("networks.pin", pin.get(),
                    "not in networks.allowed (" + String.join(", ", plmns) + "): the pinned network could never carry data");
        }
        return new NetworkPolicy(rats, plmns, pin);
    }

    /** The RAT names of the modem configuration: gsm, umts, lte, lte-m, nb-iot (and 2g, 3g, 4g, cat-m, nbiot). */
    static Rat rat(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gsm", "2g" -> Rat.GSM;
            case "umts", "3g", "wcdma" -> Rat.UMTS;
            case "lte", "4g" -> Rat.LTE;
            case "lte-m", "ltem", "cat-m", "catm", "cat-m1", "emtc" -> Rat.LTE_M;
            case "nb-iot", "nbiot", "nb1" -> Rat.NB_IOT;
            default -> throw new InvalidConfigurationException("rat.allowed", name,
                    "unknown RAT (use gsm, umts, lte, lte-m, nb-iot)");
        };
    }

    private static DnsPolicy dns(ConfigurationValues v) {
        Optional<String> primary = Optional.ofNullable(v.string("dns.primary"))
                .map(s -> PolicyValues.ipLiteral("dns.primary", s));
        Optional<String> secondary = Optional.ofNullable(v.string("dns.secondary"))
                .map(s -> PolicyValues.ipLiteral("dns.secondary", s));
        if (secondary.isPresent() && primary.isEmpty()) {
            throw new InvalidConfigurationException("dns.secondary", secondary.get(), "set dns.primary first");
        }
        return new DnsPolicy(primary, secondary);
    }

    private static QuotaPolicy quota(ConfigurationValues v, PolicyValues lists) {
        long data = Optional.ofNullable(v.string("quota.data.bytes"))
                .map(s -> PolicyValues.dataSize("quota.data.bytes", s, QuotaPolicy.MAX_LIMIT)).orElse(0L);
        long smsMo = count(v, "quota.sms.mo");
        long smsMt = count(v, "quota.sms.mt");
        int day = (int) v.integer("quota.cycleStartDay", 1, 28);
        ZoneId zone = v.parsed("quota.timezone", s -> {
            try {
                return ZoneId.of(s);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone (use a region such as Europe/Berlin, or UTC)");
            }
        });
        QuotaAction action = v.parsed("quota.action", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "block" -> QuotaAction.BLOCK;
            case "throttle" -> QuotaAction.THROTTLE;
            case "notify" -> QuotaAction.NOTIFY;
            default -> throw new IllegalArgumentException("expected block, throttle or notify");
        });
        List<Integer> thresholds = thresholds(lists.list("quota.thresholds"));
        Duration check = Duration.ofSeconds(v.integer("quota.checkSeconds", 5, 86_400));
        return new QuotaPolicy(data, smsMo, smsMt, day, zone, action, thresholds, check);
    }

    private static long count(ConfigurationValues v, String key) {
        String s = v.string(key);
        if (s != null && s.startsWith("-")) {
            throw new InvalidConfigurationException(key, s, "must not be negative (0 means unlimited)");
        }
        return v.integer(key, 0, QuotaPolicy.MAX_LIMIT);
    }

    /** Absent: 80 and 100 %; {@code none}: no warnings. */
    private static List<Integer> thresholds(List<String> items) {
        if (items.isEmpty()) {
            return List.of(80, 100);
        }
        if (items.size() == 1 && items.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Integer> result = new ArrayList<>();
        for (String item : items) {
            String digits = item.endsWith("%") ? item.substring(0, item.length() - 1) : item;
            int percent;
            try {
                percent = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException("quota.thresholds", item, "expected a percentage from 1 to 100");
            }
            if (percent < 1 || percent > 100) {
                throw new InvalidConfigurationException("quota.thresholds", item, "expected a percentage from 1 to 100");
            }
            if (!result.isEmpty() && percent <= result.get(result.size() - 1)) {
                throw new InvalidConfigurationException("quota.thresholds", item,
                        "thresholds must be strictly ascending (after " + result.get(result.size() - 1) + ")");
            }
            result.add(percent);
        }
        return result;
    }
}
