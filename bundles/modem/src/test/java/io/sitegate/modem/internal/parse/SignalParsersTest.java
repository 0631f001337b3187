package io.sitegate.modem.internal.parse;

import static io.sitegate.modem.internal.parse.Transcripts.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.AtParseException;
import io.sitegate.modem.Rat;
import io.sitegate.modem.SignalQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalParsersTest {

    @ParameterizedTest
    @CsvSource({"0,-113", "1,-111", "2,-109", "15,-83", "30,-53", "31,-51", "100,-116", "191,-25"})
    void csqMapsRssiToDbmPer27007(int rssi, int dbm) throws Exception {
        assertThat(SignalParsers.csq(response("AT+CSQ", "+CSQ: " + rssi + ",99", "OK")).rssiDbm()).hasValue(dbm);
    }

    @Test
    void csqFromManualTranscriptsAndUnknown() throws Exception {
        assertThat(SignalParsers.csq(Transcripts.fromFile("AT+CSQ", "quectel-ugxx-csq.txt")).rssiDbm()).hasValue(-57);
        assertThat(SignalParsers.csq(Transcripts.fromFile("AT+CSQ", "ublox-sara-r4-csq.txt")).rssiDbm()).hasValue(-109);
        assertThat(SignalParsers.csq(response("AT+CSQ", "+CSQ: 99,99", "OK"))).isEqualTo(SignalQuality.unknown());
        assertThatThrownBy(() -> SignalParsers.csq(response("AT+CSQ", "+CSQ: 45,99", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("AT+CSQ").hasMessageContaining("45");
        assertThatThrownBy(() -> SignalParsers.csq(response("AT+CSQ", "+CSQ: ", "OK"))).isInstanceOf(AtParseException.class);
    }

    @Test
    void cesqFromTheSaraR4Manual() throws Exception {
        SignalQuality q = SignalParsers.cesq(Transcripts.fromFile("AT+CESQ", "ublox-sara-r4-cesq.txt"));
        assertThat(q.rat()).contains(Rat.LTE);
        assertThat(q.rsrpDbm()).hasValue(-61);
        assertThat(q.rsrqDb()).hasValue(-10.0);
        assertThat(q.rssiDbm()).isEmpty();
        assertThatThrownBy(() -> SignalParsers.cesq(response("AT+CESQ", "+CESQ: 99,99,255", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("6 fields");
    }

    @Test
    void quectelQcsqPerSystemMode() throws Exception {
        SignalQuality lte = SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"LTE\",-52,-81,195,-10", "OK"));
        assertThat(lte.rat()).contains(Rat.LTE);
        assertThat(lte.rssiDbm()).hasValue(-52);
        assertThat(lte.rsrpDbm()).hasValue(-81);
        assertThat(lte.sinrDb()).hasValue(19.0);
        assertThat(lte.rsrqDb()).hasValue(-10.0);
        assertThat(SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"eMTC\",-70,-95,120,-12", "OK")).rat()).contains(Rat.LTE_M);
        assertThat(SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"GSM\",-71", "OK")).rssiDbm()).hasValue(-71);
        assertThat(SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"NOSERVICE\"", "OK"))).isEqualTo(SignalQuality.unknown());
        assertThatThrownBy(() -> SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"LTE\",-52", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("+QCSQ: \"LTE\",-52");
        assertThatThrownBy(() -> SignalParsers.qcsq(response("AT+QCSQ", "+QCSQ: \"5G\",1", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("5G");
    }

    @Test
    void simcomCpsiForLteInTenths() throws Exception {
        // Shape of the SIM7500/SIM7600 manual's AT+CPSI? LTE example
        SignalQuality q = SignalParsers.cpsi(response("AT+CPSI?",
                "+CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1825,5,5,-94,-850,-545,15", "OK"));
        assertThat(q.rat()).contains(Rat.LTE);
        assertThat(q.rsrpDbm()).hasValue(-85);
        assertThat(q.rssiDbm()).hasValue(-54); // -54.5 dBm, rounded half up
        assertThat(q.rsrqDb()).hasValue(-9.4);
        assertThat(SignalParsers.cpsi(response("AT+CPSI?", "+CPSI: NO SERVICE,Online", "OK"))).isEqualTo(SignalQuality.unknown());
        assertThat(SignalParsers.cpsi(response("AT+CPSI?", "+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42", "OK")).rat())
                .contains(Rat.GSM);
        assertThatThrownBy(() -> SignalParsers.cpsi(response("AT+CPSI?", "+CPSI: LTE,Online,460-11", "OK")))
                .isInstanceOf(AtParseException.class);
    }

    /**
     * SIM7070/SIM7080 AT+CPSI?: whole dB/dBm and SINR = 2 x RSSNR - 20. Sources: FreeRTOS community port
     * sim70x0/cellular_sim70x0_api.c (Cat M1 line), SIM7070_SIM7080_SIM7090 AT Command Manual V1.07 §5.2.19
     * (NB-IoT example, SINR formula), Zephyr drivers/modem/simcom/sim7080/sim7080_meas.c (sinr = 2 * rssnr - 20).
     */
    @Test
    void simcomSim70xxCpsiInWholeUnitsWithSinrFromRssnr() throws Exception {
        SignalQuality catM = SignalParsers.cpsiSim70xx(Transcripts.fromFile("AT+CPSI?", "simcom-sim7080-cpsi-catm1.txt"));
        assertThat(catM.rat()).contains(Rat.LTE_M);
        assertThat(catM.rsrqDb()).hasValue(-8.0);
        assertThat(catM.rsrpDbm()).hasValue(-84);
        assertThat(catM.rssiDbm()).hasValue(-60);
        assertThat(catM.sinrDb()).hasValue(16.0);
        SignalQuality nb = SignalParsers.cpsiSim70xx(Transcripts.fromFile("AT+CPSI?", "simcom-sim7080-cpsi-nbiot.txt"));
        assertThat(nb.rat()).contains(Rat.NB_IOT);
        assertThat(nb.rsrpDbm()).hasValue(-115);
        assertThat(nb.rssiDbm()).hasValue(-110);
        assertThat(nb.rsrqDb()).hasValue(-7.0);
        assertThat(nb.sinrDb()).hasValue(6.0);
        assertThat(SignalParsers.cpsiSim70xx(response("AT+CPSI?",
                "+CPSI: LTE CAT-M1,Online,310-410,0x4804,74777865,343,EUTRAN-BAND2,875,4,4,-13,-112,-82,0", "OK")).sinrDb())
                .hasValue(-20.0);
    }

    @Test
    void simcomSim70xxCpsiNoServiceGsmAndBadInput() throws Exception {
        assertThat(SignalParsers.cpsiSim70xx(response("AT+CPSI?", "+CPSI: NO SERVICE,Online", "OK")))
                .isEqualTo(SignalQuality.unknown());
        assertThat(SignalParsers.cpsiSim70xx(response("AT+CPSI?",
                "+CPSI: GSM,Online,460-00,0x1878,3303,5 EGSM 900,-73,0,42-42", "OK")).rat()).contains(Rat.GSM);
        assertThatThrownBy(() -> SignalParsers.cpsiSim70xx(response("AT+CPSI?",
                "+CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1825,5,5,-94,-850,-545,15", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("unknown system mode 'LTE'");
        assertThatThrownBy(() -> SignalParsers.cpsiSim70xx(response("AT+CPSI?", "+CPSI: LTE CAT-M1,Online,440-52", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("expected at least 14 fields");
        assertThatThrownBy(() -> SignalParsers.cpsiSim70xx(response("AT+CPSI?",
                "+CPSI: LTE NB-IOT,Online,440-20,0x1182,10171378,293,EUTRAN-BAND8,3740,0,0,-12,-75,x,13", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("<RSSI>");
        assertThatThrownBy(() -> SignalParsers.cpsiSim70xx(response("AT+CPSI?", "OK")))
                .isInstanceOf(AtParseException.class);
    }
}
