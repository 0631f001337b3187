package io.sitegate.cellular;

import java.util.Objects;

/**
 * One SIM bound to one modem: configured ({@code IMEI:ICCID}) under {@link BindingMode#MANUAL}.
 *
 * @param imei  the modem's IMEI, 15 digits with a valid Luhn check digit
 * @param iccid the SIM's ICCID, digits only (a trailing filler {@code F} is removed)
 */
public record BoundPair(String imei, String iccid) {
    public BoundPair {
        Objects.requireNonNull(imei, "imei");
        Objects.requireNonNull(iccid, "iccid");
    }

    /** The configuration spelling {@code IMEI:ICCID}. */
    @Override
    public String toString() {
        return imei + ":" + iccid;
    }
}
