package io.sitegate.tunnel.internal.openvpn;

import io.sitegate.core.SafeText;
import java.util.Arrays;
import java.util.Optional;

/**
 * A real-time message of OpenVPN's management interface: a line that starts with {@code >}, then a type keyword
 * and a colon (OpenVPN's {@code doc/management-notes.txt}, "OUTPUT FORMAT" and "REAL-TIME MESSAGE FORMAT").
 * The types Sitegate acts on are parsed into their fields; every other type is kept as {@link Other}.
 */
public sealed interface ManagementMessage {

    /**
     * {@code >STATE:time,state,description,tunIPv4,remoteAddress,remotePort,localAddress,localPort,tunIPv6}
     * (management-notes "COMMAND -- state": up to 9 fields, all after the state optional).
     */
    record State(long unixTime, String state, String description, String tunIpv4, String remoteAddress,
                 String remotePort, String localAddress, String localPort, String tunIpv6) implements ManagementMessage {
        /** CONNECTED: "Initialization Sequence Completed". */
        public boolean connected() {
            return "CONNECTED".equals(state);
        }
    }

    /** {@code >BYTECOUNT:in,out}: bytes received from and sent to the server (client mode). */
    record ByteCount(long bytesIn, long bytesOut) implements ManagementMessage {
    }

    /** {@code >HOLD:Waiting for hold release:10}: OpenVPN waits for {@code hold release}. */
    record Hold(String text, Optional<Integer> waitSeconds) implements ManagementMessage {
    }

    /**
     * {@code >PASSWORD:Need 'Auth' username/password}, {@code >PASSWORD:Need 'Private Key' password}, or
     * {@code >PASSWORD:Verification Failed: 'Auth'}.
     */
    record Password(String kind, boolean verificationFailed, boolean usernameToo, String text) implements ManagementMessage {
    }

    /** {@code >REMOTE:host,port,protocol}: which server OpenVPN would connect to next (--management-query-remote). */
    record Remote(String host, int port, String protocol) implements ManagementMessage {
    }

    /** {@code >FATAL:text}: logged just before OpenVPN exits. */
    record Fatal(String text) implements ManagementMessage {
    }

    /** Any other type ({@code INFO}, {@code LOG}, {@code ECHO}, {@code NEED-OK}, ...). */
    record Other(String type, String text) implements ManagementMessage {
    }

    /**
     * Parses one real-time line (the leading {@code >} included).
     *
     * @throws ManagementProtocolException when the line is not a real-time message, or a known type's fields do
     *                                     not parse
     */
    static ManagementMessage parse(String line) throws ManagementProtocolException {
        int colon = line.indexOf(':');
        if (!line.startsWith(">") || colon < 2) {
            throw new ManagementProtocolException("not a real-time message: " + printable(line));
        }
        String type = line.substring(1, colon);
        String text = line.substring(colon + 1);
        try {
            return switch (type) {
                case "STATE" -> state(text);
                case "BYTECOUNT" -> byteCount(text);
                case "HOLD" -> hold(text);
                case "PASSWORD" -> password(text);
                case "REMOTE" -> remote(text);
                case "FATAL" -> new Fatal(text);
                default -> new Other(type, text);
            };
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new ManagementProtocolException(">" + type + " does not parse: " + printable(text));
        }
    }

    private static State state(String text) throws ManagementProtocolException {
        String[] f = Arrays.copyOf(text.split(",", -1), 9);
        if (f[1] == null || f[1].isEmpty()) {
            throw new ManagementProtocolException(">STATE without a state: " + printable(text));
        }
        for (int i = 2; i < f.length; i++) {
            f[i] = f[i] == null ? "" : f[i];
        }
        return new State(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]);
    }

    private static ByteCount byteCount(String text) {
        String[] f = text.split(",", -1);
        if (f.length != 2) {
            throw new NumberFormatException("two counts expected");
        }
        long in = Long.parseLong(f[0]);
        long out = Long.parseLong(f[1]);
        if (in < 0 || out < 0) {
            throw new NumberFormatException("negative count");
        }
        return new ByteCount(in, out);
    }

    private static Hold hold(String text) {
        int last = text.lastIndexOf(':');
        Optional<Integer> wait = Optional.empty();
        if (last >= 0 && text.substring(last + 1).matches("\\d{1,9}")) {
            wait = Optional.of(Integer.parseInt(text.substring(last + 1)));
        }
        return new Hold(text, wait);
    }

    private static Password password(String text) throws ManagementProtocolException {
        int open = text.indexOf('\'');
        int close = text.indexOf('\'', open + 1);
        if (open < 0 || close < 0) {
            throw new ManagementProtocolException(">PASSWORD without a quoted kind: " + printable(text));
        }
        String kind = text.substring(open + 1, close);
        return new Password(kind, text.startsWith("Verification Failed"), text.contains("username/password"), text);
    }

    private static Remote remote(String text) {
        String[] f = text.split(",", -1);
        if (f.length != 3 || f[0].isEmpty()) {
            throw new NumberFormatException("host,port,protocol expected");
        }
        int port = Integer.parseInt(f[1]);
        if (port < 1 || port > 65535) {
            throw new NumberFormatException("port " + port);
        }
        return new Remote(f[0], port, f[2]);
    }

    /** The line for an error message: at most 200 characters, control characters escaped ({@link SafeText}). */
    static String printable(String s) {
        return SafeText.escape(s.length() > 200 ? s.substring(0, 200) + "..." : s);
    }
}
