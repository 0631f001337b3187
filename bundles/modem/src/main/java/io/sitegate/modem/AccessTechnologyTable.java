package io.sitegate.modem;

import java.util.Map;
import java.util.Optional;

/**
 * How a modem's {@code +CREG}/{@code +CGREG}/{@code +CEREG}/{@code +COPS} {@code <AcT>} numbers are read: the
 * 3GPP TS 27.007 table, with the values a vendor uses differently replaced (Quectel BG96 reports LTE Cat M1 as 8,
 * which 27.007 assigns to EC-GSM-IoT).
 *
 * @param overrides vendor readings that replace the 27.007 meaning of a code
 */
public record AccessTechnologyTable(Map<Integer, AccessTechnology> overrides) {

    /** The 27.007 table without changes. */
    public static final AccessTechnologyTable STANDARD = new AccessTechnologyTable(Map.of());

    /** Copies the overrides. */
    public AccessTechnologyTable {
        overrides = Map.copyOf(overrides);
    }

    /** The access technology a numeric {@code <AcT>} stands for on this modem, empty when unknown. */
    public Optional<AccessTechnology> ofCode(int code) {
        AccessTechnology vendor = overrides.get(code);
        return vendor != null ? Optional.of(vendor) : AccessTechnology.ofCode(code);
    }
}
