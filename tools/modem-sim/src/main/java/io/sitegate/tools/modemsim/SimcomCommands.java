package io.sitegate.tools.modemsim;

import java.util.Map;
import java.util.Set;

/**
 * SIMCom SIM7500/SIM7600 commands: {@code +CNMP} preferred mode, {@code +CDNSCFG} DNS servers and
 * {@code +CPSI} serving cell information.
 */
final class SimcomCommands implements CommandHandler.Group {

    /** SIM7600 +CNMP modes: 2 automatic, 13 GSM, 14 WCDMA, 38 LTE, 48 any but LTE, 51 GSM+LTE, 54 WCDMA+LTE, ... */
    private static final Set<Integer> MODES = Set.of(2, 9, 10, 13, 14, 19, 22, 38, 39, 48, 51, 54, 59, 60, 63, 67);

    private final SimulatedModem modem;
    private final ModemState s;

    SimcomCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+CNMP", this::cnmp);
        t.put("+CDNSCFG", this::cdnscfg);
        t.put("+CPSI", this::cpsi);
    }

    private AtResponse cnmp(AtCommand c) {
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+CNMP: " + s.ratPreferences().getOrDefault("cnmp", "2"));
            case TEST -> AtResponse.ok("+CNMP: (2,9-10,13-14,19,22,38-39,48,51,54,59-60,63,67)");
            case EXEC -> AtResponse.error();
            case SET -> {
                int mode = c.intParam(0);
                if (!MODES.contains(mode) || c.params().size() > 1) {
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
}
