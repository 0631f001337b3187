package io.sitegate.core.config;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code etc/*.cfg} file of a configuration, written the way a power loss cannot tear it: a temporary file in the
 * same folder, forced to disk, renamed over the old one, the folder forced. File Install's own write-back opens the
 * file with truncation and writes it in place, so a gateway killed in that moment booted with an empty or half file,
 * which File Install then took for a technician's change (found by tools/soak/policy-crash.sh: one kill in 132).
 * Sitegate therefore turns File Install's write-back off ({@code felix.fileinstall.enableConfigSave = false} in
 * {@code etc/custom.properties}) and writes the files of the configurations it changes itself.
 */
public final class CfgFiles {
    /**
     * How long a deleted file stays "recently deleted": File Install notices a deletion at its next scan (every
     * {@code felix.fileinstall.poll} ms, 1000 in Karaf) and then deletes the configuration that names the file. A file
     * written again before that scan (a rollback putting back a tunnel a policy removed) got its configuration deleted
     * behind Sitegate's back (found by the site lab: the backup tunnel was gone after a rollback). Writing a recently
     * deleted file therefore waits until File Install has seen the deletion.
     */
    static final long SETTLE_MS = 2 * Long.getLong("felix.fileinstall.poll", 1000L) + 500;
    private static final java.util.Map<Path, Long> DELETED = new java.util.concurrent.ConcurrentHashMap<>();

    private CfgFiles() {
    }

    /** Waits out the rest of the settle time of a file deleted less than {@link #SETTLE_MS} ago. */
    static void settle(Path file, long settleMs) throws IOException {
        Long at = DELETED.remove(file.toAbsolutePath());
        if (at == null) {
            return;
        }
        long wait = at + settleMs - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while File Install settles " + file);
            }
        }
    }

    /** The file of a configuration that came from one ({@code felix.fileinstall.filename}), or null. */
    public static Path fileOf(Object filename) {
        if (filename == null) {
            return null;
        }
        String text = String.valueOf(filename);
        try {
            return text.startsWith("file:") ? Paths.get(URI.create(text)) : Paths.get(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Writes {@code values} as the file's content ({@code key = value} lines, properties escaping), atomically. */
    public static void write(Path file, Map<String, String> values, String source) throws IOException {
        write(file, values, source, SETTLE_MS);
    }

    static void write(Path file, Map<String, String> values, String source, long settleMs) throws IOException {
        settle(file, settleMs);
        StringBuilder b = new StringBuilder();
        b.append("# The configuration in force, written by Sitegate (").append(source.replaceAll("[\\r\\n]", " "))
                .append(").\n# A change here is a local change: Sitegate applies it, and reports it as drift from a policy.\n");
        new TreeMap<>(values).forEach((k, v) -> b.append(escape(k, true)).append(" = ").append(escape(v, false)).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the file of a deleted configuration (so that the next boot does not bring it back). */
    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            DELETED.put(file.toAbsolutePath(), System.currentTimeMillis());
            forceDirectory(file.toAbsolutePath().getParent());
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the rename is done in any case
        }
    }

    /** java.util.Properties escaping: backslash, line breaks, leading blanks; in keys also '=', ':', blanks, '#', '!'. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append(key ? "\\" + c : String.valueOf(c));
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
