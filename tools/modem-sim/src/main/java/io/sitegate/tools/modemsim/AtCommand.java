package io.sitegate.tools.modemsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One AT command as the modem understands it: a name ({@code +CGDCONT}, {@code E}, or empty for a bare
 * {@code AT}), its form (execute, read {@code ?}, test {@code =?}, set {@code =...}) and its raw arguments.
 *
 * @param name the upper-case command name without the {@code AT} prefix
 * @param kind the command form
 * @param args the raw argument text of a set command (or the digits of a basic command), never null
 */
public record AtCommand(String name, Kind kind, String args) {

    /** The four forms of an AT command (ITU-T V.250 and 3GPP TS 27.007). */
    public enum Kind { EXEC, READ, TEST, SET }

    /**
     * Parses one command line ({@code AT+CSQ;+CREG?}, {@code ATE0}) into its commands.
     *
     * @param line the line without its terminating CR
     * @return the commands in order
     * @throws IllegalArgumentException when the line does not start with {@code AT} or cannot be split
     */
    public static List<AtCommand> parseLine(String line) {
        String trimmed = line.strip();
        if (trimmed.length() < 2 || !trimmed.substring(0, 2).equalsIgnoreCase("AT")) {
            throw new IllegalArgumentException("not an AT command: " + line);
        }
        String body = trimmed.substring(2);
        List<AtCommand> commands = new ArrayList<>();
        if (body.isEmpty()) {
            commands.add(new AtCommand("", Kind.EXEC, ""));
            return commands;
        }
        for (String part : splitOutsideQuotes(body, ';')) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (isExtendedPrefix(p.charAt(0)) && p.charAt(0) != '&') {
                commands.add(parseExtended(p));
            } else {
                parseBasic(p, commands);
            }
        }
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("empty command: " + line);
        }
        return commands;
    }

    private static boolean isExtendedPrefix(char c) {
        return c == '+' || c == '$' || c == '^' || c == '#' || c == '%' || c == '&';
    }

    private static AtCommand parseExtended(String p) {
        int end = 1;
        while (end < p.length() && p.charAt(end) != '=' && p.charAt(end) != '?') {
            end++;
        }
        String name = p.substring(0, end).toUpperCase(Locale.ROOT);
        String rest = p.substring(end);
        if (rest.isEmpty()) {
            return new AtCommand(name, Kind.EXEC, "");
        }
        if (rest.equals("?")) {
            return new AtCommand(name, Kind.READ, "");
        }
        if (rest.equals("=?")) {
            return new AtCommand(name, Kind.TEST, "");
        }
        if (rest.startsWith("=")) {
            return new AtCommand(name, Kind.SET, rest.substring(1));
        }
        throw new IllegalArgumentException("malformed command: " + p);
    }

    /** Basic V.250 commands chain without separators: {@code E0V1}, {@code &F}, {@code I9}. */
    private static void parseBasic(String p, List<AtCommand> into) {
        int i = 0;
        while (i < p.length()) {
            int start = i;
            if (p.charAt(i) == '&') {
                i++;
            }
            if (i >= p.length() || !Character.isLetter(p.charAt(i))) {
                throw new IllegalArgumentException("malformed basic command: " + p);
            }
            i++;
            String name = p.substring(start, i).toUpperCase(Locale.ROOT);
            int digits = i;
            while (i < p.length() && Character.isDigit(p.charAt(i))) {
                i++;
            }
            String args = p.substring(digits, i);
            if (i < p.length() && p.charAt(i) == '?') {
                i++;
                into.add(new AtCommand(name, Kind.READ, args));
            } else {
                into.add(new AtCommand(name, args.isEmpty() ? Kind.EXEC : Kind.SET, args));
            }
        }
    }

    /** @return the comma-separated parameters of a set command, trimmed, quotes kept */
    public List<String> params() {
        if (args.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String p : splitOutsideQuotes(args, ',')) {
            out.add(p.strip());
        }
        return out;
    }

    /** @return parameter {@code i} without surrounding quotes, or null when absent or empty */
    public String param(int i) {
        List<String> ps = params();
        if (i >= ps.size() || ps.get(i).isEmpty()) {
            return null;
        }
        return unquote(ps.get(i));
    }

    /** @return parameter {@code i} as an integer, or null when absent; throws NumberFormatException on junk */
    public Integer intParam(int i) {
        String p = param(i);
        return p == null ? null : Integer.valueOf(p);
    }

    /** @return the text without one pair of surrounding double quotes */
    public static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quotes: " + s);
        }
        parts.add(cur.toString());
        return parts;
    }
}
