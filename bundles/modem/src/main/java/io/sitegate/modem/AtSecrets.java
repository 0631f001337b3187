package io.sitegate.modem;

import io.sitegate.core.SafeText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secret-bearing parameters of AT command lines and information responses, whatever the
 * case and wherever the command stands in a multi-command line ({@code AT+CFUN=1;+CPIN=1234}).
 * Only the secret parameters become {@code ****}; the command, the other parameters and the other
 * commands of the line stay readable.
 *
 * <p>Parameter layouts (index from 0):
 * <ul>
 * <li>3GPP TS 27.007: {@code +CPIN=<pin>[,<newpin>]} and {@code +CPIN2} all; {@code +CPWD=<fac>,<old>,<new>}
 *     from 1; {@code +CLCK=<fac>,<mode>,<passwd>[,<class>]} 2; {@code +CGAUTH=<cid>,<prot>,<userid>,<password>}
 *     from 2 (SIMCom SIM7500/7600 order user and password the other way round: both are masked);
 *     {@code +CSIM=<length>,<command>} 1 when the APDU is VERIFY, CHANGE, DISABLE, ENABLE or UNBLOCK PIN
 *     (ETSI TS 102 221 INS 20, 24, 26, 28, 2C).</li>
 * <li>Quectel EC2x/BG96 {@code +QICSGP=<contextID>,<context_type>,<APN>,<username>,<password>,<authentication>} 3 and 4.</li>
 * <li>u-blox SARA-R4/R5 {@code +UAUTHREQ=<cid>,<auth_type>,<username>,<password>} from 2 (UBX-17003787 §13.15);
 *     {@code +UPSD=<profile>,<tag>,<value>} 2 when the tag is 2 (user name) or 3 (password).</li>
 * <li>SIMCom {@code +CSTT=<apn>,<user>,<password>} from 1; SIM7000 {@code +CNCFG=<idx>,<ip_type>,<APN>,<user>,<password>,<auth>} 3 and 4.</li>
 * <li>Telit {@code #SGACT=<cid>,<stat>,<userid>,<pwd>} from 2.</li>
 * </ul>
 * Read responses that echo credentials ({@code +CGAUTH:}, {@code +QICSGP:}, {@code +UPSD:}, {@code +CNCFG:},
 * {@code +CSTT:}) are masked the same way.
 */
public final class AtSecrets {

    @FunctionalInterface
    private interface Rule {
        boolean secret(int index, List<String> params);
    }

    private static final Set<String> PIN_APDUS = Set.of("20", "24", "26", "28", "2C");

    private static final Map<String, Rule> COMMANDS = Map.ofEntries(
            Map.entry("CPIN", (i, p) -> true),
            Map.entry("CPIN2", (i, p) -> true),
            Map.entry("CPWD", (i, p) -> i >= 1),
            Map.entry("CLCK", (i, p) -> i == 2),
            Map.entry("CGAUTH", (i, p) -> i >= 2),
            Map.entry("CSIM", (i, p) -> i == 1 && pinApdu(p.get(1))),
            Map.entry("QICSGP", (i, p) -> i == 3 || i == 4),
            Map.entry("UAUTHREQ", (i, p) -> i >= 2),
            Map.entry("UPSD", (i, p) -> i == 2 && credentialTag(p)),
            Map.entry("CSTT", (i, p) -> i >= 1),
            Map.entry("CNCFG", (i, p) -> i == 3 || i == 4),
            Map.entry("SGACT", (i, p) -> i >= 2));

    private static final Map<String, Rule> RESPONSES = Map.of(
            "CGAUTH", (i, p) -> i >= 2,
            "QICSGP", (i, p) -> i == 2 || i == 3,
            "UPSD", (i, p) -> i == 2 && credentialTag(p),
            "CNCFG", (i, p) -> i == 3 || i == 4,
            "CSTT", (i, p) -> i >= 1,
            "UAUTHREQ", (i, p) -> i >= 2);

    /** An extended command with parameters: its prefix character (or the start of a command) and name. */
    private static final Pattern COMMAND = Pattern.compile("(?:[+$#%^*&]|^\\s*(?:AT)?\\s*)\\s*([A-Z][A-Z0-9]*)\\s*=",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RESPONSE = Pattern.compile("^\\s*[+$#%^*&]([A-Z][A-Z0-9]*)\\s*:", Pattern.CASE_INSENSITIVE);

    private AtSecrets() {
    }

    /** {@code line} with every secret parameter shown as {@code ****}; {@code null} stays {@code null}. */
    public static String mask(String line) {
        if (line == null || (line.indexOf('=') < 0 && line.indexOf(':') < 0)) {
            return line;
        }
        Matcher r = RESPONSE.matcher(line);
        if (r.find()) {
            Rule rule = RESPONSES.get(r.group(1).toUpperCase(Locale.ROOT));
            return rule == null ? line : line.substring(0, r.end()) + maskParams(line.substring(r.end()), rule);
        }
        List<String> segments = splitOutsideQuotes(line, ';');
        segments.replaceAll(AtSecrets::maskCommand);
        String masked = String.join(";", segments);
        return masked.equals(line) ? line : masked;
    }

    /**
     * A line from or to the modem as it may be logged or printed: secrets masked, then control
     * characters and terminal escapes made visible ({@link SafeText}).
     */
    public static String loggable(String line) {
        return SafeText.escape(mask(line));
    }

    /** Whether {@link #mask} would change {@code line}. */
    public static boolean containsSecret(String line) {
        return line != null && !mask(line).equals(line);
    }

    private static String maskCommand(String segment) {
        Matcher m = COMMAND.matcher(segment);
        while (m.find()) {
            Rule rule = COMMANDS.get(m.group(1).toUpperCase(Locale.ROOT));
            if (rule != null) {
                String params = segment.substring(m.end());
                if (params.strip().equals("?")) {
                    return segment; // test command: lists ranges, carries nothing
                }
                return segment.substring(0, m.end()) + maskParams(params, rule);
            }
        }
        return segment;
    }

    private static String maskParams(String params, Rule rule) {
        List<String> parts = splitOutsideQuotes(params, ',');
        List<String> bare = new ArrayList<>(parts.size());
        for (String p : parts) {
            bare.add(unquote(p.strip()));
        }
        StringBuilder out = new StringBuilder(params.length());
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String part = parts.get(i);
            if (!part.isBlank() && rule.secret(i, bare)) {
                out.append(masked(part));
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /** A quoted parameter keeps its quotes and whatever follows the closing quote (a shell quote). */
    private static String masked(String part) {
        String s = part.strip();
        if (!s.startsWith("\"")) {
            return "****";
        }
        int close = s.indexOf('"', 1);
        return close < 0 ? "\"****\"" : "\"****\"" + s.substring(close + 1);
    }

    /** Splits at {@code separator} outside double quotes; an unterminated quote runs to the end. */
    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s.startsWith("\"") ? s.substring(1) : s;
    }

    private static boolean credentialTag(List<String> params) {
        return params.size() > 1 && (params.get(1).equals("2") || params.get(1).equals("3"));
    }

    /** An APDU {@code CLA INS P1 P2 ...} in hex whose INS handles a PIN. */
    private static boolean pinApdu(String apdu) {
        String hex = apdu.replace(" ", "");
        return hex.length() < 4 || PIN_APDUS.contains(hex.substring(2, 4).toUpperCase(Locale.ROOT));
    }
}
