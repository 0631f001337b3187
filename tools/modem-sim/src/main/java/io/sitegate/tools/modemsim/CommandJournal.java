package io.sitegate.tools.modemsim;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every command line the module received, in order, so tests can assert what the gateway sent. Bounded in
 * memory (oldest entries dropped); optionally appended to a file. PIN values are masked everywhere.
 */
public final class CommandJournal implements Closeable {

    private static final int LIMIT = 10_000;
    private static final Pattern PIN = Pattern.compile("(?i)(\\+CPIN=)[^;]*");

    private final Deque<String> entries = new ArrayDeque<>();
    private final BufferedWriter file;

    /** A journal kept in memory only. */
    public CommandJournal() {
        this.file = null;
    }

    /** A journal also appended to a file, one command line per line. */
    public CommandJournal(Path path) throws IOException {
        this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** @return the line with the values of {@code +CPIN=} replaced by {@code ****} */
    public static String mask(String line) {
        Matcher m = PIN.matcher(line);
        return m.find() ? m.replaceAll("$1****") : line;
    }

    /** Records a received command line. */
    public synchronized void record(String line) {
        String masked = mask(line);
        if (entries.size() >= LIMIT) {
            entries.removeFirst();
        }
        entries.addLast(masked);
        if (file != null) {
            try {
                file.write(masked);
                file.newLine();
                file.flush();
            } catch (IOException e) {
                System.getLogger(CommandJournal.class.getName())
                        .log(System.Logger.Level.WARNING, "cannot append to journal file: " + e);
            }
        }
        notifyAll();
    }

    /** @return the recorded command lines, oldest first */
    public synchronized List<String> commands() {
        return List.copyOf(entries);
    }

    /** Forgets what was recorded in memory (the file keeps it). */
    public synchronized void clear() {
        entries.clear();
    }

    /**
     * Waits until a command line equal to {@code line} (ignoring case) has been recorded.
     *
     * @return true when it was, false on timeout
     */
    public synchronized boolean await(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (entries.stream().noneMatch(e -> e.equalsIgnoreCase(line))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
