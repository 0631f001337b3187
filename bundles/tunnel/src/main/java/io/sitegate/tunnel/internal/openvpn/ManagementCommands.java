package io.sitegate.tunnel.internal.openvpn;

/**
 * The command lines Sitegate sends to OpenVPN's management interface, built so that no argument can add a
 * command: every argument is quoted with OpenVPN's own rules (management-notes "Command Parsing": the config
 * file's lexer; inside double quotes {@code \\} and {@code \"} are escapes), and CR, LF and NUL are refused.
 */
public final class ManagementCommands {

    /** The signals the {@code signal} command accepts (management-notes "COMMAND -- signal"). */
    public enum Signal { SIGHUP, SIGTERM, SIGUSR1, SIGUSR2 }

    private ManagementCommands() {
    }

    /** {@code state on}: real-time {@code >STATE:} notifications. */
    public static String stateOn() {
        return "state on";
    }

    /** {@code bytecount n}: a {@code >BYTECOUNT:} notification every n seconds (0 turns them off). */
    public static String bytecount(int seconds) {
        if (seconds < 0 || seconds > 86_400) {
            throw new IllegalArgumentException("bytecount interval " + seconds + " s (0..86400)");
        }
        return "bytecount " + seconds;
    }

    /** {@code hold release}: leave the hold state without changing the hold flag. */
    public static String holdRelease() {
        return "hold release";
    }

    /** {@code signal SIGUSR1} and the like. */
    public static String signal(Signal s) {
        return "signal " + s.name();
    }

    /** {@code remote ACCEPT}: connect to the server OpenVPN proposed in {@code >REMOTE:}. */
    public static String remoteAccept() {
        return "remote ACCEPT";
    }

    /** {@code remote SKIP}: skip the proposed server for the next one. */
    public static String remoteSkip() {
        return "remote SKIP";
    }

    /** {@code remote MOD host port}: connect to another server instead. */
    public static String remoteMod(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        if (!host.matches("[A-Za-z0-9.:-]{1,253}")) {
            throw new IllegalArgumentException("not a host name or address: " + ManagementMessage.printable(host));
        }
        return "remote MOD " + host + " " + port;
    }

    /** {@code username "kind" "user"}, the answer to {@code >PASSWORD:Need 'kind' username/password}. */
    public static String username(String kind, String user) {
        return "username " + quote(kind) + " " + quote(user);
    }

    /**
     * {@code password "kind" "secret"}. The line holds a secret: never log it ({@link #redacted(String)}).
     * Secrets longer than 256 bytes need OpenVPN's multi-line form, which this does not write: refused.
     */
    public static String password(String kind, String secret) {
        if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 256) {
            throw new IllegalArgumentException("a password longer than 256 bytes needs the multi-line form");
        }
        return "password " + quote(kind) + " " + quote(secret);
    }

    /** The line as it may be logged: the secret of a {@code password} command replaced. */
    public static String redacted(String line) {
        if (line.startsWith("password ")) {
            int second = line.indexOf("\" \"");
            return second < 0 ? "password <redacted>" : line.substring(0, second + 2) + "<redacted>";
        }
        return line;
    }

    /** One argument in double quotes, with backslash and double quote escaped; CR, LF and NUL refused. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("a management command argument cannot hold CR, LF or NUL");
            }
            if (c == '\\' || c == '"') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
