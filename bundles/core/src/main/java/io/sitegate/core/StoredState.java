package io.sitegate.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A document read from the {@link StateStore}.
 *
 * @param key        its key
 * @param content    its bytes, verified against the checksum
 * @param generation increases by one with every write of the key
 * @param written    when it was written
 * @param problem    when the current generation was unusable and the previous one was returned:
 *                   what was wrong with the current one
 */
public record StoredState(String key, byte[] content, long generation, Instant written, Optional<String> problem) {
    public StoredState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(written, "written");
        Objects.requireNonNull(problem, "problem");
    }

    /** Whether the current generation was torn or corrupt and this is the previous one. */
    public boolean recovered() {
        return problem.isPresent();
    }
}
