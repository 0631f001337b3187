package io.sitegate.cellular;

import java.time.Instant;
import java.util.Objects;

/**
 * The IMEI/ICCID pair learned under {@link BindingMode#AUTO} on the first successful data session.
 *
 * @param imei      the modem's IMEI
 * @param iccid     the SIM's ICCID (normalised: digits only)
 * @param imsi      the SIM's IMSI at learning time, for display only: multi-IMSI SIMs change it, so
 *                  it is not enforced; empty when it could not be read
 * @param learnedAt when the pair was learned
 */
public record LearnedBinding(String imei, String iccid, String imsi, Instant learnedAt) {
    public LearnedBinding {
        Objects.requireNonNull(imei, "imei");
        Objects.requireNonNull(iccid, "iccid");
        Objects.requireNonNull(imsi, "imsi");
        Objects.requireNonNull(learnedAt, "learnedAt");
    }

    /** The pair without the display-only parts. */
    public BoundPair pair() {
        return new BoundPair(imei, iccid);
    }
}
