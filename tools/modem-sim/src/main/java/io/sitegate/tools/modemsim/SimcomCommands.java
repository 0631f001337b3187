package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SIMCom commands: {@code +CNMP} preferred mode, {@code +CDNSCFG} DNS servers, {@code +CPSI} serving cell
 * information and {@code +CGAUTH} with the password before the user name. SIM7080 in the SIM70xx dialect
 * ("SIM7070_SIM7080_SIM7090 Series AT Command Manual" V1.07): {@code +CNMP} 2/13/38/51, {@code +CMNB} 1-3 and
 * {@code +CPSI} with "LTE CAT-M1"/"LTE NB-IOT" and whole-dB values, RSSNR = (SINR + 20) / 2.
 */
final class SimcomCommands implements CommandHandler.Group {

    /** SIM7600 +CNMP modes: 2 automatic, 13 GSM, 14 WCDMA, 38 LTE, 48 any but LTE, 51 GSM+LTE, 54 WCDMA+LTE, ... */
    private static final Set<Integer> MODES = Set.of(2, 9, 10, 13, 14, 19, 22, 38, 39, 48, 51, 54, 59, 60, 63, 67);

    /** SIM7070/SIM7080/SIM7090 manual §5.2.16: 2 automatic, 13 GSM only, 38 LTE only, 51 GSM and LTE only. */
    private static final Set<Integer> SIM70XX_MODES = Set.of(2, 13, 38, 51);
    /** §5.2.17: 1 CAT-M, 2 NB-IoT, 3 CAT-M and NB-IoT. */
    private static final Set<Integer> CMNB_MODES = Set.of(1, 2, 3);

    private final SimulatedModem modem;
    private final ModemState s;
    private final boolean sim70xx;
    /** cid → {auth_type, user}; the password is checked for shape and not kept. */
    private final Map<Integer, String[]> auth = new HashMap<>();

    SimcomCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
        this.sim70xx = modem.vendor() == Vendor.SIMCOM_SIM7080;
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+CNMP", this::cnmp);
        t.put("+CDNSCFG", this::cdnscfg);
        t.put("+CPSI", sim70xx ? this::cpsiSim70xx : this::cpsi);
        t.put("+CGAUTH", this::cgauth);
        if (sim70xx) {
            t.put("+CMNB", this::cmnb);
        }
    }

    private AtResponse cnmp(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CNMP: " + s.ratPreferences().getOrDefault("cnmp", "2"));
            case TEST -> AtResponse.ok(sim70xx ? "+CNMP: ((2-Automatic),(13-GSM Only),(38-LTE Only),(51-GSM And LTE Only))"
                    : "+CNMP: (2,9-10,13-14,19,22,38-39,48,51,54,59-60,63,67)");
            case EXEC -> AtResponse.error();
            case SET -> {
                Integer mode = c.intParam(0);
                if (mode == null || !(sim70xx ? SIM70XX_MODES : MODES).contains(mode) || c.params().size() > 1) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.ratPreferences().put("cnmp", String.valueOf(mode));
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse cdnscfg(AtCommand c) {
        String[] dns = s.dnsByContext().getOrDefault(0, new String[] {s.networkDnsPrimary(), s.networkDnsSecondary()});
        return switch (c.kind()) {
            case READ -> AtResponse.ok("PrimaryDns: " + dns[0], "SecondaryDns: " + dns[1]);
            case TEST -> AtResponse.ok("+CDNSCFG: (\"Primary DNS\"),(\"Secondary DNS\")");
            case EXEC -> AtResponse.error();
            case SET -> {
                String primary = c.param(0);
                String secondary = c.param(1) == null ? "0.0.0.0" : c.param(1);
                if (!DnsAddress.valid(primary) || !DnsAddress.valid(secondary)) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.dnsByContext().put(0, new String[] {primary, secondary});
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse cpsi(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok("+CPSI: (0-255)");
        }
        if (c.kind() != AtCommand.Kind.READ) {
            return c.kind() == AtCommand.Kind.SET ? AtResponse.ok() : AtResponse.error();
        }
        if (s.cfun() != 1) {
            return AtResponse.ok("+CPSI: NO SERVICE,Low Power Mode");
        }
        Registration.View v = modem.effectiveRegistration();
        if (!v.registered()) {
            return AtResponse.ok("+CPSI: NO SERVICE,Online");
        }
        SignalQuality q = s.signal();
        String mccMnc = v.plmn().substring(0, 3) + "-" + v.plmn().substring(3);
        long cellId = Long.parseLong(v.cellId(), 16);
        if (v.act() == 0 || v.act() == 3) {
            return AtResponse.ok("+CPSI: GSM,Online," + mccMnc + ",0x" + v.area() + "," + cellId + ",72,EGSM 900,"
                    + q.rssiDbm() + ",0,40-40");
        }
        // RSRQ, RSRP and RSSI in tenths of dB(m), RSSNR in dB (SIM7600 manual, AT+CPSI)
        return AtResponse.ok("+CPSI: LTE,Online," + mccMnc + ",0x" + v.area() + "," + cellId + ",306,EUTRAN-BAND3,"
                + "1300,5,5," + q.rsrqDb() * 10 + "," + q.rsrpDbm() * 10 + "," + q.rssiDbm() * 10 + "," + q.sinrDb());
    }

    /** SIM70xx {@code AT+CMNB=<mode>}: which LTE category to search. */
    private AtResponse cmnb(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CMNB: " + s.ratPreferences().getOrDefault("cmnb", "3"));
            case TEST -> AtResponse.ok("+CMNB: ((1-Cat-M),(2-NB-IoT),(3-Cat-M And NB-IoT))");
            case EXEC -> AtResponse.error();
            case SET -> {
                Integer mode = c.intParam(0);
                if (mode == null || !CMNB_MODES.contains(mode) || c.params().size() > 1) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.ratPreferences().put("cmnb", String.valueOf(mode));
                yield AtResponse.ok();
            }
        };
    }

    /**
     * SIMCom {@code AT+CGAUTH=<cid>[,<auth_type>[,<passwd>[,<user>]]]} (SIM7070_SIM7080_SIM7090 manual V1.07,
     * SIM7500_SIM7600 manual V3.00): password before user; the read form shows {@code +CGAUTH: <cid>,<auth_type>[,<user>]}.
     */
    private AtResponse cgauth(AtCommand c) {
        return switch (c.kind()) {
            case TEST -> AtResponse.ok("+CGAUTH: (1-15),(0-3),,");
            case EXEC -> AtResponse.error();
            case READ -> {
                List<String> lines = new ArrayList<>();
                new TreeMap<>(auth).forEach((cid, a) -> lines.add("+CGAUTH: " + cid + "," + a[0]
                        + (a[1].isEmpty() ? "" : ",\"" + a[1] + "\"")));
                yield AtResponse.ok(lines);
            }
            case SET -> {
                Integer cid = c.intParam(0);
                Integer type = c.params().size() > 1 ? c.intParam(1) : Integer.valueOf(0);
                if (cid == null || cid < 1 || cid > 15 || type == null || type < 0 || type > 3 || c.params().size() > 4) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                String password = c.param(2) == null ? "" : c.param(2);
                String user = c.param(3) == null ? "" : c.param(3);
                if (type != 0 && password.isEmpty()) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS); // PAP and CHAP need <passwd>
                }
                auth.put(cid, new String[] {String.valueOf(type), user});
                yield AtResponse.ok();
            }
        };
    }

    /** SIM70xx CPSI: whole units; Cat M1 unless the registration reports NB-IoT (AcT 9). */
    private AtResponse cpsiSim70xx(AtCommand c) {
        if (c.kind() == AtCommand.Kind.TEST) {
            return AtResponse.ok();
        }
        if (c.kind() != AtCommand.Kind.READ) {
            return AtResponse.error();
        }
        if (s.cfun() != 1) {
            return AtResponse.ok("+CPSI: NO SERVICE,Low Power Mode");
        }
        Registration.View v = modem.effectiveRegistration();
        if (!v.registered()) {
            return AtResponse.ok("+CPSI: NO SERVICE,Online");
        }
        SignalQuality q = s.signal();
        String mccMnc = v.plmn().substring(0, 3) + "-" + v.plmn().substring(3);
        long cellId = Long.parseLong(v.cellId(), 16);
        if (v.act() == 0 || v.act() == 3) {
            return AtResponse.ok("+CPSI: GSM,Online," + mccMnc + ",0x" + v.area() + "," + cellId + ",5 EGSM 900,"
                    + q.rssiDbm() + ",0,42-42");
        }
        String mode = v.act() == 9 ? "LTE NB-IOT" : "LTE CAT-M1";
        String bw = v.act() == 9 ? "0,0" : "5,5";
        long rssnr = Math.round((q.sinrDb() + 20) / 2.0);
        return AtResponse.ok("+CPSI: " + mode + ",Online," + mccMnc + ",0x" + v.area() + "," + cellId + ",94,EUTRAN-BAND20,"
                + "6300," + bw + "," + q.rsrqDb() + "," + q.rsrpDbm() + "," + q.rssiDbm() + "," + rssnr);
    }
}
