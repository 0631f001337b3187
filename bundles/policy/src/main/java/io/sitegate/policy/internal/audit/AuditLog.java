package io.sitegate.policy.internal.audit;

import io.sitegate.core.StateStore;
import io.sitegate.policy.internal.audit.AuditVerification.Status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained audit trail: one {@link AuditEntry} per line, each entry's hash covering
 * the previous one's, so an edited, removed or reordered entry breaks the chain where it is. Each append
 * is fsynced before it returns. Files are {@code audit-<first seq>.log}; a file that would grow past
 * {@code maxFileBytes} is closed and the next one started (its first entry chains to the last one of the
 * previous file); beyond {@code maxFiles} the oldest file is deleted, so the log's size is bounded and
 * verification starts at the oldest kept entry.
 *
 * <p>Power loss during an append leaves at most an incomplete last line: {@link #verify()} reports it as
 * {@link Status#TORN}, and {@link #open()} removes it and records that it did.
 *
 * <p>With an anchor store, the chain's ends are also kept there ({@link AuditAnchor}): entries cut off the
 * end, or an oldest file deleted by hand, then show as {@link Status#REMOVED}. Without one they cannot.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final Pattern NAME = Pattern.compile("audit-(\\d{20})\\.log");

    private final Path directory;
    private final Clock clock;
    private final long maxFileBytes;
    private final int maxFiles;
    private final StateStore anchorStore;
    private AuditAnchor anchor;
    private FileChannel current;
    private long lastSeq;
    private String lastHash = AuditEntry.GENESIS;

    /** A log without an anchor: edits, removals and reorderings show; entries cut off the end do not. */
    public AuditLog(Path directory, Clock clock, long maxFileBytes, int maxFiles) {
        this(directory, clock, maxFileBytes, maxFiles, null);
    }

    /**
     * @param directory    where the files are
     * @param maxFileBytes the size at which a file is closed and the next one started
     * @param maxFiles     how many files are kept
     * @param anchorStore  where the chain's ends are kept, or {@code null}
     */
    public AuditLog(Path directory, Clock clock, long maxFileBytes, int maxFiles, StateStore anchorStore) {
        this.directory = directory.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxFileBytes < 1024 || maxFiles < 1) {
            throw new IllegalArgumentException("an audit file holds at least 1024 bytes and at least one file is kept");
        }
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        this.anchorStore = anchorStore;
    }

    /**
     * Opens the log: creates the directory, removes a torn last line (recording that it did), and finds
     * the chain's head.
     *
     * @throws IOException when the last entry is not a valid entry (tampering: see {@link #verify()})
     */
    public synchronized void open() throws IOException {
        Files.createDirectories(directory);
        List<Path> files = files();
        long torn = 0;
        if (!files.isEmpty()) {
            Path last = files.get(files.size() - 1);
            torn = AuditFiles.truncateTornTail(last);
            for (int i = files.size() - 1; i >= 0 && lastSeq == 0; i--) {
                String line = AuditFiles.lastLine(files.get(i));
                if (line != null) {
                    AuditEntry head = parseHead(line, files.get(i));
                    lastSeq = head.seq();
                    lastHash = head.hash();
                }
            }
            current = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        if (anchorStore != null) {
            anchor = AuditAnchor.read(anchorStore).orElse(new AuditAnchor(lastSeq, lastHash, 1, AuditEntry.GENESIS));
            if (anchor.headSeq() == 0 && !files.isEmpty()) {
                // anchored for the first time: the base is the oldest entry kept now
                List<String> oldest = AuditFiles.read(files.get(0)).complete();
                if (!oldest.isEmpty()) {
                    anchor = anchor.base(parseHead(oldest.get(0), files.get(0)));
                }
            }
            if (anchor.headSeq() > lastSeq) {
                // entries were cut off the end: continue after the anchored head so the gap stays visible
                LOG.error("audit log ends at seq {} but seq {} was written: entries were removed", lastSeq, anchor.headSeq());
                lastSeq = anchor.headSeq();
                lastHash = anchor.headHash();
            }
        }
        if (torn > 0) {
            LOG.warn("audit log: removed a torn last entry of {} bytes left by a power loss", torn);
            append(new AuditEvent(AuditEvent.REPAIRED, 0, "", "", "", "a torn last entry of " + torn
                    + " bytes, left by a power loss during an append, was removed"));
        }
    }

    private static AuditEntry parseHead(String line, Path file) throws IOException {
        try {
            return AuditEntry.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("the last entry of " + file + " is damaged (" + e.getMessage() + "): run audit-verify");
        }
    }

    /** Appends an entry; when this returns, it is on stable storage. */
    public synchronized AuditEntry append(AuditEvent event) throws IOException {
        AuditEntry entry = AuditEntry.next(lastSeq + 1, clock.instant(), event.sanitized(), lastHash);
        byte[] bytes = (entry.line() + "\n").getBytes(StandardCharsets.UTF_8);
        if (current == null || current.size() > 0 && current.size() + bytes.length > maxFileBytes) {
            rotate(entry.seq());
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            current.write(buffer);
        }
        current.force(false);
        lastSeq = entry.seq();
        lastHash = entry.hash();
        if (anchorStore != null) {
            anchor = anchor.head(entry);
            anchor.write(anchorStore);
        }
        return entry;
    }

    private void rotate(long firstSeq) throws IOException {
        if (current != null) {
            current.close();
        }
        Path next = directory.resolve(String.format("audit-%020d.log", firstSeq));
        current = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        List<Path> files = files();
        int drop = files.size() - maxFiles;
        if (drop > 0 && anchorStore != null) {
            // the new base first: a crash before the deletes leaves older entries than the base, which is fine
            List<String> kept = AuditFiles.read(files.get(drop)).complete();
            if (!kept.isEmpty()) {
                anchor = anchor.base(AuditEntry.parse(kept.get(0)));
                anchor.write(anchorStore);
            }
        }
        for (int i = 0; i < drop; i++) {
            Files.delete(files.get(i));
        }
        AuditFiles.syncDirectory(directory);
    }

    /** Walks every kept entry and reports the first altered, removed or reordered one, or a torn last line. */
    public synchronized AuditVerification verify() throws IOException {
        Optional<AuditAnchor> ends = anchorStore == null ? Optional.empty() : AuditAnchor.read(anchorStore);
        return new AuditChainWalk(files(), ends).walk();
    }

    /** The last {@code max} entries, oldest first, as they are on disk (unverified lines are skipped). */
    public List<AuditEntry> tail(int max) throws IOException {
        return tail(max, e -> true);
    }

    /**
     * The last {@code max} entries that {@code which} selects, oldest first: the selection comes before the bound, so
     * a thousand SSH logins since the last policy do not hide it ({@code policy-history} did lose policies that way).
     */
    public synchronized List<AuditEntry> tail(int max, java.util.function.Predicate<AuditEntry> which) throws IOException {
        ArrayDeque<AuditEntry> out = new ArrayDeque<>();
        for (Path f : files()) {
            for (String line : AuditFiles.read(f).complete()) {
                try {
                    AuditEntry e = AuditEntry.parse(line);
                    if (!which.test(e)) {
                        continue;
                    }
                    out.addLast(e);
                } catch (IllegalArgumentException e) {
                    continue; // verify() reports it
                }
                if (out.size() > max) {
                    out.removeFirst();
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The files of the log, oldest first. */
    List<Path> files() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    static long firstSeqOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
