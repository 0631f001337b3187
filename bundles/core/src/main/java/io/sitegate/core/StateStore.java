package io.sitegate.core;

import java.util.Optional;
import java.util.SortedSet;

/**
 * Small documents that must survive power loss: the learned IMEI binding, quota counters, the
 * last-known-good policy. A write replaces the document atomically (temp file, fsync of file and
 * directory, rename) and keeps the previous generation. Every document carries a checksum: a torn
 * or corrupt file is detected and reported, never silently used.
 *
 * <p>Keys are lower-case names of letters, digits, {@code .}, {@code _} and {@code -}
 * (for example {@code cellular.binding}), at most 100 characters.
 */
public interface StateStore {

    /** Largest document accepted, in bytes: the store is for small state, not for logs. */
    int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    /**
     * Replaces the document stored under {@code key}. Concurrent writers of the same key are
     * serialised; when this method returns, the document is on stable storage.
     *
     * @throws StateStoreException when the key is invalid, the document too large, or the
     *                             directory cannot be written (the message says which and why)
     */
    void write(String key, byte[] content) throws StateStoreException;

    /**
     * Reads the document stored under {@code key}. When the current generation is torn or corrupt,
     * the previous one is returned with {@link StoredState#recovered()} set and the problem
     * reported (log, health, event).
     *
     * @return empty when nothing was ever stored under the key
     * @throws CorruptStateException when every generation is corrupt: the caller must decide, the
     *                               store never invents content
     */
    Optional<StoredState> read(String key) throws StateStoreException;

    /** Removes every generation of the document; returns whether anything was removed. */
    boolean delete(String key) throws StateStoreException;

    /** The keys with a stored document. */
    SortedSet<String> keys() throws StateStoreException;
}
