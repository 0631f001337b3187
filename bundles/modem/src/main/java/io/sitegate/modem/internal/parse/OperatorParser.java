package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AccessTechnology;
import io.sitegate.modem.AccessTechnologyTable;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.OperatorSelection;
import io.sitegate.modem.internal.codec.Fields;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code AT+COPS?} (27.007 §7.3): {@code +COPS: <mode>[,<format>,<oper>[,<AcT>]]}. */
public final class OperatorParser {

    private OperatorParser() {
    }

    /** The current operator selection, {@code <AcT>} read by 27.007. */
    public static OperatorSelection parse(AtResponse response) throws AtParseException {
        return parse(response, AccessTechnologyTable.STANDARD);
    }

    /** The current operator selection, {@code <AcT>} read with the modem's table (e.g. BG96: 8 is LTE Cat M1). */
    public static OperatorSelection parse(AtResponse response, AccessTechnologyTable acts) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+COPS:");
        String line = "+COPS: " + String.join(",", f);
        int mode = ReplyLines.integer(response, line, f.get(0), "<mode>");
        if (mode < 0 || mode > 4) {
            throw ReplyLines.fail(response, line, "<mode> " + mode + " out of range");
        }
        if (f.size() == 1) {
            return new OperatorSelection(mode, OptionalInt.empty(), Optional.empty(), Optional.empty());
        }
        ReplyLines.requireAtLeast(response, line, f, 3);
        int format = ReplyLines.integer(response, line, f.get(1), "<format>");
        if (!Fields.isQuoted(f.get(2))) {
            throw ReplyLines.fail(response, line, "<oper> is not a quoted string");
        }
        Optional<AccessTechnology> act = Optional.empty();
        if (f.size() >= 4 && !f.get(3).isEmpty()) {
            int code = ReplyLines.integer(response, line, f.get(3), "<AcT>");
            act = acts.ofCode(code);
            if (act.isEmpty()) {
                throw ReplyLines.fail(response, line, "unknown <AcT> " + code);
            }
        }
        return new OperatorSelection(mode, OptionalInt.of(format), Optional.of(Fields.unquote(f.get(2))), act);
    }
}
