package io.sitegate.cellular;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An administrator's exception to a reached quota, valid until the end of the billing cycle it was
 * granted in; the next cycle starts without it.
 *
 * @param extraBytes empty: no quota blocks anything (data or SMS sent) for the rest of the cycle;
 *                   present: the data limit is raised by that many bytes for the rest of the cycle
 *                   (SMS quotas unchanged)
 * @param grantedBy  who granted it (a shell user, {@code policy v12}), for display and events
 * @param granted    when it was granted
 * @param expires    the end of the cycle it was granted in
 */
public record QuotaOverride(OptionalLong extraBytes, String grantedBy, Instant granted, Instant expires) {
    public QuotaOverride {
        Objects.requireNonNull(extraBytes, "extraBytes");
        Objects.requireNonNull(grantedBy, "grantedBy");
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(expires, "expires");
        if (extraBytes.isPresent() && (extraBytes.getAsLong() <= 0 || extraBytes.getAsLong() > QuotaPolicy.MAX_LIMIT)) {
            throw new IllegalArgumentException("extra bytes must be 1 to " + QuotaPolicy.MAX_LIMIT + ", not "
                    + extraBytes.getAsLong());
        }
    }

    /** Whether it lifts every block until the end of the cycle. */
    public boolean wholeCycle() {
        return extraBytes.isEmpty();
    }
}
