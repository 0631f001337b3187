package io.sitegate.modem.internal.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the payload of an information line at commas outside double quotes. Quotes are kept on the
 * field so callers can tell {@code 1} from {@code "1"}; {@link #unquote} removes them.
 */
public final class Fields {

    private Fields() {
    }

    /** {@code 0,1,"00C3","0010AB"} → {@code [0, 1, "00C3", "0010AB"]}; an unterminated quote runs to the end. */
    public static List<String> split(String payload) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == ',' && !quoted) {
                fields.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString().strip());
        return fields;
    }

    /** Whether the field is a double-quoted string. */
    public static boolean isQuoted(String field) {
        return field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"");
    }

    /** The field without surrounding double quotes. */
    public static String unquote(String field) {
        return isQuoted(field) ? field.substring(1, field.length() - 1) : field;
    }

    /** Whether the field is an unquoted, non-empty decimal integer (optionally negative). */
    public static boolean isInteger(String field) {
        return field.matches("-?\\d{1,18}");
    }

    /** The payload after {@code prefix} when {@code line} starts with it (case-insensitive), else null. */
    public static String payloadAfter(String line, String prefix) {
        return line.regionMatches(true, 0, prefix, 0, prefix.length()) ? line.substring(prefix.length()).strip() : null;
    }
}
