package io.sitegate.modem.internal.parse;

import static io.sitegate.modem.internal.parse.Transcripts.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.SimState;
import org.junit.jupiter.api.Test;

class IdentityAndSimParsersTest {

    @Test
    void imeiBareOrPrefixedIsLuhnChecked() throws Exception {
        assertThat(IdentityParsers.imei(response("AT+CGSN", "490154203237518", "OK"))).isEqualTo("490154203237518");
        assertThat(IdentityParsers.imei(response("AT+CGSN=1", "+CGSN: \"490154203237518\"", "OK")))
                .isEqualTo("490154203237518");
        assertThatThrownBy(() -> IdentityParsers.imei(response("AT+GSN", "490154203237517", "OK")))
                .isInstanceOf(AtParseException.class)
                .hasMessageContaining("AT+GSN").hasMessageContaining("490154203237517");
    }

    @Test
    void iccidFromEveryVendorSpellingWithPaddingRemoved() throws Exception {
        assertThat(IdentityParsers.iccid(response("AT+QCCID", "+QCCID: 89860318760238209394", "OK")))
                .isEqualTo("89860318760238209394");
        assertThat(IdentityParsers.iccid(response("AT+CICCID", "+ICCID: 8944110068256270054F", "OK")))
                .isEqualTo("8944110068256270054");
        // SIM7070/SIM7080 manual V1.07 §5.2.8: bare digits
        assertThat(IdentityParsers.iccid(Transcripts.fromFile("AT+CCID", "simcom-sim7080-ccid.txt")))
                .isEqualTo("89861118231006965031");
        assertThat(IdentityParsers.iccid(response("AT+CCID", "+CCID: 8939104520000000000", "OK")))
                .isEqualTo("8939104520000000000");
        assertThatThrownBy(() -> IdentityParsers.iccid(response("AT+CCID", "+CCID: 12345", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("+CCID: 12345".substring(7));
    }

    @Test
    void imsiAndTexts() throws Exception {
        assertThat(IdentityParsers.imsi(response("AT+CIMI", "262011234567890", "OK"))).isEqualTo("262011234567890");
        assertThatThrownBy(() -> IdentityParsers.imsi(response("AT+CIMI", "OK"))).isInstanceOf(AtParseException.class);
        assertThat(IdentityParsers.text(Transcripts.fromFile("AT+QGMR", "quectel-eg25-qgmr.txt"))).isEqualTo("EG25GGBR07A08M2G_30.203.30.203");
        assertThat(IdentityParsers.text(response("AT+CGMR", "+CGMR: LE11B08SIM7600M22", "OK"))).isEqualTo("LE11B08SIM7600M22");
        assertThat(IdentityParsers.identification(Transcripts.fromFile("ATI", "quectel-eg25-ati.txt"))).contains("EG25");
    }

    @Test
    void simStates() throws Exception {
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CPIN: READY", "OK"))).isEqualTo(SimState.READY);
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CPIN: SIM PIN", "OK"))).isEqualTo(SimState.PIN_REQUIRED);
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CPIN: SIM PUK", "OK"))).isEqualTo(SimState.PUK_REQUIRED);
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CPIN: PH-NET PIN", "OK"))).isEqualTo(SimState.OTHER_LOCK);
        assertThat(SimStateParser.parse(Transcripts.fromFile("AT+CPIN?", "telit-cpin-absent.txt"))).isEqualTo(SimState.ABSENT);
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CME ERROR: SIM not inserted"))).isEqualTo(SimState.ABSENT);
        assertThat(SimStateParser.parse(response("AT+CPIN?", "+CME ERROR: 14"))).isEqualTo(SimState.FAILURE);
        assertThatThrownBy(() -> SimStateParser.parse(response("AT+CPIN?", "ERROR"))).isInstanceOf(AtParseException.class);
        assertThatThrownBy(() -> SimStateParser.parse(response("AT+CPIN?", "+CPIN: BANANA", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("BANANA");
    }
}
