package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemQuery;
import io.sitegate.modem.internal.parse.IdentityParsers;
import io.sitegate.modem.internal.parse.SignalParsers;
import java.util.ArrayList;
import java.util.List;

/** The 3GPP TS 27.007/27.005 commands every profile starts from. */
final class StandardCommands {

    private StandardCommands() {
    }

    /**
     * Echo off (V.250 §6.2.4), numeric CME errors (27.007 §9.1), registration URCs with location (§7.2,
     * §10.1.20, §10.1.22, {@code <n>=2}), SMS text mode (27.005 §3.2.3) and {@code +CMTI} on new SMS (27.005 §3.4.1).
     */
    static List<AtCommand> init(String... vendorExtras) {
        List<AtCommand> init = new ArrayList<>(List.of(
                AtCommand.of("ATE0"),
                AtCommand.of("AT+CMEE=1"),
                AtCommand.of("AT+CREG=2"),
                AtCommand.of("AT+CGREG=2"),
                AtCommand.of("AT+CEREG=2"),
                AtCommand.of("AT+CMGF=1"),
                AtCommand.of("AT+CNMI=2,1,0,0,0")));
        for (String extra : vendorExtras) {
            init.add(AtCommand.of(extra));
        }
        return init;
    }

    /** {@code AT+CESQ} (27.007 §8.69). */
    static ModemQuery<io.sitegate.modem.SignalQuality> cesq() {
        return new ModemQuery<>(AtCommand.of("AT+CESQ"), SignalParsers::cesq);
    }

    /** {@code AT+CCID}: not in 27.007 but the common spelling (u-blox answers {@code +CCID:}). */
    static ModemQuery<String> ccid() {
        return new ModemQuery<>(AtCommand.of("AT+CCID").withResponsePrefix("+CCID:"), IdentityParsers::iccid);
    }
}
