package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.internal.codec.Fields;
import java.util.List;

/** Shared helpers of the reply parsers: find the information line, split it, fail with a named line. */
final class ReplyLines {

    private ReplyLines() {
    }

    /** The fields of the first line with {@code prefix}. */
    static List<String> fieldsOf(AtResponse response, String prefix) throws AtParseException {
        return Fields.split(payloadOf(response, prefix));
    }

    /** The payload of the first line with {@code prefix}. */
    static String payloadOf(AtResponse response, String prefix) throws AtParseException {
        for (String line : response.lines()) {
            String payload = Fields.payloadAfter(line, prefix);
            if (payload != null) {
                return payload;
            }
        }
        throw fail(response, String.join(" | ", response.lines()), "no " + prefix + " line");
    }

    /** The first information line, with a leading {@code +XYZ:} prefix removed if there is one. */
    static String firstValue(AtResponse response) throws AtParseException {
        for (String line : response.lines()) {
            String value = line.replaceFirst("^[+^][A-Za-z0-9]+:\\s*", "").strip();
            if (!value.isEmpty()) {
                return Fields.unquote(value);
            }
        }
        throw fail(response, "", "no information line");
    }

    static int integer(AtResponse response, String line, String field, String name) throws AtParseException {
        String value = Fields.unquote(field);
        if (!Fields.isInteger(value)) {
            throw fail(response, line, name + " '" + field + "' is not an integer");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw fail(response, line, name + " '" + field + "' is out of range");
        }
    }

    static long longValue(AtResponse response, String line, String field, String name) throws AtParseException {
        String value = Fields.unquote(field);
        if (!Fields.isInteger(value)) {
            throw fail(response, line, name + " '" + field + "' is not an integer");
        }
        return Long.parseLong(value);
    }

    static void requireAtLeast(AtResponse response, String line, List<String> fields, int count)
            throws AtParseException {
        if (fields.size() < count) {
            throw fail(response, line, "expected at least " + count + " fields, got " + fields.size());
        }
    }

    static AtParseException fail(AtResponse response, String line, String reason) {
        return new AtParseException(response.command().loggable(), line, reason);
    }
}
