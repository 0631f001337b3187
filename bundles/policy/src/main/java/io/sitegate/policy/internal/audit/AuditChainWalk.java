package io.sitegate.policy.internal.audit;

import io.sitegate.policy.internal.audit.AuditVerification.Status;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One walk of the audit chain over the kept files, oldest first. */
final class AuditChainWalk {
    private record Item(Path file, int line, AuditEntry entry, String error) {
    }

    private final List<Path> files;
    private final Optional<AuditAnchor> anchor;
    private final List<Item> items = new ArrayList<>();
    private Item torn;
    private int tornBytes;

    AuditChainWalk(List<Path> files, Optional<AuditAnchor> anchor) {
        this.files = files;
        this.anchor = anchor;
    }

    AuditVerification walk() throws IOException {
        read();
        long expected = -1;
        long first = 0;
        long last = 0;
        long good = 0;
        String previous = null;
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            long here = expected < 0 ? Math.max(1, AuditLog.firstSeqOf(it.file)) : expected;
            if (it.error != null) {
                return problem(Status.ALTERED, good, first, last, here, it, it.error);
            }
            AuditEntry e = it.entry;
            if (expected < 0) {
                expected = e.seq();
                first = e.seq();
                if (e.seq() == 1 && !e.prevHash().equals(AuditEntry.GENESIS)) {
                    return problem(Status.ALTERED, good, first, last, 1, it, "the first entry does not start the chain");
                }
            }
            if (e.seq() > expected) {
                return seqLater(i, expected)
                        ? problem(Status.REORDERED, good, first, last, expected, it, "seq " + e.seq() + " stands where seq "
                                + expected + " belongs")
                        : problem(Status.REMOVED, good, first, last, expected, it, (e.seq() - expected)
                                + " entries missing: seq " + expected + (e.seq() - expected > 1 ? " to " + (e.seq() - 1) : ""));
            }
            if (e.seq() < expected) {
                return problem(Status.REORDERED, good, first, last, expected, it, "seq " + e.seq() + " comes after seq "
                        + (expected - 1));
            }
            if (previous != null && !e.prevHash().equals(previous)) {
                return problem(Status.ALTERED, good, first, last, expected, it, "it does not chain to the entry before it");
            }
            previous = e.hash();
            expected = e.seq() + 1;
            last = e.seq();
            good++;
        }
        if (anchor.isPresent()) {
            Optional<AuditVerification> cut = checkEnds(anchor.get(), good, first, last);
            if (cut.isPresent()) {
                return cut.get();
            }
        }
        if (torn != null) {
            return problem(Status.TORN, good, first, last, Math.max(expected, 1), torn, "an incomplete last line of "
                    + tornBytes + " bytes: a power loss during an append");
        }
        return new AuditVerification(Status.INTACT, good, first, last, 0, "", 0, "");
    }

    private void read() throws IOException {
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            AuditFiles.Lines lines = AuditFiles.read(file);
            for (int n = 0; n < lines.complete().size(); n++) {
                try {
                    items.add(new Item(file, n + 1, AuditEntry.parse(lines.complete().get(n)), null));
                } catch (IllegalArgumentException e) {
                    items.add(new Item(file, n + 1, null, e.getMessage()));
                }
            }
            if (lines.torn() > 0) {
                Item at = new Item(file, lines.complete().size() + 1, null, null);
                if (f == files.size() - 1) {
                    torn = at;
                    tornBytes = lines.torn();
                } else {
                    items.add(new Item(file, at.line, null, "an incomplete line in a file that was closed"));
                }
            }
        }
    }

    /** The kept chain against its anchored ends: nothing cut off the end, no oldest file deleted. */
    private Optional<AuditVerification> checkEnds(AuditAnchor a, long good, long first, long last) {
        Item end = items.isEmpty() ? new Item(files.isEmpty() ? Path.of("-") : files.get(files.size() - 1), 0, null, null)
                : items.get(items.size() - 1);
        if (last < a.headSeq()) {
            return Optional.of(problem(Status.REMOVED, good, first, last, last + 1, end, "the log ends at seq " + last
                    + " but seq " + a.headSeq() + " was written: " + (a.headSeq() - last) + " entries cut off the end"));
        }
        if (a.headSeq() > 0 && items.isEmpty()) {
            return Optional.of(problem(Status.REMOVED, good, first, last, 1, end, "the log is empty but seq "
                    + a.headSeq() + " was written"));
        }
        if (first > a.baseSeq() && a.headSeq() > 0) {
            Item start = items.get(0);
            return Optional.of(problem(Status.REMOVED, good, first, last, a.baseSeq(), start, "the log starts at seq "
                    + first + " but rotation kept seq " + a.baseSeq() + ": the oldest entries were deleted"));
        }
        for (Item it : items) {
            AuditEntry e = it.entry;
            if (e.seq() == a.headSeq() && !e.hash().equals(a.headHash())
                    || e.seq() == a.baseSeq() && !e.prevHash().equals(a.basePrevHash()) && a.headSeq() > 0) {
                return Optional.of(problem(Status.ALTERED, good, first, last, e.seq(), it,
                        "it is not the entry the anchor recorded: the chain was rewritten"));
            }
        }
        return Optional.empty();
    }

    private boolean seqLater(int from, long seq) {
        for (int i = from + 1; i < items.size(); i++) {
            AuditEntry e = items.get(i).entry;
            if (e != null && e.seq() == seq) {
                return true;
            }
        }
        return false;
    }

    private static AuditVerification problem(Status status, long good, long first, long last, long seq, Item at, String detail) {
        return new AuditVerification(status, good, first, last, seq, at.file.getFileName().toString(), at.line, detail);
    }
}
