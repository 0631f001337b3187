package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * u-blox SARA-R4/R5 commands: {@code +URAT} radio access technology selection, {@code +UCGED} cell
 * environment in mode 2 (LTE serving cell) and {@code +UGCNTRD} data counters.
 */
final class UbloxCommands implements CommandHandler.Group {

    private final SimulatedModem modem;
    private final ModemState s;
    /** SARA-R4: 7 LTE Cat M1, 8 NB-IoT, 9 GPRS; SARA-R5: 7 and 8 only. */
    private final Set<Integer> rats;

    UbloxCommands(SimulatedModem modem) {
        this.modem = modem;
        this.s = modem.state();
        this.rats = modem.vendor() == Vendor.UBLOX_SARA_R4 ? Set.of(7, 8, 9) : Set.of(7, 8);
    }

    @Override
    public void register(Map<String, CommandHandler> t) {
        t.put("+URAT", this::urat);
        t.put("+UCGED", this::ucged);
        t.put("+UGCNTRD", this::ugcntrd);
    }

    /** {@code +UGCNTRD: <cid>,<sent_sess>,<received_sess>,<sent_total>,<received_total>} (SARA-R4 AT manual, +UGCNTRD). */
    private AtResponse ugcntrd(AtCommand c) {
        DataCounters counters = s.packetData().counters();
        return switch (c.kind()) {
            case EXEC -> AtResponse.ok("+UGCNTRD: 1," + counters.sent() + "," + counters.received() + ","
                    + counters.sent() + "," + counters.received());
            case TEST -> AtResponse.ok();
            default -> AtResponse.error();
        };
    }

    private AtResponse urat(AtCommand c) {
        String range = modem.vendor() == Vendor.UBLOX_SARA_R4 ? "(7-9)" : "(7,8)";
        return switch (c.kind()) {
            case READ -> AtResponse.ok("+URAT: " + s.ratPreferences().getOrDefault("urat", "7,8"));
            case TEST -> AtResponse.ok("+URAT: " + range + "," + range + "," + range);
            case EXEC -> AtResponse.error();
            case SET -> {
                List<String> chosen = new ArrayList<>();
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < c.params().size(); i++) {
                    Integer rat = c.intParam(i);
                    if (rat == null || !rats.contains(rat) || !seen.add(rat)) {
                        yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                    }
                    chosen.add(String.valueOf(rat));
                }
                if (chosen.isEmpty() || chosen.size() > 3) {
                    yield AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
                }
                s.ratPreferences().put("urat", String.join(",", chosen));
                yield AtResponse.ok();
            }
        };
    }

    private AtResponse ucged(AtCommand c) {
        return switch (c.kind()) {
            case TEST -> AtResponse.ok("+UCGED: (0,2)");
            case SET -> {
                Integer mode = c.intParam(0);
                yield mode != null && (mode == 0 || mode == 2) ? AtResponse.ok()
                        : AtResponse.cme(CmeError.INCORRECT_PARAMETERS);
            }
            case EXEC -> AtResponse.error();
            case READ -> AtResponse.ok(ucgedReport());
        };
    }

    /**
     * Mode 2: {@code <rat>,<svc>,<MCC>,<MNC>} then {@code <earfcn>,<Lband>,<ul_BW>,<dl_BW>,<tac>,<LcellId>,<PCID>,
     * <mTmsi>,<mmeGrId>,<mmeCode>,<rsrp>,<rsrq>,<Lsinr>,<Lrrc>,<RI>,<CQI>,<avg_rsrp>,<totalPuschPwr>,
     * <avgPucchPwr>,<drx>,<l2w>,<volte_mode>}; unknown values are all-f or 255 as the module prints them.
     */
    private List<String> ucgedReport() {
        Registration.View v = modem.effectiveRegistration();
        if (s.cfun() != 1 || !v.registered()) {
            return List.of("+UCGED: 2", "6,2,fff,fff",
                    "65535,255,255,255,ffff,0000000,65535,00000000,ffff,ff,255,255,255,1,255,255,255,255,255,0,255,255,0");
        }
        SignalQuality q = s.signal();
        String mcc = v.plmn().substring(0, 3);
        String mnc = v.plmn().substring(3);
        String sinr = String.format(java.util.Locale.ROOT, "%.2f", (double) q.sinrDb());
        return List.of("+UCGED: 2", "6,4," + mcc + "," + mnc,
                "6300,20,10,10," + v.area().toLowerCase(java.util.Locale.ROOT) + ","
                        + v.cellId().toLowerCase(java.util.Locale.ROOT) + ",306,d60814d1,8001,01," + q.cesqRsrp() + ","
                        + q.cesqRsrq() + "," + sinr + ",3,1,10," + q.cesqRsrp() + ",-50,-6,0,255,255,0");
    }
}
