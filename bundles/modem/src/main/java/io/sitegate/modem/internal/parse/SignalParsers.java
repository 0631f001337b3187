package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SignalQuality;
import io.sitegate.modem.internal.codec.Fields;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Signal replies: {@code +CSQ}, {@code +CESQ} (27.007 §8.5, §8.69), Quectel {@code +QCSQ}, SIMCom {@code +CPSI} in
 * the SIM7600 dialect (tenths) and the SIM70xx dialect (whole units).
 */
public final class SignalParsers {

    private SignalParsers() {
    }

    /** {@code +CSQ: <rssi>,<ber>}: 0 → -113 dBm, 1 → -111, 2..30 → -109..-53 (2 dB steps), 31 → -51, 99 unknown. */
    public static SignalQuality csq(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+CSQ:");
        String line = "+CSQ: " + String.join(",", f);
        ReplyLines.requireAtLeast(response, line, f, 2);
        int rssi = ReplyLines.integer(response, line, f.get(0), "<rssi>");
        if (rssi == 99 || rssi == 199) {
            return SignalQuality.unknown();
        }
        if (rssi >= 0 && rssi <= 31) {
            return new SignalQuality(Optional.empty(), OptionalInt.of(-113 + 2 * rssi), OptionalInt.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        if (rssi >= 100 && rssi <= 191) { // TD-SCDMA RSCP extension: 100 → -116 dBm ... 191 → -25 dBm
            return new SignalQuality(Optional.of(Rat.UMTS), OptionalInt.of(rssi - 216), OptionalInt.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        throw ReplyLines.fail(response, line, "<rssi> " + rssi + " out of range");
    }

    /**
     * {@code +CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>}: rxlev 0..63 → -111..-48 dBm, rsrq 0..34 →
     * -20..-3 dB in 0.5 dB steps, rsrp 0..97 → -141..-44 dBm; 99/255 unknown.
     */
    public static SignalQuality cesq(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+CESQ:");
        String line = "+CESQ: " + String.join(",", f);
        ReplyLines.requireAtLeast(response, line, f, 6);
        int rxlev = ReplyLines.integer(response, line, f.get(0), "<rxlev>");
        int rscp = ReplyLines.integer(response, line, f.get(2), "<rscp>");
        int rsrq = ReplyLines.integer(response, line, f.get(4), "<rsrq>");
        int rsrp = ReplyLines.integer(response, line, f.get(5), "<rsrp>");
        boolean lte = rsrp != 255 && rsrp >= 0 && rsrp <= 97;
        Optional<Rat> rat = lte ? Optional.of(Rat.LTE)
                : rscp != 255 && rscp <= 96 ? Optional.of(Rat.UMTS)
                : rxlev != 99 && rxlev <= 63 ? Optional.of(Rat.GSM) : Optional.empty();
        OptionalInt rssi = rxlev >= 0 && rxlev <= 63 ? OptionalInt.of(-111 + rxlev) : OptionalInt.empty();
        return new SignalQuality(rat, rssi,
                lte ? OptionalInt.of(-141 + rsrp) : OptionalInt.empty(),
                rsrq >= 0 && rsrq <= 34 ? OptionalDouble.of(-20 + rsrq * 0.5) : OptionalDouble.empty(),
                OptionalDouble.empty());
    }

    /**
     * Quectel {@code +QCSQ: "<sysmode>",...}: {@code "LTE",<rssi>,<rsrp>,<sinr>,<rsrq>} with SINR in 1/5 dB
     * from -20 dB ({@code 0..250}); {@code "GSM",<rssi>}; {@code "WCDMA",<rssi>,<rscp>,<ecio>};
     * BG96 reports {@code "eMTC"}/{@code "CAT-M1"} and {@code "NBIoT"}/{@code "CAT-NB1"} like LTE; {@code "NOSERVICE"}.
     */
    public static SignalQuality qcsq(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+QCSQ:");
        String line = "+QCSQ: " + String.join(",", f);
        String mode = Fields.unquote(f.get(0)).toUpperCase(Locale.ROOT);
        Optional<Rat> rat = switch (mode) {
            case "LTE" -> Optional.of(Rat.LTE);
            case "EMTC", "CAT-M1", "CAT-M" -> Optional.of(Rat.LTE_M);
            case "NBIOT", "CAT-NB1", "CAT-NB" -> Optional.of(Rat.NB_IOT);
            case "GSM" -> Optional.of(Rat.GSM);
            case "WCDMA", "TDSCDMA" -> Optional.of(Rat.UMTS);
            case "NOSERVICE" -> Optional.empty();
            default -> throw ReplyLines.fail(response, line, "unknown system mode '" + mode + "'");
        };
        if (rat.isEmpty()) {
            return SignalQuality.unknown();
        }
        ReplyLines.requireAtLeast(response, line, f, 2);
        OptionalInt rssi = OptionalInt.of(ReplyLines.integer(response, line, f.get(1), "<rssi>"));
        if (rat.get() == Rat.GSM || rat.get() == Rat.UMTS) {
            return new SignalQuality(rat, rssi, OptionalInt.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        }
        ReplyLines.requireAtLeast(response, line, f, 5);
        int rsrp = ReplyLines.integer(response, line, f.get(2), "<rsrp>");
        int sinr = ReplyLines.integer(response, line, f.get(3), "<sinr>");
        int rsrq = ReplyLines.integer(response, line, f.get(4), "<rsrq>");
        return new SignalQuality(rat, rssi, OptionalInt.of(rsrp), OptionalDouble.of(rsrq),
                OptionalDouble.of(sinr / 5.0 - 20.0));
    }

    /**
     * SIMCom SIM7500/SIM7600 {@code +CPSI: <System Mode>,<Operation Mode>,...}. For LTE:
     * {@code LTE,Online,<MCC>-<MNC>,<TAC>,<SCellID>,<PCellID>,<Band>,<earfcn>,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>}
     * with RSRQ/RSRP/RSSI in tenths of dB/dBm. Other modes report only the RAT; {@code NO SERVICE} nothing.
     */
    public static SignalQuality cpsi(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+CPSI:");
        String line = "+CPSI: " + String.join(",", f);
        String mode = f.get(0).toUpperCase(Locale.ROOT);
        if (mode.startsWith("NO SERVICE")) {
            return SignalQuality.unknown();
        }
        if (mode.equals("GSM")) {
            return new SignalQuality(Optional.of(Rat.GSM), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        if (mode.equals("WCDMA")) {
            return new SignalQuality(Optional.of(Rat.UMTS), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        if (!mode.equals("LTE") && !mode.equals("CAT-M") && !mode.equals("NB-IOT")) {
            throw ReplyLines.fail(response, line, "unknown system mode '" + f.get(0) + "'");
        }
        ReplyLines.requireAtLeast(response, line, f, 14);
        Rat rat = mode.equals("CAT-M") ? Rat.LTE_M : mode.equals("NB-IOT") ? Rat.NB_IOT : Rat.LTE;
        int rsrq = ReplyLines.integer(response, line, f.get(10), "<RSRQ>");
        int rsrp = ReplyLines.integer(response, line, f.get(11), "<RSRP>");
        int rssi = ReplyLines.integer(response, line, f.get(12), "<RSSI>");
        int snr = ReplyLines.integer(response, line, f.get(13), "<RSSNR>");
        return new SignalQuality(Optional.of(rat), OptionalInt.of(Math.round(rssi / 10f)),
                OptionalInt.of(Math.round(rsrp / 10f)), OptionalDouble.of(rsrq / 10.0), OptionalDouble.of(snr));
    }

    /**
     * SIMCom SIM7000/SIM7070/SIM7080/SIM7090 {@code +CPSI: <System Mode>,<Operation Mode>,...}. System modes are
     * {@code NO SERVICE}, {@code GSM}, {@code LTE CAT-M1} and {@code LTE NB-IOT}; on a Cat M1 or NB-IoT cell
     * {@code <MCC>-<MNC>,<TAC>,<SCellID>,<PCellID>,<Frequency Band>,<earfcn>,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>}
     * follow, in whole dB and dBm (not tenths as on the SIM7600), and SINR = 2 × RSSNR − 20 dB ("SIM7070_SIM7080_SIM7090
     * Series AT Command Manual" V1.07 §5.2.19; Zephyr drivers/modem/simcom/sim7080/sim7080_meas.c). A GSM cell
     * reports only the RAT here.
     */
    public static SignalQuality cpsiSim70xx(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+CPSI:");
        String line = "+CPSI: " + String.join(",", f);
        String mode = f.get(0).toUpperCase(Locale.ROOT);
        Rat rat = switch (mode) {
            case "NO SERVICE" -> null;
            case "GSM" -> Rat.GSM;
            case "LTE CAT-M1" -> Rat.LTE_M;
            case "LTE NB-IOT" -> Rat.NB_IOT;
            default -> throw ReplyLines.fail(response, line, "unknown system mode '" + f.get(0) + "'");
        };
        if (rat == null) {
            return SignalQuality.unknown();
        }
        if (rat == Rat.GSM) {
            return new SignalQuality(Optional.of(Rat.GSM), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        ReplyLines.requireAtLeast(response, line, f, 14);
        int rsrq = ReplyLines.integer(response, line, f.get(10), "<RSRQ>");
        int rsrp = ReplyLines.integer(response, line, f.get(11), "<RSRP>");
        int rssi = ReplyLines.integer(response, line, f.get(12), "<RSSI>");
        int rssnr = ReplyLines.integer(response, line, f.get(13), "<RSSNR>");
        return new SignalQuality(Optional.of(rat), OptionalInt.of(rssi), OptionalInt.of(rsrp),
                OptionalDouble.of(rsrq), OptionalDouble.of(2.0 * rssnr - 20.0));
    }
}
