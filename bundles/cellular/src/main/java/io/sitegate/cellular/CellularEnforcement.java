package io.sitegate.cellular;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cellular policy as it is enforced on each modem: the SIM/device binding, the allowed networks and
 * the quotas in front of the data session, and the radio settings pushed to the modem. The shell and
 * the policy agent use it to look and to make the administrator's exceptions (re-binding, quota override).
 */
public interface CellularEnforcement {

    /** Every modem the policy is enforced on, ordered by id. */
    List<ModemPolicyStatus> modems();

    /** One modem. */
    Optional<ModemPolicyStatus> modem(String id);

    /**
     * Clears the learned SIM/modem binding (and an unreadable one), so that the next data session under
     * {@code auto} learns again; raises a {@code BINDING_CHANGED} event.
     *
     * @param by who asked (a shell user, {@code policy v12})
     * @return the change, empty when nothing was bound
     * @throws CellularException for an unknown modem or when the reset cannot be persisted (then
     *                           nothing was changed on disk and the old binding comes back after a restart)
     */
    Optional<BindingChange> resetBinding(String modem, String by) throws CellularException;

    /**
     * Grants a quota override until the end of the current billing cycle.
     *
     * @param extraBytes empty lifts every quota block for the rest of the cycle; present raises the data
     *                   limit by that many bytes
     * @throws CellularException for an unknown modem or when the override cannot be persisted
     */
    QuotaOverride grantQuotaOverride(String modem, OptionalLong extraBytes, String by) throws CellularException;

    /**
     * Withdraws a quota override.
     *
     * @return whether there was one
     * @throws CellularException for an unknown modem or when the change cannot be persisted
     */
    boolean clearQuotaOverride(String modem, String by) throws CellularException;

    /** The latest cellular events (at most 100), oldest first. */
    List<RecentEvent> recentEvents();
}
