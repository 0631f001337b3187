package io.sitegate.modem.internal.parse;

import static io.sitegate.modem.internal.parse.Transcripts.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.AccessTechnology;
import io.sitegate.modem.AccessTechnologyTable;
import io.sitegate.modem.Rat;
import io.sitegate.modem.internal.profile.ModemProfiles;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.NetworkRegistration;
import io.sitegate.modem.NetworkRegistration.Domain;
import io.sitegate.modem.OperatorSelection;
import io.sitegate.modem.PdpContext;
import io.sitegate.modem.RegistrationStatus;
import io.sitegate.modem.Urc;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Shapes from 3GPP TS 27.007 §7.2, §7.3, §10.1.1, §10.1.14, §10.1.20, §10.1.22. */
class NetworkParsersTest {

    @Test
    void registrationReadResponsesInEveryMode() throws Exception {
        NetworkRegistration n0 = RegistrationParser.readResponse(response("AT+CREG?", "+CREG: 0,1", "OK"), Domain.CS);
        assertThat(n0.reportingMode()).hasValue(0);
        assertThat(n0.status()).isEqualTo(RegistrationStatus.REGISTERED_HOME);
        assertThat(n0.areaCode()).isEmpty();

        NetworkRegistration n2 = RegistrationParser.readResponse(
                response("AT+CEREG?", "+CEREG: 2,5,\"1a2B\",\"0A1B2C3D\",7", "OK"), Domain.EPS);
        assertThat(n2.status().isRoaming()).isTrue();
        assertThat(n2.areaCode()).contains("1A2B");
        assertThat(n2.cellId()).hasValue(0x0A1B2C3DL);
        assertThat(n2.accessTechnology()).contains(AccessTechnology.E_UTRAN);

        NetworkRegistration cgreg = RegistrationParser.readResponse(
                response("AT+CGREG?", "+CGREG: 2,1,\"00C3\",\"0010ABCD\",2,\"01\"", "OK"), Domain.PS);
        assertThat(cgreg.accessTechnology()).contains(AccessTechnology.UTRAN);

        NetworkRegistration nb = RegistrationParser.readResponse(
                response("AT+CEREG?", "+CEREG: 4,1,\"1A2B\",\"01A2B3C\",9,,,\"00100010\",\"01000111\"", "OK"), Domain.EPS);
        assertThat(nb.accessTechnology().flatMap(AccessTechnology::rat)).contains(io.sitegate.modem.Rat.NB_IOT);
    }

    @Test
    void registrationUrcsWithoutReportingMode() throws Exception {
        NetworkRegistration u = RegistrationParser.urc(new Urc("+CREG:", "+CREG: 1,\"00C3\",\"0010ABCD\",0", null, Instant.now()));
        assertThat(u.reportingMode()).isEmpty();
        assertThat(u.status()).isEqualTo(RegistrationStatus.REGISTERED_HOME);
        assertThat(u.accessTechnology()).contains(AccessTechnology.GSM);
        assertThat(RegistrationParser.urc(new Urc("+CEREG:", "+CEREG: 2", null, Instant.now())).status())
                .isEqualTo(RegistrationStatus.SEARCHING);
    }

    @Test
    void malformedRegistrationNamesTheLine() {
        assertThatThrownBy(() -> RegistrationParser.readResponse(response("AT+CREG?", "+CREG: 0", "OK"), Domain.CS))
                .isInstanceOf(AtParseException.class).hasMessageContaining("AT+CREG?");
        assertThatThrownBy(() -> RegistrationParser.readResponse(response("AT+CREG?", "+CREG: 2,1,\"ZZ\",\"1\"", "OK"), Domain.CS))
                .isInstanceOf(AtParseException.class).hasMessageContaining("ZZ");
        assertThatThrownBy(() -> RegistrationParser.readResponse(response("AT+CREG?", "+CREG: 0,42", "OK"), Domain.CS))
                .isInstanceOf(AtParseException.class).hasMessageContaining("42");
        assertThatThrownBy(() -> RegistrationParser.readResponse(response("AT+CREG?", "OK"), Domain.CS))
                .isInstanceOf(AtParseException.class).hasMessageContaining("no +CREG: line");
    }

