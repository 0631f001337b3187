package io.sitegate.modem;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One AT command line with its own timeout.
 *
 * @param line the command without the trailing CR, e.g. {@code AT+CREG?}
 * @param timeout how long to wait for the final result code
 * @param responsePrefix the information-response prefix this command expects (e.g. {@code +CREG:}), or
 *     {@code null} for commands whose information lines carry no prefix ({@code ATI}, {@code AT+CGSN})
 * @param payload text sent after the {@code > } prompt and terminated by Ctrl-Z (SMS text mode), or null
 */
public record AtCommand(String line, Duration timeout, String responsePrefix, String payload) {

    /** Default for fast queries. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** {@code AT+COPS=?} scans every band: vendors document up to 180 s. */
    public static final Duration NETWORK_SCAN_TIMEOUT = Duration.ofSeconds(180);
    /** SMS submission waits for the network: vendors document up to 120 s, 60 s is the usual budget. */
    public static final Duration SMS_SEND_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern PREFIX = Pattern.compile("^AT([+$#%^*][A-Z0-9]+)", Pattern.CASE_INSENSITIVE);
    private static final char CTRL_Z = 0x1A;

    /** Validates: no CR/LF/Ctrl-Z inside the line, positive timeout. */
    public AtCommand {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(timeout, "timeout");
        if (line.isBlank() || line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf(CTRL_Z) >= 0) {
            throw new IllegalArgumentException("an AT command is one non-empty line without CR, LF or Ctrl-Z");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (payload != null && payload.indexOf(CTRL_Z) >= 0) {
            throw new IllegalArgumentException("payload must not contain Ctrl-Z");
        }
    }

    /** A command with the default timeout for its kind and the response prefix derived from its name. */
    public static AtCommand of(String line) {
        return of(line, defaultTimeoutFor(line));
    }

    /** A command with an explicit timeout and the response prefix derived from its name. */
    public static AtCommand of(String line, Duration timeout) {
        return new AtCommand(line, timeout, derivePrefix(line).orElse(null), null);
    }

    /** SMS in text mode: {@code AT+CMGS="<number>"}, then {@code text} after the prompt. */
    public static AtCommand smsText(String number, String text) {
        if (!number.matches("\\+?[0-9*#]{1,20}")) {
            throw new IllegalArgumentException("not a phone number: " + number);
        }
        return new AtCommand("AT+CMGS=\"" + number + "\"", SMS_SEND_TIMEOUT, "+CMGS:", Objects.requireNonNull(text));
    }

    /** The same command with another timeout. */
    public AtCommand withTimeout(Duration newTimeout) {
        return new AtCommand(line, newTimeout, responsePrefix, payload);
    }

    /** The same command expecting another information-response prefix (e.g. u-blox answers {@code AT+CCID} with {@code +CCID:}). */
    public AtCommand withResponsePrefix(String prefix) {
        return new AtCommand(line, timeout, prefix, payload);
    }

    /** Whether the command is a read ({@code AT+X?}) of its own prefix, as opposed to a set or execute. */
    public boolean isRead() {
        return line.endsWith("?") && !line.endsWith("=?");
    }

    /** The line as it may appear in logs and traces: PINs and passwords masked. */
    public String loggable() {
        return mask(line);
    }

    /**
     * Masks PINs, passwords and credentials in any line (commands, echoes, multi-command lines and
     * responses that repeat credentials); see {@link AtSecrets} for the commands and parameters.
     */
    public static String mask(String anyLine) {
        return AtSecrets.mask(anyLine);
    }

    @Override
    public String toString() {
        return loggable() + (payload != null ? " <" + payload.length() + " chars>" : "") + " (" + timeout + ")";
    }

    /** {@code AT+CREG?} expects {@code +CREG:}; {@code ATI} and {@code AT} expect no prefix. */
    public static Optional<String> derivePrefix(String line) {
        Matcher m = PREFIX.matcher(line.trim());
        return m.find() ? Optional.of(m.group(1).toUpperCase(Locale.ROOT) + ":") : Optional.empty();
    }

    /** Vendor-documented worst cases: network scans 180 s, (de)registration and PDP activation 150 s, SMS 60 s. */
    public static Duration defaultTimeoutFor(String line) {
        String upper = line.trim().toUpperCase(Locale.ROOT);
        if (upper.startsWith("AT+COPS=")) {
            return NETWORK_SCAN_TIMEOUT;
        }
        if (upper.startsWith("AT+CGACT=") || upper.startsWith("AT+CGATT=") || upper.startsWith("AT+QIACT")) {
            return Duration.ofSeconds(150);
        }
        if (upper.startsWith("AT+CMGS") || upper.startsWith("AT+CMSS")) {
            return SMS_SEND_TIMEOUT;
        }
        if (upper.startsWith("AT+CFUN=") || upper.startsWith("AT+CPIN=")) {
            return Duration.ofSeconds(15);
        }
        return DEFAULT_TIMEOUT;
    }
}
