package io.sitegate.cellular.internal;

import io.sitegate.core.CorruptStateException;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A state store in memory; a key can be made to fail on read as a wholly corrupt document would. */
final class MemoryStateStore implements StateStore {
    final Map<String, byte[]> documents = new HashMap<>();
    final Map<String, String> corrupt = new HashMap<>();
    final Map<String, String> recoveredProblem = new HashMap<>();
    boolean failWrites;
    boolean failDeletes;
    int writes;

    @Override
    public void write(String key, byte[] content) throws StateStoreException {
        if (failWrites) {
            throw new StateStoreException("disk full writing " + key);
        }
        writes++;
        documents.put(key, content.clone());
    }

    @Override
    public Optional<StoredState> read(String key) throws StateStoreException {
        if (corrupt.containsKey(key)) {
            throw new CorruptStateException(corrupt.get(key));
        }
        byte[] content = documents.get(key);
        return content == null ? Optional.empty()
                : Optional.of(new StoredState(key, content.clone(), 1, Instant.EPOCH,
                        Optional.ofNullable(recoveredProblem.get(key))));
    }

    @Override
    public boolean delete(String key) throws StateStoreException {
        if (failDeletes) {
            throw new StateStoreException("read-only file system deleting " + key);
        }
        return documents.remove(key) != null;
    }

    @Override
    public SortedSet<String> keys() {
        return new TreeSet<>(documents.keySet());
    }
}
