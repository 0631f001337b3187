package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.ModemQuery;
import io.sitegate.modem.Rat;
import io.sitegate.modem.internal.parse.CounterParsers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * u-blox SARA-R4 (R410M/R412M: Cat M1, NB-IoT, R412M also EGPRS) and SARA-R5 (R510S/R510M8S: Cat M1, NB-IoT).
 * Sources: "SARA-R4 series AT commands manual" UBX-17003787 (R09 §7.2 +CSQ, §7.3 +CESQ, the +URAT and
 * +UGCNTRD sections) and "SARA-R5 series AT commands manual" UBX-19047455 (+URAT, +UPSD, +UGCNTRD).
 * Signal comes from the standard {@code AT+CESQ} (u-blox's +UCGED layout differs per firmware).
 */
final class UbloxProfiles {

    /** +URAT {@code <SelectedAcT>[,<PreferredAct>[,<2ndPreferredAct>]]}: 7 LTE Cat M1, 8 LTE Cat NB1, 9 GPRS/eGPRS. */
    private static final Map<Rat, Integer> URAT = new EnumMap<>(Map.of(
            Rat.LTE_M, 7,
            Rat.NB_IOT, 8,
            Rat.GSM, 9));
    /** u-blox URCs: +UUPSDA/+UUPSDD (PSD profile (de)activated), +UUSOCL (socket closed), +UUDNSRN, +UMWI, +UFOTASTAT. */
    private static final Set<String> URCS = Set.of("+UUPSDA:", "+UUPSDD:", "+UUSOCL:", "+UUDNSRN:", "+UMWI:", "+UFOTASTAT:");

    private UbloxProfiles() {
    }

    /** SARA-R4: no DNS configuration command (+UPSD is not supported on SARA-R410M; +UDNSRN only resolves). */
    static ModemProfile saraR4() {
        return new ModemProfile("u-blox SARA-R4", Pattern.compile("SARA-R4", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), URAT.keySet(), UbloxProfiles::urat, null,
                StandardCommands.cesq(), counters(), StandardCommands.ccid(), URCS);
    }

    /** SARA-R5: DNS servers of PSD profile 0 through {@code AT+UPSD=0,4,"<dns1>"} and {@code AT+UPSD=0,5,"<dns2>"}. */
    static ModemProfile saraR5() {
        return new ModemProfile("u-blox SARA-R5", Pattern.compile("SARA-R5", Pattern.CASE_INSENSITIVE),
                StandardCommands.init(), Set.of(Rat.LTE_M, Rat.NB_IOT), UbloxProfiles::urat, UbloxProfiles::upsdDns,
                StandardCommands.cesq(), counters(), StandardCommands.ccid(), URCS);
    }

    private static List<AtCommand> urat(List<Rat> order) {
        StringJoiner acts = new StringJoiner(",");
        order.forEach(rat -> acts.add(String.valueOf(URAT.get(rat))));
        // +URAT is only accepted while the radio is off (+CFUN=0); the RAT change needs it anyway.
        return List.of(AtCommand.of("AT+CFUN=0"), AtCommand.of("AT+URAT=" + acts), AtCommand.of("AT+CFUN=1"));
    }

    /** PSD profile parameters 4 (primary DNS) and 5 (secondary DNS); the PSD profile is mapped to {@code cid} via tag 100. */
    private static List<AtCommand> upsdDns(int cid, String primary, String secondary) {
        List<AtCommand> commands = new ArrayList<>();
        commands.add(AtCommand.of("AT+UPSD=0,100," + cid));
        commands.add(AtCommand.of("AT+UPSD=0,4,\"" + primary + "\""));
        if (secondary != null) {
            commands.add(AtCommand.of("AT+UPSD=0,5,\"" + secondary + "\""));
        }
        return commands;
    }

    private static ModemQuery<io.sitegate.modem.DataCounters> counters() {
        return new ModemQuery<>(AtCommand.of("AT+UGCNTRD"), CounterParsers::ublox);
    }
}
