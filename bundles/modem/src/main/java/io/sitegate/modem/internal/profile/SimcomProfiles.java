package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.ModemQuery;
import io.sitegate.modem.Rat;
import io.sitegate.modem.UnsupportedCapabilityException;
import io.sitegate.modem.internal.parse.IdentityParsers;
import io.sitegate.modem.internal.parse.SignalParsers;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SIMCom SIM7600 (LTE Cat 1/4, UMTS, GSM) and SIM7000/SIM7070/SIM7080 (Cat M1, NB-IoT, GSM).
 * Sources: "SIM7500_SIM7600 Series AT Command Manual" V1.08/V2.00 (AT+CNMP, AT+CPSI, AT+CICCID, AT+CDNSCFG),
 * "SIM7000 Series AT Command Manual" (AT+CNMP, AT+CMNB) and "SIM7070_SIM7080_SIM7090 Series AT Command Manual"
 * V1.07 (§5.2.8 AT+CCID, §5.2.16 AT+CNMP, §5.2.17 AT+CMNB, §5.2.19 AT+CPSI, AT+CGAUTH). {@code AT+CNMP} selects a
 * set of RATs, not an order: the order is kept only as far as "one RAT = only that RAT". SIMCom has no packet
 * counter query.
 *
 * <p>Both families put the password before the user name in {@code AT+CGAUTH=<cid>[,<auth_type>[,<passwd>[,<user>]]]}
 * (SIM7500/SIM7600 manual V3.00 as quoted in vshymanskyy/TinyGSM pull request 678; SIM7070/SIM7080/SIM7090 manual
 * V1.07; FreeRTOS community port sim70x0/cellular_sim70x0_api.c sends the same order), unlike 27.007 §10.1.31.
 */
final class SimcomProfiles {

    /** SIM7600 manual, AT+CNMP: 13 GSM only, 14 WCDMA only, 38 LTE only, 19 GSM+WCDMA, 51 GSM+LTE, 54 WCDMA+LTE, 2 automatic. */
    private static final Map<Set<Rat>, Integer> SIM7600_CNMP = Map.of(
            EnumSet.of(Rat.GSM), 13,
            EnumSet.of(Rat.UMTS), 14,
            EnumSet.of(Rat.LTE), 38,
            EnumSet.of(Rat.GSM, Rat.UMTS), 19,
            EnumSet.of(Rat.GSM, Rat.LTE), 51,
            EnumSet.of(Rat.UMTS, Rat.LTE), 54,
            EnumSet.of(Rat.GSM, Rat.UMTS, Rat.LTE), 2);
    /** SIM7000 manual, AT+CMNB: 1 CAT-M, 2 NB-IoT, 3 CAT-M and NB-IoT. */
    private static final Map<Set<Rat>, Integer> SIM7000_CMNB = Map.of(
            EnumSet.of(Rat.LTE_M), 1,
            EnumSet.of(Rat.NB_IOT), 2,
            EnumSet.of(Rat.LTE_M, Rat.NB_IOT), 3);
    /** SIMCom URCs: +CPSI with AT+CPSI=<time>, +CGEV, network time +CTZV, ready indications. */
    private static final Set<String> URCS = Set.of("+CPSI:", "+CTZV:", "+CNSMOD:", "*PSUTTZ:", "DST:");

    private SimcomProfiles() {
    }

    /** SIMCom order: {@code AT+CGAUTH=<cid>,<auth_type>,"<passwd>","<user>"}. */
    static final ModemProfile.PdpAuthentication PASSWORD_FIRST_CGAUTH = (cid, protocol, user, password) ->
            AtCommand.of("AT+CGAUTH=" + cid + "," + protocol.code() + ",\"" + password + "\",\"" + user + "\"");

    static ModemProfile sim7600() {
        return new ModemProfile("SIMCom SIM7600", Pattern.compile("SIM7[56]00|\\bA76[0-9]{2}", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), EnumSet.of(Rat.GSM, Rat.UMTS, Rat.LTE),
                order -> List.of(AtCommand.of("AT+CNMP=" + SIM7600_CNMP.get(EnumSet.copyOf(order)))),
                SimcomProfiles::dns, new ModemQuery<>(AtCommand.of("AT+CPSI?"), SignalParsers::cpsi),
                null, iccid(), URCS).withPdpAuthentication(PASSWORD_FIRST_CGAUTH);
    }

    /**
     * SIM7000/SIM7070/SIM7080: detected from {@code AT+CGMM} ({@code SIMCOM_SIM7080G}); their {@code ATI} answers
     * only a revision such as {@code R1951.01}.
     */
    static ModemProfile sim7000() {
        return new ModemProfile("SIMCom SIM7000", Pattern.compile("SIM70[078]0", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), EnumSet.of(Rat.GSM, Rat.LTE_M, Rat.NB_IOT), SimcomProfiles::sim7000Rats,
                SimcomProfiles::dns, new ModemQuery<>(AtCommand.of("AT+CPSI?"), SignalParsers::cpsiSim70xx),
                null, sim70xxIccid(), URCS).withPdpAuthentication(PASSWORD_FIRST_CGAUTH);
    }

    /** SIM7000 manual, AT+CNMP: 13 GSM only, 38 LTE only, 51 GSM and LTE only; AT+CMNB picks the LTE categories. */
    private static List<AtCommand> sim7000Rats(List<Rat> order) {
        EnumSet<Rat> lte = EnumSet.copyOf(order);
        boolean gsm = lte.remove(Rat.GSM);
        if (lte.isEmpty()) {
            return List.of(AtCommand.of("AT+CNMP=13"));
        }
        if (gsm && order.get(0) == Rat.GSM) {
            throw new UnsupportedCapabilityException("SIMCom SIM7000", "GSM before LTE in " + order
                    + " (AT+CNMP=51 always prefers LTE)");
        }
        return List.of(AtCommand.of("AT+CNMP=" + (gsm ? 51 : 38)), AtCommand.of("AT+CMNB=" + SIM7000_CMNB.get(lte)));
    }

    /** TCP/IP section of the SIM7600 manual: {@code AT+CDNSCFG=<pri_dns>[,<sec_dns>]}. */
    private static List<AtCommand> dns(int cid, String primary, String secondary) {
        return List.of(AtCommand.of("AT+CDNSCFG=\"" + primary + "\"" + (secondary == null ? "" : ",\"" + secondary + "\"")));
    }

    /**
     * SIM7070/SIM7080/SIM7090 manual §5.2.8: {@code AT+CCID} answers the bare digits ({@code 89861118231006965031}),
     * no {@code +CCID:} prefix; TinyGSM src/TinyGsmClientSIM70xx.h reads it the same way for SIM7000 and SIM7080.
     */
    private static ModemQuery<String> sim70xxIccid() {
        return new ModemQuery<>(AtCommand.of("AT+CCID").withResponsePrefix(null), IdentityParsers::iccid);
    }

    /** SIM7600 manual, AT+CICCID answers {@code +ICCID: <ICCID>}. */
    private static ModemQuery<String> iccid() {
        return new ModemQuery<>(AtCommand.of("AT+CICCID").withResponsePrefix("+ICCID:"), IdentityParsers::iccid);
    }
}
