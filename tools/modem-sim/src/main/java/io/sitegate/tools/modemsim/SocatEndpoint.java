package io.sitegate.tools.modemsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A pty pair made by a socat child process: the host opens {@code hostLink}, the simulator serves the other
 * end. Unplugging kills socat, so the host's device really disappears, and starts it again after the
 * downtime; socat is also restarted when it ends because the host closed its side. Killed on close.
 */
public final class SocatEndpoint implements ModemEndpoint {

    private static final System.Logger LOG = System.getLogger(SocatEndpoint.class.getName());

    private final Path hostLink;
    private final Path simLink;
    private Process socat;
    private Connection current;
    private volatile long downUntilNanos;
    private volatile boolean closed;

    /** @param hostLink the symlink the gateway opens, e.g. {@code /tmp/modem} */
    public SocatEndpoint(Path hostLink) throws IOException {
        this.hostLink = hostLink.toAbsolutePath();
        this.simLink = Path.of(this.hostLink + ".sim");
        startSocat();
    }

    /** @return the path of the host's end */
    public Path hostLink() {
        return hostLink;
    }

    private synchronized void startSocat() throws IOException {
        for (Path link : new Path[] {hostLink, simLink}) {
            if (Files.isSymbolicLink(link)) {
                Files.delete(link); // stale link of a killed socat
            }
        }
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + hostLink, "pty,raw,echo=0,link=" + simLink)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(hostLink) && Files.exists(simLink))) {
            if (!socat.isAlive() || System.nanoTime() > deadline) {
                socat.destroyForcibly();
                throw new IOException("socat did not create " + hostLink + " and " + simLink);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting socat", e);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "socat pid {0}: {1} <-> {2}", socat.pid(), hostLink, simLink);
    }

    private synchronized void stopSocat() {
        if (socat != null && socat.isAlive()) {
            socat.destroy(); // SIGTERM: socat removes its links
            try {
                if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                    socat.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                socat.destroyForcibly();
            }
        }
    }

    @Override
    public Connection accept() throws IOException, InterruptedException {
        PtyEndpoint.awaitLineFree(current, () -> downUntilNanos, () -> closed);
        synchronized (this) {
            if (closed) {
                throw new IOException("endpoint closed");
            }
            if (socat == null || !socat.isAlive()) {
                startSocat();
            }
            current = PtyEndpoint.open(simLink);
            return current;
        }
    }

    @Override
    public void unplug(Duration downtime) {
        downUntilNanos = System.nanoTime() + downtime.toNanos();
        stopSocat();
    }

    @Override
    public String describe() {
        return "socat pty " + hostLink;
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            c.close();
        }
        stopSocat();
    }
}
