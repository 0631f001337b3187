package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.DataCounters;
import java.util.List;

/** Vendor packet data counters. */
public final class CounterParsers {

    private CounterParsers() {
    }

    /** Quectel {@code AT+QGDCNT?} → {@code +QGDCNT: <bytes_sent>,<bytes_recv>}. */
    public static DataCounters quectel(AtResponse response) throws AtParseException {
        List<String> f = ReplyLines.fieldsOf(response, "+QGDCNT:");
        String line = "+QGDCNT: " + String.join(",", f);
        ReplyLines.requireAtLeast(response, line, f, 2);
        return new DataCounters(ReplyLines.longValue(response, line, f.get(0), "<bytes_sent>"),
                ReplyLines.longValue(response, line, f.get(1), "<bytes_recv>"));
    }

    /**
     * u-blox {@code AT+UGCNTRD} → {@code +UGCNTRD: <cid>,<sent_sess>,<received_sess>,<sent_total>,<received_total>}
     * per context; the totals of all contexts are summed.
     */
    public static DataCounters ublox(AtResponse response) throws AtParseException {
        long sent = 0;
        long received = 0;
        List<String> payloads = response.payloads("+UGCNTRD:");
        if (payloads.isEmpty()) {
            throw ReplyLines.fail(response, String.join(" | ", response.lines()), "no +UGCNTRD line");
        }
        for (String payload : payloads) {
            List<String> f = io.sitegate.modem.internal.codec.Fields.split(payload);
            String line = "+UGCNTRD: " + payload;
            ReplyLines.requireAtLeast(response, line, f, 5);
            sent += ReplyLines.longValue(response, line, f.get(3), "<sent_total_bytes>");
            received += ReplyLines.longValue(response, line, f.get(4), "<received_total_bytes>");
        }
        return new DataCounters(sent, received);
    }
}
