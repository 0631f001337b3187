package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.Rat;
import io.sitegate.modem.UnsupportedCapabilityException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Any 3GPP TS 27.007 modem. 27.007 has no command that restricts the radio: in {@code AT+COPS} (§7.3) automatic
 * mode ({@code <mode>=0}) ignores {@code <oper>} and so {@code <AcT>}, and even a manual selection only prefers
 * an access technology ("if the selected access technology is not available, then the same operator shall be
 * selected in other access technology"). ModemManager's generic modem likewise only reads modes ({@code AT+WS46=?})
 * and leaves setting them to vendor plugins. So the generic profile offers automatic selection of all RATs
 * ({@code AT+COPS=0}) and refuses any narrower choice rather than send a command that would not restrict anything.
 * LTE Cat M1 is not distinguishable from LTE in 27.007 {@code <AcT>} and is therefore not offered.
 */
final class GenericProfile {

    private static final String NAME = "Generic 3GPP";
    private static final Set<Rat> SUPPORTED = EnumSet.of(Rat.GSM, Rat.UMTS, Rat.LTE, Rat.NB_IOT);

    private GenericProfile() {
    }

    static ModemProfile create() {
        return new ModemProfile(NAME, Pattern.compile(""), StandardCommands.init(), SUPPORTED,
                GenericProfile::automaticOnly, null, StandardCommands.cesq(), null, StandardCommands.ccid(), Set.of());
    }

    private static List<AtCommand> automaticOnly(List<Rat> order) {
        if (order.size() == SUPPORTED.size()) {
            return List.of(AtCommand.of("AT+COPS=0"));
        }
        throw new UnsupportedCapabilityException(NAME, "restricting the radio to " + order
                + " (27.007 has no such command: AT+COPS=0 ignores <AcT>; use a vendor profile, or all of " + SUPPORTED
                + " for automatic selection)");
    }
}
