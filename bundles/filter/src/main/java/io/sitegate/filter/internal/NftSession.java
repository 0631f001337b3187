package io.sitegate.filter.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@code nft -i} process for the small, frequent changes (a name's addresses on every DNS answer):
 * starting nft for each answer costs tens of milliseconds, which the client would wait for. Each command is its own
 * transaction, done in order; an error goes to stderr. To know a command is done, a sentinel follows it,
 * {@code describe ct state}, which prints a known first line and needs no ruleset cache (nft's {@code --echo}, or a
 * {@code list}, fetch the sets: with 50,000 elements that costs 12 to 140 ms per command; measured with
 * tools/bench/filter.sh). Not for loading a table (that is one {@code nft -f} file). Thread-safe: one command at a time.
 */
final class NftSession implements AutoCloseable {
    private static final long TIMEOUT_MS = 5_000;
    static final String SENTINEL = "describe ct state";
    static final String SENTINEL_ANSWER = "ct expression";
    private final List<String> command;
    private Process process;
    private OutputStream in;
    private BlockingQueue<String> lines;

    NftSession(String namespace) {
        List<String> c = new ArrayList<>();
        if (namespace != null && !namespace.isEmpty()) {
            c.addAll(List.of("ip", "netns", "exec", namespace));
        }
        c.addAll(List.of("nft", "-i"));
        this.command = List.copyOf(c);
    }

    /** Runs one command line; throws with nft's error when it is refused. */
    synchronized void run(String line) throws IOException, InterruptedException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one command line");
        }
        if (process == null || !process.isAlive()) {
            start();
        }
        lines.clear();
        in.write((line + "\n" + SENTINEL + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        StringBuilder error = null;
        while (true) {
            long left = deadline - System.nanoTime();
            String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (l == null) {
                if (error != null) {
                    throw new IOException("nft refused it: " + error);
                }
                close();
                throw new IOException("nft did not answer within " + TIMEOUT_MS + " ms");
            }
            if (l.startsWith("O:" + SENTINEL_ANSWER)) {
                // an error of the command comes before the sentinel's answer, but through another pipe: look once more
                String late = lines.poll(2, TimeUnit.MILLISECONDS);
                if (error == null && (late == null || !late.startsWith("E:"))) {
                    return;
                }
                if (error == null) {
                    error = new StringBuilder(late.substring(2));
                }
                deadline = System.nanoTime() + 50_000_000L;
                continue;
            }
            if (l.startsWith("E:")) {
                error = error == null ? new StringBuilder(l.substring(2)) : error.append(" | ").append(l.substring(2).strip());
                // nft writes the error, the command and a caret line: wait briefly for them, then report
                deadline = Math.min(deadline, System.nanoTime() + 50_000_000L);
            }
        }
    }

    private void start() throws IOException {
        close();
        process = new ProcessBuilder(command).start();
        in = process.getOutputStream();
        lines = new LinkedBlockingQueue<>();
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), "O:");
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), "E:");
    }

    private void pump(BufferedReader r, String prefix) {
        BlockingQueue<String> q = lines;
        Thread t = new Thread(() -> {
            try {
                for (String l; (l = r.readLine()) != null; ) {
                    q.add(prefix + l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "sitegate-nft-session");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }
}
