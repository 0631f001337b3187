package io.sitegate.policy.internal.apply;

/**
 * Where a policy transaction stands, as persisted in the journal. The journal is written before each
 * step that changes a capability, so after a crash its phase says what may have been touched.
 */
public enum Phase {
    /** Candidate and last-known-good persisted; no capability touched yet. */
    PREPARED(false),
    /** Sections are being applied: any of them may already run the candidate. */
    APPLYING(false),
    /** Every section applied; waiting for the health that matters within the confirm window. */
    CONFIRMING(false),
    /** Final: the candidate is in force, it is the high-water mark and the last-known-good. */
    CONFIRMED(true),
    /** The last-known-good is being restored. */
    ROLLING_BACK(false),
    /** Final: the last-known-good is in force again. */
    ROLLED_BACK(true),
    /** Final: a restart found a prepared transaction that had touched nothing; it was dropped. */
    DISCARDED(true),
    /** A restore failed: the shipped defaults (with the cloud connection settings kept) are being applied. */
    FALLING_BACK(false),
    /** Final: the shipped defaults with the cloud connection settings are in force. */
    FALLBACK(true);

    private final boolean terminal;

    Phase(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether nothing is left to do for the transaction, whatever happens next. */
    public boolean terminal() {
        return terminal;
    }
}
