package io.sitegate.modem.internal.transport;

import java.util.Objects;

/**
 * How to open a serial AT port.
 *
 * @param path the device, e.g. {@code /dev/ttyUSB2} or a pty {@code /dev/pts/7}
 * @param baudRate e.g. 115200 (ignored by USB CDC-ACM ports, required by UARTs)
 * @param flowControl hardware (RTS/CTS) or none
 */
public record SerialSettings(String path, int baudRate, FlowControl flowControl) {

    /** Flow control on the line. */
    public enum FlowControl {
        /** No flow control. */ NONE,
        /** RTS/CTS hardware flow control. */ RTS_CTS
    }

    /** Validates the settings. */
    public SerialSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(flowControl, "flowControl");
        if (path.isBlank()) {
            throw new IllegalArgumentException("serial device path is empty");
        }
        if (baudRate < 300 || baudRate > 4_000_000) {
            throw new IllegalArgumentException("baud rate out of range: " + baudRate);
        }
    }
}
