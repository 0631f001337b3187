package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Quectel's own commands (EC25 and BG96 AT manuals): {@code +QCFG} network scan settings, {@code +QCSQ},
 * {@code +QIDNSCFG}, {@code +QGDCNT}. Which {@code +QCFG} items exist, and their value ranges, depend on
 * the model: {@code "iotopmode"} is BG96 only.
 */
final class QuectelCommands implements CommandHandler.Group {

    /** One {@code AT+QCFG} setting: validity of a value, power-on default and its test-form range. */
    private record Setting(Predicate<String> valid, String initial, String range) {
    }

    private final SimulatedModem modem;
    private final ModemState s;
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    QuectelCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
        if (modem.vendor() == Vendor.QUECTEL_BG96) {
            // BG96: 0 automatic, 1 GSM only, 3 LTE only; iotopmode 0 eMTC, 1 NB-IoT, 2 both;
            // scan sequence codes 01 GSM, 02 eMTC, 03 NB-IoT
            settings.put("nwscanmode", new Setting(v -> Set.of("0", "1", "3").contains(v), "0", "(0,1,3),(0,1)"));
            settings.put("nwscanseq", new Setting(v -> validSequence(v, 3), "020301", "(00-030201),(0,1)"));
            settings.put("iotopmode", new Setting(v -> Set.of("0", "1", "2").contains(v), "2", "(0-2),(0,1)"));
        } else {
            // EC25: 0 automatic, 1 GSM, 2 UMTS, 3 LTE only ... (0-8 on current firmware);
            // scan sequence codes 01 GSM, 02 TD-SCDMA, 03 WCDMA, 04 LTE, 05 CDMA
            settings.put("nwscanmode", new Setting(v -> v.matches("[0-8]"), "0", "(0-8),(0,1)"));
            settings.put("nwscanseq", new Setting(v -> validSequence(v, 5), "00", "(00-0102030405),(0,1)"));
        }
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+QCFG", this::qcfg);
        t.put("+QCSQ", this::qcsq);
        t.put("+QIDNSCFG", this::qidnscfg);
        t.put("+QGDCNT", this::qgdcnt);
    }

    /** A scan sequence is "00" (automatic) or distinct two-digit RAT codes 01..max. */
    static boolean validSequence(String v, int max) {
        if (v.equals("00")) {
            return true;
        }
        if (v.isEmpty() || v.length() % 2 != 0 || !v.matches("\\d+")) {
            return false;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < v.length(); i += 2) {
            String code = v.substring(i, i + 2);
            int n = Integer.parseInt(code);
            if (n < 1 || n > max || !seen.add(code)) {
                return false;
            }
        }
        return true;
    }

    private AtResponse qcfg(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            List<String> lines = new ArrayList<>();
            settings.forEach((name, st) -> lines.add("+QCFG: \"" + name + "\"," + st.range()));
            return AtResponse.ok(lines);
        }
        if (c.kind() != AtCommand.Kind.SET) {
            return AtResponse.error();
        }
        String name = c.param(0) == null ? "" : c.param(0).toLowerCase(Locale.ROOT);
        Setting setting = settings.get(name);
        if (setting == null) {
            return AtResponse.cme(CmeError.OPERATION_NOT_SUPPORTED);
        }
        String current = s.ratPreferences().getOrDefault(name, setting.initial());
        if (c.params().size() == 1) {
            return AtResponse.ok("+QCFG: \"" + name + "\"," + current);
        }
        String value = c.param(1);
        String effect = c.param(2);
        if (value == null || !setting.valid().test(value) || effect != null && !effect.matches("[01]")
                || c.params().size() > 3) {
            return AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
        }
        s.ratPreferences().put(name, value);
        return AtResponse.ok();
    }

    private AtResponse qcsq(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        Registration.View v = modem.effectiveRegistration();
        SignalQuality q = s.signal();
        if (s.cfun() != 1 || !v.registered()) {
            return AtResponse.ok("+QCSQ: \"NOSERVICE\"");
        }
        String lteLine = "," + q.rssiDbm() + "," + q.rsrpDbm() + "," + q.quectelSinr() + "," + q.rsrqDb();
        return AtResponse.ok(switch (v.act()) {
            case 0, 3 -> "+QCSQ: \"GSM\"," + q.rssiDbm();
            case 2, 4, 5, 6 -> "+QCSQ: \"WCDMA\"," + q.rssiDbm() + "," + q.rsrpDbm() + "," + q.rsrqDb();
            case 8 -> "+QCSQ: \"eMTC\"" + lteLine;
            case 9 -> "+QCSQ: \"NBIoT\"" + lteLine;
            default -> "+QCSQ: \"LTE\"" + lteLine;
        });
    }

    private AtResponse qidnscfg(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+QIDNSCFG: (1-16),<pridnsaddr>,<secdnsaddr>");
        }
        if (c.kind() != AtCommand.Kind.SET) {
            return AtResponse.error();
        }
        int cid = c.intParam(0);
        if (cid < 1 || cid > 16) {
            return AtResponse.cme(CmeError.QUECTEL_INVALID_PARAMETERS);
        }
        if (c.params().size() == 1) {
            String[] dns = s.dnsByContext().getOrDefault(cid,
                    new String[] {s.networkDnsPrimary(), s.networkDnsSecondary()});
            return AtResponse.ok("+QIDNSCFG: " + cid + ",\"" + dns[0] + "\",\"" + dns[1] + "\"");
        }
        String primary = c.param(1);
        String secondary = c.param(2) == null ? "0.0.0.0" : c.param(2);
        if (!DnsAddress.valid(primary) || !DnsAddress.valid(secondary) || c.params().size() > 3) {
            return AtResponse.cme(CmeError.QUECTEL_INVALID_PARAMETERS);
        }
        s.dnsByContext().put(cid, new String[] {primary, secondary});
        return AtResponse.ok();
    }

    private AtResponse qgdcnt(AtCommand c) {
        DataCounters counters = s.packetData().counters();
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+QGDCNT: " + counters.sent() + "," + counters.received());
            case TEST -> AtResponse.ok("+QGDCNT: (0,1)");
            case SET -> switch (c.param(0) == null ? "" : c.param(0)) {
                case "0" -> {
                    counters.reset();
                    yield AtResponse.ok();
                }
                case "1" -> AtResponse.ok(); // "save to NVRAM": nothing to do in a simulator
                default -> AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
            };
            case EXEC -> AtResponse.error();
        };
    }
}
