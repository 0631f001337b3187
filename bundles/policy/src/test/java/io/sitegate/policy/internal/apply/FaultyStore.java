package io.sitegate.policy.internal.apply;

import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.util.Optional;
import java.util.SortedSet;

/** A state store whose writes are crash points, and which can fail a write with an exception on demand. */
final class FaultyStore implements StateStore {
    private final StateStore delegate;
    private final FaultInjector faults;
    private int failWrite;
    private boolean failAfterWriting;
    private int writes;

    FaultyStore(StateStore delegate, FaultInjector faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    /**
     * Fails the {@code n}th write from now with a {@link StateStoreException}; {@code reachesDisk}: the
     * document is written before the failure is reported (a failing directory fsync after the rename).
     */
    void failWrite(int n, boolean reachesDisk) {
        failWrite = writes + n;
        failAfterWriting = reachesDisk;
    }

    @Override
    public void write(String key, byte[] content) throws StateStoreException {
        faults.step("write " + key, () -> {
            if (++writes == failWrite) {
                if (failAfterWriting) {
                    delegate.write(key, content);
                }
                throw new StateStoreException("cannot write state '" + key + "': No space left on device");
            }
            delegate.write(key, content);
        });
    }

    @Override
    public Optional<StoredState> read(String key) throws StateStoreException {
        return delegate.read(key);
    }

    @Override
    public boolean delete(String key) throws StateStoreException {
        return delegate.delete(key);
    }

    @Override
    public SortedSet<String> keys() throws StateStoreException {
        return delegate.keys();
    }
}
