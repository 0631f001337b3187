package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AccessTechnology;
import io.sitegate.modem.AccessTechnologyTable;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.ModemQuery;
import io.sitegate.modem.Rat;
import io.sitegate.modem.internal.parse.CounterParsers;
import io.sitegate.modem.internal.parse.IdentityParsers;
import io.sitegate.modem.internal.parse.SignalParsers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quectel EC25 (LTE Cat 4 with UMTS/GSM fallback) and BG96/BG95 (LTE Cat M1, NB-IoT, EGPRS).
 * Sources: "EC25&EC21 AT Commands Manual" V1.3 (AT+QCFG "nwscanmode"/"nwscanseq", AT+QCSQ, AT+QGDCNT,
 * AT+QCCID), "EC2x&EG9x&EM05 TCP/IP AT Commands Manual" (AT+QIDNSCFG), "BG96 AT Commands Manual" V2.1/V2.3
 * (AT+QCFG "nwscanseq"/"nwscanmode"/"iotopmode", AT+QCSQ). The {@code ,1} after each QCFG value makes it
 * take effect immediately. The EC25's {@code AT+QCFG=?} list in lukejenkins/cwd
 * (documentation/quectel_ec2x_and_eg2x/outputs.md) confirms {@code "nwscanmode",(0-8),(0,1)} and
 * {@code "nwscanseq",(00-0102030405),(0,1)} on a real EG25-G.
 */
final class QuectelProfiles {

    /** EC25 manual, AT+QCFG="nwscanmode": 0 AUTO, 1 GSM only, 2 WCDMA only, 3 LTE only. */
    private static final Map<Rat, Integer> EC25_SCAN_MODE = new EnumMap<>(Map.of(
            Rat.GSM, 1,
            Rat.UMTS, 2,
            Rat.LTE, 3));
    /** EC25 manual, AT+QCFG="nwscanseq": 01 GSM, 02 TD-SCDMA, 03 WCDMA, 04 LTE (00 automatic). */
    private static final Map<Rat, String> EC25_SCAN_SEQ = new EnumMap<>(Map.of(
            Rat.GSM, "01",
            Rat.UMTS, "03",
            Rat.LTE, "04"));
    /** BG96 manual, AT+QCFG="nwscanseq": 01 GSM, 02 LTE Cat M1, 03 LTE Cat NB1 (00 automatic). */
    private static final Map<Rat, String> BG96_SCAN_SEQ = new EnumMap<>(Map.of(
            Rat.GSM, "01",
            Rat.LTE_M, "02",
            Rat.NB_IOT, "03"));
    /**
     * BG96/BG95/BG77 report LTE Cat M1 (eMTC) as {@code <AcT>} 8 in +CREG/+CGREG/+CEREG/+COPS, where 27.007 has
     * EC-GSM-IoT; 9 stays NB-IoT. FreeRTOS-Cellular-Interface (reference port: BG96) reads 8 the same way
     * (source/include/cellular_types.h CELLULAR_RAT_CATM1 = 8, source/cellular_3gpp_urc_handler.c).
     */
    private static final AccessTechnologyTable BG96_ACT = new AccessTechnologyTable(Map.of(8, AccessTechnology.LTE_CAT_M1));
    /** Quectel URCs: +QIND (indications), +QUSIM (USIM/SIM type), +QIURC (TCP/IP), +QCSQ with AT+QCSQ=1. */
    private static final Set<String> URCS = Set.of("+QIND:", "+QUSIM:", "+QIURC:", "+QCSQ:", "+QNETDEVSTATUS:");

    private QuectelProfiles() {
    }

    static ModemProfile ec25() {
        return new ModemProfile("Quectel EC25", Pattern.compile("\\bE[CG]2[015]", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), EC25_SCAN_MODE.keySet(), QuectelProfiles::ec25Rats,
                QuectelProfiles::dns, signal(), counters(), iccid(), URCS);
    }

    static ModemProfile bg96() {
        return new ModemProfile("Quectel BG96/BG95", Pattern.compile("\\bBG(96|95|77)", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), BG96_SCAN_SEQ.keySet(), QuectelProfiles::bg96Rats,
                QuectelProfiles::dns, signal(), counters(), iccid(), URCS).withAccessTechnologies(BG96_ACT);
    }

    /** One RAT: nwscanmode "only"; several: automatic mode with the scan sequence in the requested order. */
    private static List<AtCommand> ec25Rats(List<Rat> order) {
        if (order.size() == 1) {
            return List.of(qcfg("nwscanmode", String.valueOf(EC25_SCAN_MODE.get(order.get(0)))));
        }
        return List.of(qcfg("nwscanseq", sequence(order, EC25_SCAN_SEQ)), qcfg("nwscanmode", "0"));
    }

    /**
     * BG96: nwscanseq in the requested order; nwscanmode 1 (GSM only), 3 (LTE only) or 0 (automatic);
     * iotopmode 0 (eMTC), 1 (NB-IoT) or 2 (both) for the LTE categories requested.
     */
    private static List<AtCommand> bg96Rats(List<Rat> order) {
        boolean gsm = order.contains(Rat.GSM);
        boolean catM = order.contains(Rat.LTE_M);
        boolean nb = order.contains(Rat.NB_IOT);
        List<AtCommand> commands = new ArrayList<>();
        commands.add(qcfg("nwscanseq", sequence(order, BG96_SCAN_SEQ)));
        commands.add(qcfg("nwscanmode", gsm && !catM && !nb ? "1" : gsm ? "0" : "3"));
        if (catM || nb) {
            commands.add(qcfg("iotopmode", catM && nb ? "2" : catM ? "0" : "1"));
        }
        return commands;
    }

    /** TCP/IP manual: {@code AT+QIDNSCFG=<contextID>,<pridnsaddr>[,<secdnsaddr>]}. */
    private static List<AtCommand> dns(int cid, String primary, String secondary) {
        return List.of(AtCommand.of("AT+QIDNSCFG=" + cid + ",\"" + primary + "\""
                + (secondary == null ? "" : ",\"" + secondary + "\"")));
    }

    private static ModemQuery<io.sitegate.modem.SignalQuality> signal() {
        return new ModemQuery<>(AtCommand.of("AT+QCSQ"), SignalParsers::qcsq);
    }

    private static ModemQuery<io.sitegate.modem.DataCounters> counters() {
        return new ModemQuery<>(AtCommand.of("AT+QGDCNT?"), CounterParsers::quectel);
    }

    private static ModemQuery<String> iccid() {
        return new ModemQuery<>(AtCommand.of("AT+QCCID"), IdentityParsers::iccid);
    }

    private static AtCommand qcfg(String name, String value) {
        return AtCommand.of("AT+QCFG=\"" + name + "\"," + value + ",1");
    }

    private static String sequence(List<Rat> order, Map<Rat, String> codes) {
        StringBuilder seq = new StringBuilder();
        for (Rat rat : order) {
            seq.append(codes.get(rat));
        }
        return seq.toString();
    }
}
