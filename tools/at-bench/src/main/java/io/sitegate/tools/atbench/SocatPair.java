package io.sitegate.tools.atbench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code socat -d pty,raw,echo=0,link=<host> pty,raw,echo=0,link=<modem>}: two linked ptys. Its pid is
 * written to {@code <dir>/socat.pid} so a wrapper script can kill it should this JVM die hard; a shutdown
 * hook and {@link #close()} end it otherwise.
 */
final class SocatPair implements Closeable {

    private final Process process;
    private final Path host;
    private final Path modem;
    private final Path pidFile;

    private SocatPair(Process process, Path host, Path modem, Path pidFile) {
        this.process = process;
        this.host = host;
        this.modem = modem;
        this.pidFile = pidFile;
    }

    static SocatPair start(String socat, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path host = dir.resolve("host");
        Path modem = dir.resolve("modem");
        Files.deleteIfExists(host);
        Files.deleteIfExists(modem);
        List<String> cmd = List.of(socat, "-d", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + modem);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile()).start();
        Path pidFile = dir.resolve("socat.pid");
        Files.writeString(pidFile, p.pid() + "\n", StandardCharsets.US_ASCII);
        SocatPair pair = new SocatPair(p, host, modem, pidFile);
        Runtime.getRuntime().addShutdownHook(new Thread(pair::close, "socat-reaper"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(host) && Files.exists(modem))) {
            if (!p.isAlive()) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + Files.readString(dir.resolve("socat.log")).strip());
            }
            if (System.nanoTime() > deadline) {
                pair.close();
                throw new IOException("socat did not create " + host + " and " + modem + " within 5 s");
            }
            Thread.sleep(10);
        }
        return pair;
    }

    /** The end Sitegate (and the baseline) opens. */
    Path host() {
        return host;
    }

    /** The end the simulator serves. */
    Path modem() {
        return modem;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // best effort
        }
    }
}