    @Test
    void operatorSelectionWithEachAccessTechnology() throws Exception {
        OperatorSelection auto = OperatorParser.parse(response("AT+COPS?", "+COPS: 0", "OK"));
        assertThat(auto.operator()).isEmpty();
        for (int act : new int[] {0, 2, 7, 8, 9}) {
            OperatorSelection s = OperatorParser.parse(response("AT+COPS?", "+COPS: 0,2,\"26201\"," + act, "OK"));
            assertThat(s.plmn()).contains("26201");
            assertThat(s.accessTechnology()).map(AccessTechnology::code).contains(act);
        }
        assertThat(OperatorParser.parse(response("AT+COPS?", "+COPS: 0,0,\"CHINA MOBILE\",7", "OK")).operator())
                .contains("CHINA MOBILE");
        assertThatThrownBy(() -> OperatorParser.parse(response("AT+COPS?", "+COPS: 0,0,\"X\",77", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("77");
        assertThatThrownBy(() -> OperatorParser.parse(response("AT+COPS?", "+COPS: 0,0", "OK")))
                .isInstanceOf(AtParseException.class);
    }

    @Test
    void pdpContextsAndAddresses() throws Exception {
        assertThat(PdpParsers.contexts(response("AT+CGDCONT?",
                "+CGDCONT: 1,\"IP\",\"internet\",\"0.0.0.0\",0,0,0,0",
                "+CGDCONT: 2,\"IPV4V6\",\"ims\",\"\",0,0,0,0", "OK")))
                .containsExactly(new PdpContext(1, "IP", "internet", "0.0.0.0"), new PdpContext(2, "IPV4V6", "ims", ""));
        assertThat(PdpParsers.addresses(response("AT+CGPADDR", "+CGPADDR: 1,\"10.64.12.7\"", "+CGPADDR: 2,10.1.1.1,\"2001:DB8::1\"",
                "+CGPADDR: 3", "OK")))
                .extracting(a -> a.addresses().size()).containsExactly(1, 2, 0);
        assertThatThrownBy(() -> PdpParsers.contexts(response("AT+CGDCONT?", "+CGDCONT: x,\"IP\",\"a\"", "OK")))
                .isInstanceOf(AtParseException.class).hasMessageContaining("<cid>");
    }

    /**
     * Quectel BG96 reports LTE Cat M1 (eMTC) as {@code <AcT>} 8, where 27.007 §7.3/§10.1.22 has EC-GSM-IoT; the
     * BG96 profile's table reads it as Cat M1 (FreeRTOS-Cellular-Interface source/include/cellular_types.h:
     * CELLULAR_RAT_CATM1 = 8; its 3GPP URC handler takes 8 as Cat M1). Layout per 27.007 with {@code <n>=2}.
     */
    @Test
    void bg96ReadsAct8AsCatM1WhileTheStandardTableReadsEcGsmIot() throws Exception {
        AccessTechnologyTable bg96 = ModemProfiles.QUECTEL_BG96.accessTechnologies();
        NetworkRegistration catM = RegistrationParser.readResponse(
                response("AT+CEREG?", "+CEREG: 2,5,\"2AFE\",\"0210A3D7\",8", "OK"), Domain.EPS, bg96);
        assertThat(catM.accessTechnology()).contains(AccessTechnology.LTE_CAT_M1);
        assertThat(catM.accessTechnology().flatMap(AccessTechnology::rat)).contains(Rat.LTE_M);
        assertThat(RegistrationParser.readResponse(
                response("AT+CEREG?", "+CEREG: 2,5,\"2AFE\",\"0210A3D7\",9", "OK"), Domain.EPS, bg96).accessTechnology())
                .contains(AccessTechnology.E_UTRAN_NB_S1);
        assertThat(RegistrationParser.urc(new Urc("+CEREG:", "+CEREG: 1,\"2AFE\",\"0210A3D7\",8", null, Instant.now()), bg96)
                .accessTechnology()).contains(AccessTechnology.LTE_CAT_M1);
        assertThat(OperatorParser.parse(response("AT+COPS?", "+COPS: 0,2,\"26201\",8", "OK"), bg96).accessTechnology())
                .contains(AccessTechnology.LTE_CAT_M1);
        assertThat(OperatorParser.parse(response("AT+COPS?", "+COPS: 0,2,\"26201\",8", "OK")).accessTechnology())
                .contains(AccessTechnology.EC_GSM_IOT);
        assertThat(RegistrationParser.readResponse(
                response("AT+CEREG?", "+CEREG: 2,5,\"2AFE\",\"0210A3D7\",8", "OK"), Domain.EPS).accessTechnology())
                .contains(AccessTechnology.EC_GSM_IOT);
        assertThat(ModemProfiles.QUECTEL_EC25.accessTechnologies()).isEqualTo(AccessTechnologyTable.STANDARD);
        assertThat(AccessTechnology.ofCode(8)).contains(AccessTechnology.EC_GSM_IOT);
        assertThatThrownBy(() -> OperatorParser.parse(response("AT+COPS?", "+COPS: 0,2,\"26201\",14", "OK"), bg96))
                .isInstanceOf(AtParseException.class).hasMessageContaining("14");
    }
}
