package io.sitegate.cellular;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SIM/device binding part of a {@link CellularPolicy}.
 *
 * @param mode        off, auto or manual
 * @param pairs       the accepted IMEI/ICCID pairs; enforced only under {@link BindingMode#MANUAL}
 * @param alertNumber where an SMS alert goes when the binding is violated, if anywhere
 */
public record BindingPolicy(BindingMode mode, List<BoundPair> pairs, Optional<String> alertNumber) {
    public BindingPolicy {
        Objects.requireNonNull(mode, "mode");
        pairs = List.copyOf(pairs);
        Objects.requireNonNull(alertNumber, "alertNumber");
    }

    /** No binding at all. */
    public static BindingPolicy off() {
        return new BindingPolicy(BindingMode.OFF, List.of(), Optional.empty());
    }
}
