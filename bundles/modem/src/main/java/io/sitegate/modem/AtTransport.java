package io.sitegate.modem;

import java.io.IOException;
import java.time.Duration;

/**
 * A byte pipe to one modem AT port: a serial device, a pty or a ser2net-style TCP socket.
 *
 * <p>Every blocking call takes its timeout. A transport that has lost its device (USB unplugged, EOF,
 * peer closed) throws {@link TransportClosedException}; it stays unusable until a supervisor closes it
 * and opens a fresh one. Implementations are used by one reader and one writer thread at a time.
 */
public interface AtTransport extends AutoCloseable {

    /** Opens the device; fails with an {@link IOException} naming the device and the cause. */
    void open() throws IOException;

    /** Whether {@link #open()} succeeded and the link has not failed or been closed since. */
    boolean isOpen();

    /**
     * Reads what is available, waiting at most {@code timeout} for the first byte.
     *
     * @return the number of bytes read, 0 when the timeout passed without data
     * @throws TransportClosedException when the device is gone (EOF, unplugged, closed)
     * @throws IOException on any other read failure
     */
    int read(byte[] buffer, Duration timeout) throws IOException;

    /**
     * Writes all of {@code data}, waiting at most {@code timeout}.
     *
     * @throws TransportClosedException when the device is gone
     */
    void write(byte[] data, Duration timeout) throws IOException;

    /** A human-readable name of the device, e.g. {@code serial:/dev/ttyUSB2@115200} or {@code tcp://10.0.0.1:4001}. */
    String describe();

    /** Closes the device; idempotent, never throws. Unblocks a pending {@link #read}. */
    @Override
    void close();
}
