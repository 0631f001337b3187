package io.sitegate.tools.modemsim;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * An existing pty (device or symlink, e.g. one end of a socat pair). It is opened for reading and, separately,
 * for writing, so a blocked read never holds up a URC. When the line drops (unplug, or socat gone) the device
 * is opened again once it exists; socat ends when either side closes, so run it in a loop or use
 * {@link SocatEndpoint}.
 */
public final class PtyEndpoint implements ModemEndpoint {

    private final Path device;
    private Connection current;
    private volatile long downUntilNanos;
    private volatile boolean closed;

    /** @param device the pty path the simulator serves */
    public PtyEndpoint(Path device) {
        this.device = device;
    }

    /** Opens a pty by path for reading and writing. */
    static Connection open(Path device) throws IOException {
        FileChannel read = FileChannel.open(device, StandardOpenOption.READ);
        FileChannel write;
        try {
            write = FileChannel.open(device, StandardOpenOption.WRITE);
        } catch (IOException e) {
            read.close();
            throw e;
        }
        return new Connection("pty " + device, Channels.newInputStream(read), Channels.newOutputStream(write), () -> {
            try {
                read.close();
            } finally {
                write.close();
            }
        });
    }

    @Override
    public Connection accept() throws IOException, InterruptedException {
        awaitLineFree(current, () -> downUntilNanos, () -> closed);
        while (!closed) {
            if (Files.exists(device)) {
                try {
                    current = open(device);
                    return current;
                } catch (IOException e) {
                    // vanished between the check and the open: try again
                }
            }
            Thread.sleep(200);
        }
        throw new IOException("endpoint closed");
    }

    /** Waits until the previous connection is closed and the unplug downtime is over. */
    static void awaitLineFree(Connection previous, java.util.function.LongSupplier downUntil,
            java.util.function.BooleanSupplier closed) throws InterruptedException, IOException {
        if (previous != null) {
            try {
                previous.closedFuture().get();
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
        long wait;
        while (!closed.getAsBoolean() && (wait = downUntil.getAsLong() - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    @Override
    public void unplug(Duration downtime) {
        downUntilNanos = System.nanoTime() + downtime.toNanos();
    }

    @Override
    public String describe() {
        return "pty " + device;
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            c.close();
        }
    }
}
