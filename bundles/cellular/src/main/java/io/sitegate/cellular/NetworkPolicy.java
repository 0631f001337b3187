package io.sitegate.cellular;

import io.sitegate.modem.Rat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The radio and network (coverage) part of a {@link CellularPolicy}.
 *
 * @param ratOrder     radio access technologies in order of preference; empty leaves the modem's
 *                     setting alone. Whether the modem can do them is decided by the modem profile
 *                     ({@code Modem.setRatOrder} refuses what it cannot do), not here.
 * @param allowedPlmns networks (MCC+MNC, 5 or 6 digits) a data session may run on; empty allows any
 * @param pinnedPlmn   a network to select manually ({@code AT+COPS=1}); empty for automatic selection
 */
public record NetworkPolicy(List<Rat> ratOrder, List<String> allowedPlmns, Optional<String> pinnedPlmn) {
    public NetworkPolicy {
        ratOrder = List.copyOf(ratOrder);
        allowedPlmns = List.copyOf(allowedPlmns);
        Objects.requireNonNull(pinnedPlmn, "pinnedPlmn");
    }

    /** Any network, the modem's own RAT setting, automatic selection. */
    public static NetworkPolicy any() {
        return new NetworkPolicy(List.of(), List.of(), Optional.empty());
    }

    /** Whether a data session may run on that network. */
    public boolean allows(String plmn) {
        return allowedPlmns.isEmpty() || allowedPlmns.contains(plmn);
    }
}
