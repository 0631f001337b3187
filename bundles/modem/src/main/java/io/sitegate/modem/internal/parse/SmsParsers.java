package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.NewSmsIndication;
import io.sitegate.modem.SmsMessage;
import io.sitegate.modem.Urc;
import io.sitegate.modem.internal.codec.Fields;
import java.util.ArrayList;
import java.util.List;

/**
 * Text-mode SMS replies (3GPP TS 27.005): {@code +CMGL} listings, {@code +CMGR} reads, the {@code +CMGS}
 * message reference and the {@code +CMTI} URC. Message text follows its header line; a listing's message
 * ends at the next {@code +CMGL:} header.
 */
public final class SmsParsers {

    private SmsParsers() {
    }

    /** {@code +CMGL: <index>,<stat>,<oa/da>,[<alpha>],[<scts>]} followed by the text, per message. */
    public static List<SmsMessage> list(AtResponse response) throws AtParseException {
        List<SmsMessage> messages = new ArrayList<>();
        List<String> header = null;
        StringBuilder text = new StringBuilder();
        for (String line : response.lines()) {
            String payload = Fields.payloadAfter(line, "+CMGL:");
            if (payload != null) {
                if (header != null) {
                    messages.add(listed(response, header, text));
                }
                header = Fields.split(payload);
                ReplyLines.requireAtLeast(response, line, header, 3);
                text.setLength(0);
            } else if (header != null) {
                text.append(text.length() > 0 ? "\n" : "").append(line);
            } else {
                throw ReplyLines.fail(response, line, "text before the first +CMGL header");
            }
        }
        if (header != null) {
            messages.add(listed(response, header, text));
        }
        return messages;
    }

    /** {@code +CMGR: <stat>,<oa>,[<alpha>],<scts>[,...]} followed by the text. */
    public static SmsMessage read(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+CMGR:");
        String line = "+CMGR: " + String.join(",", f);
        ReplyLines.requireAtLeast(response, line, f, 2);
        StringBuilder text = new StringBuilder();
        boolean afterHeader = false;
        for (String l : response.lines()) {
            if (afterHeader) {
                text.append(text.length() > 0 ? "\n" : "").append(l);
            } else if (Fields.payloadAfter(l, "+CMGR:") != null) {
                afterHeader = true;
            }
        }
        String scts = f.size() > 3 ? Fields.unquote(f.get(3)) : "";
        return new SmsMessage(-1, Fields.unquote(f.get(0)), Fields.unquote(f.get(1)), scts, text.toString());
    }

    /** The message reference of {@code +CMGS: <mr>}. */
    public static int messageReference(AtResponse response) throws AtParseException {
        String payload = ReplyLines.payloadOf(response, "+CMGS:");
        return ReplyLines.integer(response, "+CMGS: " + payload, Fields.split(payload).get(0), "<mr>");
    }

    /** {@code +CMTI: <mem>,<index>}. */
    public static NewSmsIndication newMessage(Urc urc) throws AtParseException {
        List<String> f = Fields.split(urc.payload());
        if (f.size() < 2 || !Fields.isInteger(f.get(1))) {
            throw new AtParseException("URC +CMTI", urc.line(), "expected <mem>,<index>");
        }
        return new NewSmsIndication(Fields.unquote(f.get(0)), Integer.parseInt(f.get(1)));
    }

    private static SmsMessage listed(AtResponse response, List<String> h, StringBuilder text) throws AtParseException {
        String line = "+CMGL: " + String.join(",", h);
        int index = ReplyLines.integer(response, line, h.get(0), "<index>");
        String scts = h.size() > 4 ? Fields.unquote(h.get(4)) : "";
        return new SmsMessage(index, Fields.unquote(h.get(1)), Fields.unquote(h.get(2)), scts, text.toString());
    }
}
