package io.sitegate.filter.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft} (in a network namespace when configured): a whole table as one {@code nft -f -} transaction, or
 * set elements added to the live table. nft applies a file all or nothing, so a refused file leaves the table in
 * force; its error (line, column, what) comes back in the exception.
 */
final class NftTable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final String namespace;
    private final NftSession session;

    NftTable(String namespace) {
        this.namespace = namespace == null ? "" : namespace;
        this.session = new NftSession(this.namespace);
    }

    /** Stops the long-lived nft process. */
    void close() {
        session.close();
    }

    /** Loads a script as one transaction. */
    void load(String script) throws IOException, InterruptedException {
        run(script, List.of("-f", "-"));
    }

    /** Adds addresses to a timeout set, each for {@code ttl} (at least one second). */
    void addElements(String set, List<InetAddress> addresses, Duration ttl) throws IOException, InterruptedException {
        if (addresses.isEmpty()) {
            return;
        }
        long seconds = Math.max(1, ttl.toSeconds());
        StringBuilder b = new StringBuilder("add element ").append(NftRenderer.TABLE).append(' ').append(set).append(" { ");
        for (int i = 0; i < addresses.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(addresses.get(i).getHostAddress().replaceAll("%.*$", "")).append(" timeout ").append(seconds).append('s');
        }
        session.run(b.append(" }").toString());
    }

    /** Adds an access window's element, with the time it has left. */
    void addWindow(AccessWindow w, Duration left) throws IOException, InterruptedException {
        run("add element " + NftRenderer.TABLE + " " + w.set() + " { " + w.element() + " timeout " + Math.max(1, left.toSeconds()) + "s }\n",
                List.of("-f", "-"));
    }

    /** Removes an access window's element (gone already, by its timeout, is fine). */
    void removeWindow(AccessWindow w) throws IOException, InterruptedException {
        try {
            run("delete element " + NftRenderer.TABLE + " " + w.set() + " { " + w.element() + " }\n", List.of("-f", "-"));
        } catch (IOException e) {
            if (!e.getMessage().contains("No such file or directory")) {
                throw e;
            }
        }
    }

    /** {@code nft list chain inet sitegate <chain>}, with its counters, for the shell. */
    String chain(String chain) throws IOException, InterruptedException {
        return run("", List.of("list", "chain", "inet", "sitegate", chain));
    }

    private String run(String stdin, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (!namespace.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", namespace));
        }
        cmd.add("nft");
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run nft (apt-get install nftables): " + e.getMessage(), e);
        }
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("nft did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("nft refused it (the table in force is unchanged): " + firstLines(out, 6));
        }
        return out;
    }

    private static String firstLines(String text, int n) {
        return String.join(" | ", text.strip().lines().limit(n).toList());
    }
}
