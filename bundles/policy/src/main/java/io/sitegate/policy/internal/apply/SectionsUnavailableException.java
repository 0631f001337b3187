package io.sitegate.policy.internal.apply;

import java.util.Set;

/**
 * Recovery needs capabilities that are not registered yet (at boot a capability's bundle may start after
 * the agent). Nothing was touched; call {@link ApplyEngine#recover()} again when they are there.
 */
public class SectionsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Set<String> missing;

    public SectionsUnavailableException(Set<String> missing) {
        super("recovery waits for the sections " + missing + ", which no capability offers yet");
        this.missing = Set.copyOf(missing);
    }

    /** The sections without a capability. */
    public Set<String> missing() {
        return missing;
    }
}
