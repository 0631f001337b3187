package io.sitegate.policy.internal.audit;

import java.util.Objects;

/**
 * What walking the audit chain found: the first problem, or none.
 *
 * @param status   the first problem found, or {@link Status#INTACT}
 * @param entries  how many entries were walked and found good before the problem (all when intact)
 * @param firstSeq the seq the kept log starts at (older files are rotated away); 0 when empty
 * @param lastSeq  the last good seq; 0 when none
 * @param seq      where the problem is: the seq expected at that place
 * @param file     the file it is in
 * @param line     its line in that file, 1-based
 * @param detail   what is wrong, in words
 */
public record AuditVerification(Status status, long entries, long firstSeq, long lastSeq, long seq, String file, long line,
        String detail) {

    /** What the walk found. */
    public enum Status {
        /** Every entry is there, in order, unaltered. */
        INTACT,
        /** Intact but for an incomplete last line, the mark of a power loss during an append (not tampering). */
        TORN,
        /** An entry's content does not match its hash, or is not an entry at all. */
        ALTERED,
        /** Entries are missing: the chain jumps over them. */
        REMOVED,
        /** An entry is out of its place. */
        REORDERED
    }

    public AuditVerification {
        Objects.requireNonNull(status, "status");
        file = file == null ? "" : file;
        detail = detail == null ? "" : detail;
    }

    /** Whether the log shows no sign of tampering (a torn last line is a power loss). */
    public boolean untampered() {
        return status == Status.INTACT || status == Status.TORN;
    }

    @Override
    public String toString() {
        return switch (status) {
            case INTACT -> "intact: " + entries + " entries, seq " + firstSeq + " to " + lastSeq;
            default -> status + " at seq " + seq + " (" + file + " line " + line + "): " + detail + "; " + entries
                    + " entries good before it";
        };
    }
}
