package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The {@code set <what> ...} statements of the scenario language: identity, SIM, network, radio, data. */
final class SetStatement {

    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1,8}");
    private static final Pattern PLMN = Pattern.compile("\\d{5,6}");
    private static final Pattern RATE = Pattern.compile("(\\d+)(/s)?");

    private SetStatement() {
    }

    static Scenario.Action parse(ScenarioTokens t, int at) {
        String what = ScenarioParser.require(t, at, "set needs what to set");
        String value = t.get(at + 1);
        return switch (what) {
            case "imei" -> identity(t, at, "\\d{15}", "IMEI must be 15 digits", (s, v) -> s.imei(v));
            case "imsi" -> identity(t, at, "\\d{6,15}", "IMSI must be 6 to 15 digits", (s, v) -> s.imsi(v));
            case "iccid" -> identity(t, at, "[0-9]{18,20}[Ff]?", "ICCID must be 18 to 20 digits", (s, v) -> s.iccid(v));
            case "manufacturer", "model", "revision" -> {
                ScenarioParser.require(t, at + 1, "set " + what + " needs a value");
                String text = AtCommand.unquote(t.rest(at + 1));
                yield sim -> {
                    synchronized (sim.modem()) {
                        ModemState s = sim.modem().state();
                        switch (what) {
                            case "manufacturer" -> s.manufacturer(text);
                            case "model" -> s.model(text);
                            default -> s.revision(text);
                        }
                    }
                };
            }
            case "sim" -> sim(t, at + 1);
            case "reg" -> RegistrationStatement.parse(t, at + 1);
            case "networks" -> RegistrationStatement.networks(t.from(at + 1));
            case "signal" -> signal(keyValues(t.from(at + 1), List.of("rssi", "rsrp", "rsrq", "sinr", "ber"), "set signal"));
            case "apn-allowed" -> {
                String list = ScenarioParser.require(t, at + 1, "set apn-allowed needs APNs or 'any'");
                ScenarioParser.noMore(t, at + 2);
                List<String> apns = list.equals("any") ? List.of() : List.of(list.split(","));
                yield sim -> {
                    synchronized (sim.modem()) {
                        sim.modem().state().packetData().allowedApns().clear();
                        sim.modem().state().packetData().allowedApns().addAll(apns);
                    }
                };
            }
            case "counters" -> counters(keyValues(t.from(at + 1),
                    List.of("rate", "tx-rate", "rx-rate", "sent", "received"), "set counters"));
            case "ip" -> {
                String ip = ScenarioParser.require(t, at + 1, "set ip needs an address");
                check(DnsAddress.valid(ip), "bad IP address '" + ip + "'");
                ScenarioParser.noMore(t, at + 2);
                yield sim -> {
                    synchronized (sim.modem()) {
                        sim.modem().state().packetData().address(ip);
                    }
                };
            }
            case "dns" -> {
                String primary = ScenarioParser.require(t, at + 1, "set dns needs a primary address");
                String secondary = t.get(at + 2) == null ? "0.0.0.0" : t.get(at + 2);
                check(DnsAddress.valid(primary) && DnsAddress.valid(secondary), "bad DNS address");
                ScenarioParser.noMore(t, at + 3);
                yield sim -> {
                    synchronized (sim.modem()) {
                        sim.modem().state().networkDns(primary, secondary);
                    }
                };
            }
            case "echo" -> {
                check("on".equals(value) || "off".equals(value), "set echo takes on or off");
                ScenarioParser.noMore(t, at + 2);
                yield sim -> {
                    synchronized (sim.modem()) {
                        sim.modem().state().echo("on".equals(value));
                    }
                };
            }
            case "cmee" -> {
                int mode = ScenarioParser.integer(ScenarioParser.require(t, at + 1, "set cmee needs 0, 1 or 2"), 0, 2,
                        "CMEE mode");
                ScenarioParser.noMore(t, at + 2);
                yield sim -> {
                    synchronized (sim.modem()) {
                        sim.modem().state().cmee(mode);
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown setting '" + what + "' (expected imei, imsi, iccid, "
                    + "manufacturer, model, revision, sim, reg, networks, signal, apn-allowed, counters, ip, dns, echo, cmee)");
        };
    }

    private static Scenario.Action identity(ScenarioTokens t, int at, String regex, String message,
            java.util.function.BiConsumer<ModemState, String> setter) {
        String v = ScenarioParser.require(t, at + 1, message);
        check(v.matches(regex), message + ", got '" + v + "'");
        ScenarioParser.noMore(t, at + 2);
        return sim -> {
            synchronized (sim.modem()) {
                setter.accept(sim.modem().state(), v);
            }
        };
    }

    private static Scenario.Action sim(ScenarioTokens t, int at) {
        String what = ScenarioParser.require(t, at, "set sim needs present, absent or pin <pin>");
        switch (what) {
            case "present", "absent" -> {
                ScenarioParser.noMore(t, at + 1);
                SimStatus status = what.equals("present") ? SimStatus.READY : SimStatus.ABSENT;
                return sim -> sim.modem().changeSim(status, null);
            }
            case "pin" -> {
                String pin = ScenarioParser.require(t, at + 1, "set sim pin needs the PIN");
                check(pin.matches("\\d{4,8}"), "PIN must be 4 to 8 digits");
                ScenarioParser.noMore(t, at + 2);
                return sim -> sim.modem().changeSim(SimStatus.PIN_LOCKED, pin);
            }
            default -> throw new IllegalArgumentException("set sim takes present, absent or pin <pin>, not '" + what + "'");
        }
    }

    private static Scenario.Action signal(Map<String, String> kv) {
        Map<String, Integer> values = new LinkedHashMap<>();
        kv.forEach((k, v) -> values.put(k, ScenarioParser.integer(v, -200, 200, k)));
        return sim -> {
            synchronized (sim.modem()) {
                SignalQuality q = sim.modem().state().signal();
                values.forEach((k, v) -> {
                    switch (k) {
                        case "rssi" -> q.rssiDbm(v);
                        case "rsrp" -> q.rsrpDbm(v);
                        case "rsrq" -> q.rsrqDb(v);
                        case "sinr" -> q.sinrDb(v);
                        default -> q.ber(v);
                    }
                });
            }
        };
    }

    private static Scenario.Action counters(Map<String, String> kv) {
        Long rate = rate(kv.get("rate"));
        Long tx = rate(kv.get("tx-rate"));
        Long rx = rate(kv.get("rx-rate"));
        Long sent = rate(kv.get("sent"));
        Long received = rate(kv.get("received"));
        return sim -> {
            synchronized (sim.modem()) {
                DataCounters c = sim.modem().state().packetData().counters();
                if (rate != null || tx != null || rx != null) {
                    c.rates(tx != null ? tx : rate != null ? rate : 0, rx != null ? rx : rate != null ? rate : 0);
                }
                if (sent != null || received != null) {
                    c.set(sent != null ? sent : c.sent(), received != null ? received : c.received());
                }
            }
        };
    }

    private static Long rate(String v) {
        if (v == null) {
            return null;
        }
        var m = RATE.matcher(v);
        check(m.matches(), "bad byte count or rate '" + v + "' (e.g. 1000 or 1000/s)");
        return Long.parseLong(m.group(1));
    }

    /** @return {@code key=value} tokens as a map (values unquoted), rejecting keys not in {@code allowed} */
    static Map<String, String> keyValues(List<String> tokens, List<String> allowed, String statement) {
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String token : tokens) {
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq).toLowerCase(Locale.ROOT);
            if (eq < 0 || !allowed.contains(key)) {
                bad.add(token);
                continue;
            }
            kv.put(key, AtCommand.unquote(token.substring(eq + 1)));
        }
        check(bad.isEmpty(), statement + ": unexpected " + bad + " (expected key=value with keys " + allowed + ")");
        return kv;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static boolean isHex(String s) {
        return HEX.matcher(s).matches();
    }

    static boolean isPlmn(String s) {
        return PLMN.matcher(s).matches();
    }
}
