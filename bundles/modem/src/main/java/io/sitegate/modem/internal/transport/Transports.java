package io.sitegate.modem.internal.transport;

import io.sitegate.modem.AtTransport;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a transport from the port string of a modem configuration:
 * {@code tcp://host:port}, {@code /dev/ttyUSB2} or {@code serial:/dev/ttyUSB2?baud=115200&flow=rtscts}.
 */
public final class Transports {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private Transports() {
    }

    /** @throws IllegalArgumentException naming the bad part of {@code port} */
    public static AtTransport fromPort(String port) {
        if (port == null || port.isBlank()) {
            throw new IllegalArgumentException("modem port is empty");
        }
        String p = port.strip();
        if (p.toLowerCase(Locale.ROOT).startsWith("tcp://")) {
            URI uri = URI.create(p);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("modem port '" + port + "' needs tcp://host:port");
            }
            return new TcpTransport(uri.getHost(), uri.getPort(), CONNECT_TIMEOUT);
        }
        String rest = p.startsWith("serial:") ? p.substring("serial:".length()) : p;
        String path = rest;
        Map<String, String> options = new HashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            path = rest.substring(0, q);
            for (String kv : rest.substring(q + 1).split("&")) {
                String[] parts = kv.split("=", 2);
                options.put(parts[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            }
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("modem port '" + port + "' is neither tcp://host:port nor a device path");
        }
        int baud;
        try {
            baud = Integer.parseInt(options.getOrDefault("baud", "115200"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("modem port '" + port + "': baud is not a number");
        }
        String flow = options.getOrDefault("flow", "none").toLowerCase(Locale.ROOT);
        SerialSettings.FlowControl fc = switch (flow) {
            case "none" -> SerialSettings.FlowControl.NONE;
            case "rtscts" -> SerialSettings.FlowControl.RTS_CTS;
            default -> throw new IllegalArgumentException("modem port '" + port + "': flow must be none or rtscts");
        };
        return new SerialTransport(new SerialSettings(path, baud, fc));
    }
}
