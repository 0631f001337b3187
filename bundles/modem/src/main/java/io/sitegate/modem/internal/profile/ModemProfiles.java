package io.sitegate.modem.internal.profile;

import io.sitegate.core.SafeText;
import io.sitegate.modem.ModemProfile;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in profiles and their detection from {@code ATI}/{@code AT+CGMM} output. Specific profiles are
 * tried first; the generic 3GPP profile matches everything. A configured name overrides detection.
 */
public final class ModemProfiles {

    private static final Logger LOG = LoggerFactory.getLogger(ModemProfiles.class);

    /** Generic 27.007 modem. */
    public static final ModemProfile GENERIC = GenericProfile.create();
    /** Quectel EC25/EC21/EG25/EC20. */
    public static final ModemProfile QUECTEL_EC25 = QuectelProfiles.ec25();
    /** Quectel BG96/BG95/BG77. */
    public static final ModemProfile QUECTEL_BG96 = QuectelProfiles.bg96();
    /** SIMCom SIM7500/SIM7600/A76xx. */
    public static final ModemProfile SIMCOM_SIM7600 = SimcomProfiles.sim7600();
    /** SIMCom SIM7000/SIM7070/SIM7080. */
    public static final ModemProfile SIMCOM_SIM7000 = SimcomProfiles.sim7000();
    /** u-blox SARA-R4. */
    public static final ModemProfile UBLOX_SARA_R4 = UbloxProfiles.saraR4();
    /** u-blox SARA-R5. */
    public static final ModemProfile UBLOX_SARA_R5 = UbloxProfiles.saraR5();

    private static final List<ModemProfile> SPECIFIC = List.of(QUECTEL_EC25, QUECTEL_BG96, SIMCOM_SIM7600,
            SIMCOM_SIM7000, UBLOX_SARA_R4, UBLOX_SARA_R5);

    private ModemProfiles() {
    }

    /** All built-in profiles, specific ones first, generic last. */
    public static List<ModemProfile> all() {
        List<ModemProfile> all = new java.util.ArrayList<>(SPECIFIC);
        all.add(GENERIC);
        return List.copyOf(all);
    }

    /** The profile with this name (case-insensitive), e.g. from configuration. */
    public static Optional<ModemProfile> byName(String name) {
        return all().stream().filter(p -> p.name().equalsIgnoreCase(name.strip())).findFirst();
    }

    /**
     * The profile for a modem: the configured override when given, otherwise the first specific profile
     * matching the {@code ATI}/{@code AT+CGMM} text, otherwise generic.
     *
     * @param identificationText {@code ATI} and {@code AT+CGMM} output, lines joined
     * @param override configured profile name, or null/blank for auto-detection
     * @throws IllegalArgumentException when the override names no profile
     */
    public static ModemProfile select(String identificationText, String override) {
        if (override != null && !override.isBlank()) {
            return byName(override).orElseThrow(() -> new IllegalArgumentException("unknown modem profile '"
                    + override + "'; known: " + all().stream().map(ModemProfile::name).toList()));
        }
        String text = identificationText == null ? "" : identificationText.toUpperCase(Locale.ROOT);
        for (ModemProfile profile : SPECIFIC) {
            if (profile.matches(text)) {
                return profile;
            }
        }
        LOG.info("No specific modem profile for '{}'; using the generic 3GPP profile",
                SafeText.escape(text.replace('\n', ' ').strip()));
        return GENERIC;
    }
}
