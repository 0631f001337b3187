package io.sitegate.modem.internal.parse;

import static io.sitegate.modem.internal.parse.Transcripts.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.DataCounters;
import io.sitegate.modem.NewSmsIndication;
import io.sitegate.modem.SmsMessage;
import io.sitegate.modem.Urc;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text-mode shapes of 3GPP TS 27.005 §3.4.2 (+CMGL), §3.4.3 (+CMGR), §3.4.1 (+CMTI). */
class SmsAndCounterParsersTest {

    @Test
    void listingWithMultiLineMessages() throws Exception {
        List<SmsMessage> list = SmsParsers.list(response("AT+CMGL=\"ALL\"",
                "+CMGL: 1,\"REC READ\",\"+8615021012496\",,\"24/03/01,10:15:00+32\"",
                "RESET SITE 7",
                "+CMGL: 2,\"REC UNREAD\",\"+8615021012496\",,\"24/03/01,10:16:00+32\"",
                "line one", "line two",
                "OK"));
        assertThat(list).containsExactly(
                new SmsMessage(1, "REC READ", "+8615021012496", "24/03/01,10:15:00+32", "RESET SITE 7"),
                new SmsMessage(2, "REC UNREAD", "+8615021012496", "24/03/01,10:16:00+32", "line one\nline two"));
        assertThat(SmsParsers.list(response("AT+CMGL=\"ALL\"", "OK"))).isEmpty();
        assertThatThrownBy(() -> SmsParsers.list(response("AT+CMGL", "stray", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("stray");
    }

    @Test
    void readAndNewMessageIndication() throws Exception {
        SmsMessage m = SmsParsers.read(response("AT+CMGR=3",
                "+CMGR: \"REC UNREAD\",\"+8615021012496\",,\"24/03/01,10:15:00+32\"", "Hello", "OK"));
        assertThat(m.text()).isEqualTo("Hello");
        assertThat(m.address()).isEqualTo("+8615021012496");
        NewSmsIndication cmti = SmsParsers.newMessage(new Urc("+CMTI:", "+CMTI: \"SM\",3", null, Instant.now()));
        assertThat(cmti).isEqualTo(new NewSmsIndication("SM", 3));
        assertThatThrownBy(() -> SmsParsers.newMessage(new Urc("+CMTI:", "+CMTI: \"SM\"", null, Instant.now())))
                .isInstanceOf(AtParseException.class);
    }

    @Test
    void vendorCounters() throws Exception {
        assertThat(CounterParsers.quectel(response("AT+QGDCNT?", "+QGDCNT: 3246,1459", "OK")))
                .isEqualTo(new DataCounters(3246, 1459));
        assertThat(CounterParsers.ublox(response("AT+UGCNTRD", "+UGCNTRD: 1,100,200,5000000000,6000",
                "+UGCNTRD: 2,1,2,10,20", "OK"))).isEqualTo(new DataCounters(5000000010L, 6020));
        assertThatThrownBy(() -> CounterParsers.quectel(response("AT+QGDCNT?", "+QGDCNT: 12", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("AT+QGDCNT?");
        assertThatThrownBy(() -> CounterParsers.ublox(response("AT+UGCNTRD", "OK"))).isInstanceOf(AtParseException.class);
    }
}
