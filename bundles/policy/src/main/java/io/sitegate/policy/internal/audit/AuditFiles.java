package io.sitegate.policy.internal.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reading and repairing audit files at the byte level: lines end with {@code \n}, anything after the last is torn. */
final class AuditFiles {
    private AuditFiles() {
    }

    /**
     * A file's lines.
     *
     * @param complete the lines that end with {@code \n}, without it
     * @param torn     how many bytes follow the last {@code \n}
     */
    record Lines(List<String> complete, int torn) {
    }

    static Lines read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return new Lines(lines, bytes.length - start);
    }

    /** The last complete line, or {@code null} when there is none. */
    static String lastLine(Path file) throws IOException {
        List<String> lines = read(file).complete();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    /** Cuts the bytes after the last {@code \n} off, durably; returns how many there were. */
    static int truncateTornTail(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        int torn = bytes.length - end;
        if (torn > 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
        return torn;
    }

    /** Makes a created or deleted file's directory entry durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the data itself is synced
        }
    }
}
