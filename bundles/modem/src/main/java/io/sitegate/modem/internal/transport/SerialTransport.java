package io.sitegate.modem.internal.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.sitegate.modem.AtTransport;
import io.sitegate.modem.TransportClosedException;
import java.io.IOException;
import java.time.Duration;

/**
 * A serial AT port through jSerialComm. {@code SerialPort.getCommPort(path)} opens any device path,
 * including ptys that {@code getCommPorts()} does not list.
 *
 * <p>A read error or a port that reports no bytes available any more (USB unplug, pty peer gone) surfaces
 * as {@link TransportClosedException}.
 */
public final class SerialTransport implements AtTransport {

    private final SerialSettings settings;
    private volatile SerialPort port;
    private int readTimeoutMs = -1;

    /** A transport for {@code settings}; nothing is opened before {@link #open()}. */
    public SerialTransport(SerialSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void open() throws IOException {
        if (port != null) {
            throw new IllegalStateException(describe() + " already opened");
        }
        SerialPort p;
        try {
            p = SerialPort.getCommPort(settings.path());
        } catch (RuntimeException e) {
            throw new IOException("no serial device " + settings.path() + ": " + e.getMessage(), e);
        }
        p.setComPortParameters(settings.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(settings.flowControl() == SerialSettings.FlowControl.RTS_CTS
                ? SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED
                : SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 1000);
        if (!p.openPort()) {
            throw new IOException("cannot open serial device " + describe() + " (error " + p.getLastErrorCode()
                    + " at " + p.getLastErrorLocation() + ")");
        }
        readTimeoutMs = 100;
        port = p;
    }

    @Override
    public boolean isOpen() {
        SerialPort p = port;
        return p != null && p.isOpen();
    }

    @Override
    public int read(byte[] buffer, Duration timeout) throws IOException {
        SerialPort p = requireOpen();
        int ms = (int) Math.max(1, Math.min(60_000, timeout.toMillis()));
        if (ms != readTimeoutMs) {
            p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, ms, 1000);
            readTimeoutMs = ms;
        }
        int n = p.readBytes(buffer, buffer.length);
        if (n < 0 || (n == 0 && p.bytesAvailable() < 0)) {
            int error = p.getLastErrorCode();
            close();
            throw new TransportClosedException("serial device " + describe() + " is gone (error " + error + ")");
        }
        return n;
    }

    @Override
    public void write(byte[] data, Duration timeout) throws IOException {
        SerialPort p = requireOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        int offset = 0;
        while (offset < data.length) {
            int n = p.writeBytes(data, data.length - offset, offset);
            if (n < 0) {
                close();
                throw new TransportClosedException("write to serial device " + describe() + " failed (error "
                        + p.getLastErrorCode() + ")");
            }
            offset += n;
            if (offset < data.length && System.nanoTime() > deadline) {
                throw new IOException("write to " + describe() + " timed out after " + timeout);
            }
        }
    }

    @Override
    public String describe() {
        return "serial:" + settings.path() + "@" + settings.baudRate();
    }

    @Override
    public void close() {
        SerialPort p = port;
        if (p != null && p.isOpen()) {
            p.closePort();
        }
    }

    private SerialPort requireOpen() throws TransportClosedException {
        SerialPort p = port;
        if (p == null || !p.isOpen()) {
            throw new TransportClosedException(describe() + " is not open");
        }
        return p;
    }
}
