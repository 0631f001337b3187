package io.sitegate.filter.internal;

import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A state store in memory, whose writes can be made to fail. */
final class MemoryStore implements StateStore {
    private final Map<String, byte[]> docs = new HashMap<>();
    /** Writes of this key fail; every write when "*". */
    String failWrites;

    @Override
    public void write(String key, byte[] content) throws StateStoreException {
        if ("*".equals(failWrites) || key.equals(failWrites)) {
            throw new StateStoreException("cannot write state '" + key + "': No space left on device");
        }
        docs.put(key, content.clone());
    }

    @Override
    public Optional<StoredState> read(String key) {
        return Optional.ofNullable(docs.get(key)).map(c -> new StoredState(key, c.clone(), 1, Instant.EPOCH, Optional.empty()));
    }

    @Override
    public boolean delete(String key) {
        return docs.remove(key) != null;
    }

    @Override
    public SortedSet<String> keys() {
        return new TreeSet<>(docs.keySet());
    }
}
