package io.sitegate.tools.modemsim;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** One open line to the host: a pty opened by path or an accepted TCP client. Closing is idempotent. */
public final class Connection implements Closeable {

    private final String description;
    private final InputStream in;
    private final OutputStream out;
    private final Closeable resource;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param description for logs, e.g. {@code pty /tmp/modem-sim}
     * @param in          bytes from the host
     * @param out         bytes to the host
     * @param resource    what to close to end the line (socket, channels)
     */
    public Connection(String description, InputStream in, OutputStream out, Closeable resource) {
        this.description = description;
        this.in = in;
        this.out = out;
        this.resource = resource;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** @return completes once the line is closed, by either side */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (closed.complete(null)) {
            try {
                resource.close();
            } catch (IOException e) {
                // closing a line the peer already dropped: nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
