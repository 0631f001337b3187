package io.sitegate.modem.internal.profile;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.Rat;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Any 3GPP TS 27.007 modem. RAT selection goes through {@code AT+COPS=0,,,<AcT>} (§7.3), which can force
 * one RAT but express no order: a single RAT is forced, all supported RATs mean automatic ({@code AT+COPS=0}),
 * any other list is refused rather than silently reduced. LTE Cat M1 is not distinguishable from LTE in
 * 27.007 {@code <AcT>} and is therefore not offered.
 */
final class GenericProfile {

    /** 27.007 §7.3 {@code <AcT>}. */
    private static final Map<Rat, Integer> ACT = new EnumMap<>(Map.of(
            Rat.GSM, 0,      // GSM
            Rat.UMTS, 2,     // UTRAN
            Rat.LTE, 7,      // E-UTRAN
            Rat.NB_IOT, 9)); // E-UTRAN (NB-S1 mode)

    private GenericProfile() {
    }

    static ModemProfile create() {
        Set<Rat> supported = EnumSet.copyOf(ACT.keySet());
        return new ModemProfile("Generic 3GPP", Pattern.compile(""), StandardCommands.init(), supported,
                order -> {
                    if (order.size() == supported.size()) {
                        return List.of(AtCommand.of("AT+COPS=0"));
                    }
                    if (order.size() > 1) {
                        throw new io.sitegate.modem.UnsupportedCapabilityException("Generic 3GPP",
                                "a RAT preference order " + order + " (AT+COPS forces one RAT or none)");
                    }
                    return List.of(AtCommand.of("AT+COPS=0,,," + ACT.get(order.get(0))));
                },
                null, StandardCommands.cesq(), null, StandardCommands.ccid(), Set.of());
    }
}
