package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.LearnedBinding;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.time.Clock;
import java.util.Optional;

/**
 * Where a modem's binding and quota ledger live in the {@link StateStore}, and what happens when they
 * cannot be read back. The two answers differ on purpose:
 * <ul>
 * <li>binding: unreadable means fail closed ({@link ImeiBinding#withUnreadableState}): under {@code auto}
 *     no data session until an administrator resets the binding; relearning silently would let a
 *     swapped SIM bind itself;</li>
 * <li>quota ledger: unreadable means counting restarts, with the problem in the status
 *     ({@link QuotaLedger#afterLoss}): a gateway must not cut itself off its cloud over bookkeeping.</li>
 * </ul>
 * A previous generation returned by the store ({@link StoredState#recovered()}) is used; for the
 * ledger the problem is noted, as its counters may lag a little.
 */
public final class CellularStates {
    private final StateStore store;

    public CellularStates(StateStore store) {
        this.store = store;
    }

    /** {@code cellular.binding.<modem>} */
    public static String bindingKey(String modemId) {
        return "cellular.binding." + modemId;
    }

    /** {@code cellular.quota.<modem>} */
    public static String quotaKey(String modemId) {
        return "cellular.quota." + modemId;
    }

    /** The modem's binding with what it learned before, or fail-closed when that cannot be read. */
    public ImeiBinding loadBinding(String modemId, Clock clock, BindingPolicy policy) {
        try {
            Optional<StoredState> stored = store.read(bindingKey(modemId));
            Optional<LearnedBinding> learned = Optional.empty();
            if (stored.isPresent()) {
                learned = Optional.of(BindingDocument.decode(stored.get().content()));
            }
            return new ImeiBinding(clock, policy, learned);
        } catch (StateStoreException e) {
            return ImeiBinding.withUnreadableState(clock, policy, e.getMessage());
        }
    }

    /** The modem's quota ledger as persisted, or a fresh one that says why it restarted. */
    public QuotaLedger loadLedger(String modemId, Clock clock, QuotaPolicy policy) {
        try {
            Optional<StoredState> stored = store.read(quotaKey(modemId));
            if (stored.isEmpty()) {
                return new QuotaLedger(clock, policy);
            }
            QuotaLedger ledger = QuotaLedger.restore(stored.get().content(), clock, policy);
            stored.get().problem().ifPresent(p -> ledger.noteProblem("restored from the previous generation: " + p));
            return ledger;
        } catch (StateStoreException e) {
            return QuotaLedger.afterLoss(clock, policy, e.getMessage());
        }
    }

    /** Persists a binding change: writes a learned pair, deletes the document on a reset. */
    public void persist(String modemId, BindingChange change) throws StateStoreException {
        if (change.action() == BindingChange.Action.LEARNED) {
            store.write(bindingKey(modemId), BindingDocument.encode(change.binding().orElseThrow()));
        } else {
            store.delete(bindingKey(modemId));
        }
    }

    /** Deletes the stored binding of a modem (a reset, done before the binding forgets its pair). */
    public boolean clearBinding(String modemId) throws StateStoreException {
        return store.delete(bindingKey(modemId));
    }

    /** Persists the ledger if it changed since it was last persisted; returns whether it wrote. */
    public boolean persistIfChanged(String modemId, QuotaLedger ledger) throws StateStoreException {
        if (!ledger.dirty()) {
            return false;
        }
        try {
            store.write(quotaKey(modemId), ledger.encode());
            return true;
        } catch (StateStoreException | RuntimeException e) {
            ledger.markDirty();
            throw e;
        }
    }
}
