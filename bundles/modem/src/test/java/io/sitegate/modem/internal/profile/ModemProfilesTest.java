package io.sitegate.modem.internal.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.ModemProfile;
import io.sitegate.modem.Rat;
import io.sitegate.modem.UnsupportedCapabilityException;
import io.sitegate.modem.internal.parse.IdentityParsers;
import io.sitegate.modem.internal.parse.Transcripts;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModemProfilesTest {

    private static List<String> lines(List<AtCommand> commands) {
        return commands.stream().map(AtCommand::line).toList();
    }

    @Test
    void detectsProfilesFromAtiAndCgmmOutput() {
        String eg25 = IdentityParsers.identification(Transcripts.fromFile("ATI", "quectel-eg25-ati.txt"));
        assertThat(ModemProfiles.select(eg25, null)).isSameAs(ModemProfiles.QUECTEL_EC25);
        assertThat(ModemProfiles.select("Quectel\nBG96\nRevision: BG96MAR02A07M1G", null)).isSameAs(ModemProfiles.QUECTEL_BG96);
        assertThat(ModemProfiles.select("Manufacturer: SIMCOM INCORPORATED\nModel: SIMCOM_SIM7600E-H", null))
                .isSameAs(ModemProfiles.SIMCOM_SIM7600);
        assertThat(ModemProfiles.select("SIM7000G", null)).isSameAs(ModemProfiles.SIMCOM_SIM7000);
        // SIM7080: ATI is only a revision (manual V1.07 §2.2.5); AT+CGMM answers SIMCOM_SIM7080G (§3.2.2)
        String sim7080 = IdentityParsers.identification(Transcripts.fromFile("ATI", "simcom-sim7080-ati.txt"));
        assertThat(ModemProfiles.select(sim7080, null)).isSameAs(ModemProfiles.GENERIC);
        assertThat(ModemProfiles.select(sim7080 + "\nSIMCOM_SIM7080G", null)).isSameAs(ModemProfiles.SIMCOM_SIM7000);
        assertThat(ModemProfiles.select("R1951.01\nSIMCOM_SIM7070G", null)).isSameAs(ModemProfiles.SIMCOM_SIM7000);
        assertThat(ModemProfiles.select("u-blox\nSARA-R410M-02B", null)).isSameAs(ModemProfiles.UBLOX_SARA_R4);
        assertThat(ModemProfiles.select("SARA-R510S", null)).isSameAs(ModemProfiles.UBLOX_SARA_R5);
        assertThat(ModemProfiles.select("Telit\nLE910C4-EU", null)).isSameAs(ModemProfiles.GENERIC);
    }

    @Test
    void configuredProfileOverridesDetection() {
        assertThat(ModemProfiles.select("Quectel\nEG25", "u-blox SARA-R4")).isSameAs(ModemProfiles.UBLOX_SARA_R4);
        assertThatThrownBy(() -> ModemProfiles.select("x", "Nokia 3310"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nokia 3310");
    }

    @Test
    void ec25RatSelection() {
        assertThat(lines(ModemProfiles.QUECTEL_EC25.ratSelection(List.of(Rat.LTE))))
                .containsExactly("AT+QCFG=\"nwscanmode\",3,1");
        assertThat(lines(ModemProfiles.QUECTEL_EC25.ratSelection(List.of(Rat.LTE, Rat.UMTS, Rat.GSM))))
                .containsExactly("AT+QCFG=\"nwscanseq\",040301,1", "AT+QCFG=\"nwscanmode\",0,1");
    }

    @Test
    void unsupportedRatNamesProfileAndRat() {
        assertThatThrownBy(() -> ModemProfiles.QUECTEL_EC25.ratSelection(List.of(Rat.LTE, Rat.NB_IOT)))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("Quectel EC25").hasMessageContaining("NB_IOT");
        assertThatThrownBy(() -> ModemProfiles.UBLOX_SARA_R4.ratSelection(List.of(Rat.LTE)))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("u-blox SARA-R4");
        assertThatThrownBy(() -> ModemProfiles.GENERIC.ratSelection(List.of(Rat.LTE, Rat.GSM)))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("Generic 3GPP");
        assertThatThrownBy(() -> ModemProfiles.GENERIC.ratSelection(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModemProfiles.GENERIC.ratSelection(List.of(Rat.LTE, Rat.LTE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bg96RatSelection() {
        assertThat(lines(ModemProfiles.QUECTEL_BG96.ratSelection(List.of(Rat.LTE_M, Rat.NB_IOT))))
                .containsExactly("AT+QCFG=\"nwscanseq\",0203,1", "AT+QCFG=\"nwscanmode\",3,1", "AT+QCFG=\"iotopmode\",2,1");
        assertThat(lines(ModemProfiles.QUECTEL_BG96.ratSelection(List.of(Rat.NB_IOT))))
                .containsExactly("AT+QCFG=\"nwscanseq\",03,1", "AT+QCFG=\"nwscanmode\",3,1", "AT+QCFG=\"iotopmode\",1,1");
        assertThat(lines(ModemProfiles.QUECTEL_BG96.ratSelection(List.of(Rat.LTE_M, Rat.GSM))))
                .containsExactly("AT+QCFG=\"nwscanseq\",0201,1", "AT+QCFG=\"nwscanmode\",0,1", "AT+QCFG=\"iotopmode\",0,1");
        assertThat(lines(ModemProfiles.QUECTEL_BG96.ratSelection(List.of(Rat.GSM))))
                .containsExactly("AT+QCFG=\"nwscanseq\",01,1", "AT+QCFG=\"nwscanmode\",1,1");
    }

    @Test
    void simcomAndUbloxAndGenericRatSelection() {
        assertThat(lines(ModemProfiles.SIMCOM_SIM7600.ratSelection(List.of(Rat.LTE)))).containsExactly("AT+CNMP=38");
        assertThat(lines(ModemProfiles.SIMCOM_SIM7600.ratSelection(List.of(Rat.LTE, Rat.UMTS)))).containsExactly("AT+CNMP=54");
        assertThat(lines(ModemProfiles.SIMCOM_SIM7000.ratSelection(List.of(Rat.LTE_M, Rat.NB_IOT, Rat.GSM))))
                .containsExactly("AT+CNMP=51", "AT+CMNB=3");
        assertThat(lines(ModemProfiles.SIMCOM_SIM7000.ratSelection(List.of(Rat.NB_IOT)))).containsExactly("AT+CNMP=38", "AT+CMNB=2");
        assertThat(lines(ModemProfiles.UBLOX_SARA_R4.ratSelection(List.of(Rat.LTE_M, Rat.NB_IOT))))
                .containsExactly("AT+CFUN=0", "AT+URAT=7,8", "AT+CFUN=1");
        assertThat(lines(ModemProfiles.GENERIC.ratSelection(List.of(Rat.LTE, Rat.UMTS, Rat.GSM, Rat.NB_IOT))))
                .containsExactly("AT+COPS=0");
    }

    /**
     * 27.007 §7.3: "0 automatic (&lt;oper&gt; field is ignored)", and a selected &lt;AcT&gt; that is not available
     * falls back to another one; so AT+COPS=0,,,&lt;AcT&gt; restricts nothing and the generic profile refuses.
     */
    @Test
    void genericProfileRefusesToPretendItCanForceARat() {
        for (Rat rat : List.of(Rat.LTE, Rat.GSM, Rat.UMTS, Rat.NB_IOT)) {
            assertThatThrownBy(() -> ModemProfiles.GENERIC.ratSelection(List.of(rat)))
                    .isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("Generic 3GPP").hasMessageContaining("AT+COPS=0 ignores <AcT>");
        }
        assertThatThrownBy(() -> ModemProfiles.GENERIC.ratSelection(List.of(Rat.LTE_M)))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("LTE_M");
    }

    /**
     * AT+CGAUTH parameter order: 27.007 §10.1.31 &lt;cid&gt;,&lt;auth_prot&gt;,&lt;userid&gt;,&lt;password&gt;;
     * SIMCom &lt;cid&gt;,&lt;auth_type&gt;,&lt;passwd&gt;,&lt;user&gt; (SIM7070_SIM7080_SIM7090 AT Command Manual V1.07,
     * SIM7500_SIM7600 AT Command Manual V3.00 as quoted in vshymanskyy/TinyGSM PR 678, FreeRTOS community port
     * sim70x0/cellular_sim70x0_api.c).
     */
    @Test
    void pdpAuthenticationInEachVendorsParameterOrder() {
        assertThat(ModemProfiles.GENERIC.authentication(1, ModemProfile.AuthProtocol.PAP, "user", "pass").line())
                .isEqualTo("AT+CGAUTH=1,1,\"user\",\"pass\"");
        assertThat(ModemProfiles.QUECTEL_EC25.authentication(2, ModemProfile.AuthProtocol.CHAP, "user", "pass").line())
                .isEqualTo("AT+CGAUTH=2,2,\"user\",\"pass\"");
        assertThat(ModemProfiles.UBLOX_SARA_R4.authentication(1, ModemProfile.AuthProtocol.PAP, "user", "pass").line())
                .isEqualTo("AT+CGAUTH=1,1,\"user\",\"pass\"");
        assertThat(ModemProfiles.SIMCOM_SIM7600.authentication(1, ModemProfile.AuthProtocol.PAP, "user", "pass").line())
                .isEqualTo("AT+CGAUTH=1,1,\"pass\",\"user\"");
        assertThat(ModemProfiles.SIMCOM_SIM7000.authentication(1, ModemProfile.AuthProtocol.CHAP, "user", "pass").line())
                .isEqualTo("AT+CGAUTH=1,2,\"pass\",\"user\"");
        assertThat(ModemProfiles.SIMCOM_SIM7000.authentication(1, ModemProfile.AuthProtocol.PAP, "", "").line())
                .isEqualTo("AT+CGAUTH=1,1,\"\",\"\"");
    }

    @Test
    void pdpAuthenticationRefusesTextThatWouldBreakTheCommandLineWithoutEchoingIt() {
        for (String bad : List.of("a\"b", "a;b", "a\rb", "a\u001ab", "a\u007fb")) {
            assertThatThrownBy(() -> ModemProfiles.GENERIC.authentication(1, ModemProfile.AuthProtocol.PAP, bad, "pw"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user name")
                    .hasMessageNotContaining(bad);
            assertThatThrownBy(() -> ModemProfiles.SIMCOM_SIM7000.authentication(1, ModemProfile.AuthProtocol.PAP, "u", bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password")
                    .hasMessageNotContaining(bad);
        }
        assertThatThrownBy(() -> ModemProfiles.GENERIC.authentication(1, ModemProfile.AuthProtocol.NONE, "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dnsConfigurationPerVendor() {
        assertThat(lines(ModemProfiles.QUECTEL_EC25.dnsConfiguration(1, "10.0.0.53", "2001:db8::53")))
                .containsExactly("AT+QIDNSCFG=1,\"10.0.0.53\",\"2001:db8::53\"");
        assertThat(lines(ModemProfiles.SIMCOM_SIM7600.dnsConfiguration(1, "10.0.0.53", null)))
                .containsExactly("AT+CDNSCFG=\"10.0.0.53\"");
        assertThat(lines(ModemProfiles.UBLOX_SARA_R5.dnsConfiguration(1, "10.0.0.53", "10.0.0.54")))
                .containsExactly("AT+UPSD=0,100,1", "AT+UPSD=0,4,\"10.0.0.53\"", "AT+UPSD=0,5,\"10.0.0.54\"");
        assertThatThrownBy(() -> ModemProfiles.UBLOX_SARA_R4.dnsConfiguration(1, "10.0.0.53", null))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("SARA-R4").hasMessageContaining("DNS");
        assertThatThrownBy(() -> ModemProfiles.QUECTEL_EC25.dnsConfiguration(1, "dns.example.com\",\"x", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyProfileIsCompleteData() {
        for (ModemProfile p : ModemProfiles.all()) {
            assertThat(p.initSequence()).extracting(AtCommand::line).contains("ATE0", "AT+CMEE=1");
            assertThat(p.supportedRats()).isNotEmpty();
            assertThat(p.signal().command().responsePrefix()).isNotNull();
            if (p != ModemProfiles.SIMCOM_SIM7000) {
                assertThat(p.iccid().command().responsePrefix()).isNotNull();
            }
        }
        // SIM70xx AT+CCID answers bare digits (SIM7070_SIM7080_SIM7090 manual V1.07 §5.2.8)
        assertThat(ModemProfiles.SIMCOM_SIM7000.iccid().command().line()).isEqualTo("AT+CCID");
        assertThat(ModemProfiles.SIMCOM_SIM7000.iccid().command().responsePrefix()).isNull();
        assertThat(ModemProfiles.SIMCOM_SIM7000.signal().command().line()).isEqualTo("AT+CPSI?");
        assertThat(ModemProfiles.SIMCOM_SIM7600.dataCounterQuery()).isEmpty();
        assertThat(ModemProfiles.QUECTEL_EC25.dataCounterQuery()).get()
                .extracting(q -> q.command().line()).isEqualTo("AT+QGDCNT?");
        assertThat(ModemProfiles.byName("quectel ec25")).contains(ModemProfiles.QUECTEL_EC25);
    }
}
