package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.PdpAddress;
import io.sitegate.modem.PdpContext;
import io.sitegate.modem.internal.codec.Fields;
import java.util.ArrayList;
import java.util.List;

/** {@code AT+CGDCONT?} (27.007 §10.1.1) and {@code AT+CGPADDR} (§10.1.14). */
public final class PdpParsers {

    private PdpParsers() {
    }

    /** Every defined context: {@code +CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>[,...]}. */
    public static List<PdpContext> contexts(AtResponse response) throws AtParseException {
        List<PdpContext> contexts = new ArrayList<>();
        for (String payload : response.payloads("+CGDCONT:")) {
            List<String> f = Fields.split(payload);
            String line = "+CGDCONT: " + payload;
            ReplyLines.requireAtLeast(response, line, f, 3);
            int cid = ReplyLines.integer(response, line, f.get(0), "<cid>");
            String address = f.size() > 3 ? Fields.unquote(f.get(3)) : "";
            contexts.add(new PdpContext(cid, Fields.unquote(f.get(1)), Fields.unquote(f.get(2)), address));
        }
        return contexts;
    }

    /** Every {@code +CGPADDR: <cid>[,<addr1>[,<addr2>]]}; addresses quoted or not, empty ones dropped. */
    public static List<PdpAddress> addresses(AtResponse response) throws AtParseException {
        List<PdpAddress> result = new ArrayList<>();
        for (String payload : response.payloads("+CGPADDR:")) {
            List<String> f = Fields.split(payload);
            String line = "+CGPADDR: " + payload;
            int cid = ReplyLines.integer(response, line, f.get(0), "<cid>");
            List<String> addresses = new ArrayList<>();
            for (String field : f.subList(1, f.size())) {
                String address = Fields.unquote(field);
                if (!address.isEmpty() && !address.equals("0.0.0.0")) {
                    if (!address.matches("[0-9A-Fa-f:.]+")) {
                        throw ReplyLines.fail(response, line, "'" + field + "' is not an address");
                    }
                    addresses.add(address);
                }
            }
            result.add(new PdpAddress(cid, addresses));
        }
        return result;
    }
}
