package io.sitegate.policy.internal.audit;

import io.sitegate.policy.internal.audit.AuditVerification.Status;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One walk of the audit chain over the kept files, oldest first. */
final class AuditChainWalk {
    private record Item(Path file, int line, AuditEntry entry, String error) {
    }

    private final List<Path> files;
    private final List<Item> items = new ArrayList<>();
    private Item torn;
    private int tornBytes;

    AuditChainWalk(List<Path> files) {
        this.files = files;
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
