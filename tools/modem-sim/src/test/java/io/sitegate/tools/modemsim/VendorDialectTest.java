package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Response formats per vendor, as in the vendors' AT manuals and captured module output. */
class VendorDialectTest {

    private static final String SCENE = "set signal rssi=-71 rsrp=-95 rsrq=-10 sinr=12";

    @Test
    void quectelEc25() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, SCENE)) {
            assertThat(f.at("ATI")).containsExactly("Quectel", "EC25", "Revision: EC25EFAR06A06M4G", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanmode\"")).containsExactly("+QCFG: \"nwscanmode\",0", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanmode\",3,1")).containsExactly("OK");
            assertThat(f.at("AT+QCFG=\"nwscanmode\"")).containsExactly("+QCFG: \"nwscanmode\",3", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanmode\",9,1")).containsExactly("+CME ERROR: 50");
            assertThat(f.at("AT+QCFG=\"nwscanseq\",0403,1")).containsExactly("OK");
            assertThat(f.at("AT+QCFG=\"nwscanseq\",0404")).containsExactly("+CME ERROR: 50");
            // iotopmode is a BG96 setting: the EC25 does not have it
            assertThat(f.at("AT+QCFG=\"iotopmode\",2")).containsExactly("+CME ERROR: 4");
            assertThat(f.at("AT+QCSQ")).containsExactly("+QCSQ: \"LTE\",-71,-95,160,-10", "OK");
            assertThat(f.at("AT+QIDNSCFG=1")).containsExactly("+QIDNSCFG: 1,\"10.74.210.210\",\"10.74.210.211\"", "OK");
            assertThat(f.at("AT+QIDNSCFG=1,\"9.9.9.9\",\"1.1.1.1\"")).containsExactly("OK");
            assertThat(f.at("AT+QIDNSCFG=1")).containsExactly("+QIDNSCFG: 1,\"9.9.9.9\",\"1.1.1.1\"", "OK");
            assertThat(f.at("AT+QIDNSCFG=1,\"not-an-ip\"")).containsExactly("+CME ERROR: 552");
            assertThat(f.at("AT+URAT?")).containsExactly("+CME ERROR: 4");
            assertThat(f.at("AT+CNMP?")).containsExactly("+CME ERROR: 4");
            assertThat(f.simulator.journal().commands()).contains("AT+QCFG=\"nwscanmode\",3,1");
        }
    }

    @Test
    void quectelBg96() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_BG96, SCENE)) {
            assertThat(f.at("ATI")).containsExactly("Quectel", "BG96", "Revision: BG96MAR02A07M1G", "OK");
            assertThat(f.at("AT+QCFG=\"iotopmode\"")).containsExactly("+QCFG: \"iotopmode\",2", "OK");
            assertThat(f.at("AT+QCFG=\"iotopmode\",0,1")).containsExactly("OK");
            assertThat(f.at("AT+QCFG=\"iotopmode\"")).containsExactly("+QCFG: \"iotopmode\",0", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanseq\"")).containsExactly("+QCFG: \"nwscanseq\",020301", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanseq\",0104")).containsExactly("+CME ERROR: 50");
            assertThat(f.at("AT+QCFG=\"nwscanmode\",2")).containsExactly("+CME ERROR: 50");
            assertThat(f.at("AT+QCSQ")).containsExactly("+QCSQ: \"eMTC\",-71,-95,160,-10", "OK");
            f.at("AT+CEREG=2");
            assertThat(f.at("AT+CEREG?")).containsExactly("+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",8", "OK");
            assertThat(f.simulator.modem().state().ratPreferences()).containsEntry("iotopmode", "0");
        }
    }

    @Test
    void simcomSim7600() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7600, SCENE, "set imei 490154203237518")) {
            assertThat(f.at("ATI")).containsExactly("Manufacturer: SIMCOM INCORPORATED", "Model: SIMCOM_SIM7600E-H",
                    "Revision: LE20B04SIM7600M22", "IMEI: 490154203237518", "+GCAP: +CGSM", "OK");
            assertThat(f.at("AT+CGMR")).containsExactly("+CGMR: LE20B04SIM7600M22", "OK");
            assertThat(f.at("AT+CICCID")).containsExactly("+ICCID: 89490200001234567890", "OK");
            assertThat(f.at("AT+QCCID")).containsExactly("ERROR");
            assertThat(f.at("AT+CNMP?")).containsExactly("+CNMP: 2", "OK");
            assertThat(f.at("AT+CNMP=38")).containsExactly("OK");
            assertThat(f.at("AT+CNMP?")).containsExactly("+CNMP: 38", "OK");
            assertThat(f.at("AT+CNMP=3")).containsExactly("ERROR");
            assertThat(f.at("AT+CDNSCFG=\"8.8.8.8\",\"8.8.4.4\"")).containsExactly("OK");
            assertThat(f.at("AT+CDNSCFG?")).containsExactly("PrimaryDns: 8.8.8.8", "SecondaryDns: 8.8.4.4", "OK");
            assertThat(f.at("AT+CPSI?")).containsExactly(
                    "+CPSI: LTE,Online,262-01,0x1A2B,27440068,306,EUTRAN-BAND3,1300,5,5,-100,-950,-710,12", "OK");
            f.at("AT+CFUN=4");
            assertThat(f.at("AT+CPSI?")).containsExactly("+CPSI: NO SERVICE,Low Power Mode", "OK");
        }
    }

    @Test
    void ubloxSaraR4() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.UBLOX_SARA_R4, SCENE, "set cmee 2")) {
            assertThat(f.at("ATI")).containsExactly("SARA-R410M-02B", "OK");
            assertThat(f.at("AT+CGMI")).containsExactly("u-blox", "OK");
            assertThat(f.at("AT+CCID")).containsExactly("+CCID: 89490200001234567890", "OK");
            assertThat(f.at("AT+URAT?")).containsExactly("+URAT: 7,8", "OK");
            assertThat(f.at("AT+URAT=7")).containsExactly("OK");
            assertThat(f.at("AT+URAT?")).containsExactly("+URAT: 7", "OK");
            assertThat(f.at("AT+URAT=9,7")).containsExactly("OK");
            assertThat(f.at("AT+URAT=7,7")).containsExactly("+CME ERROR: incorrect parameters");
            assertThat(f.at("AT+UCGED?")).containsExactly("+UCGED: 2", "6,4,262,01",
                    "6300,20,10,10,1a2b,01a2b3c4,306,d60814d1,8001,01,46,20,12.00,3,1,10,46,-50,-6,0,255,255,0", "OK");
            assertThat(f.at("AT+QCFG=\"nwscanmode\",3")).containsExactly("+CME ERROR: operation not supported");
        }
    }

    @Test
    void ubloxSaraR5HasNoGprs() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.UBLOX_SARA_R5, "set cmee 1")) {
            assertThat(f.at("AT+URAT=9")).containsExactly("+CME ERROR: 50");
            assertThat(f.at("AT+URAT=8,7")).containsExactly("OK");
            assertThat(f.at("AT+URAT?")).containsExactly("+URAT: 8,7", "OK");
            f.at("AT+CFUN=0");
            assertThat(f.at("AT+UCGED?")).element(1).isEqualTo("6,2,fff,fff");
        }
    }

    @Test
    void genericModuleSpeaksOnly27007() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC)) {
            assertThat(f.at("ATI")).containsExactly("Sitegate", "SG-SIM LTE", "Revision: SG01.00.00", "OK");
            assertThat(f.at("AT+CCID")).containsExactly("+CCID: 89490200001234567890", "OK");
            assertThat(f.at("AT+QCSQ")).containsExactly("+CME ERROR: 4");
        }
    }

    /**
     * SIM7080G as in "SIM7070_SIM7080_SIM7090 Series AT Command Manual" V1.07: ATI §2.2.5, AT+CCID §5.2.8 (bare
     * digits), AT+CNMP §5.2.16, AT+CMNB §5.2.17, AT+CPSI §5.2.19 (whole units, SINR = 2 * RSSNR - 20), AT+CGAUTH
     * with the password before the user.
     */
    @Test
    void simcomSim7080() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7080, SCENE)) {
            assertThat(f.at("ATI")).containsExactly("R1951.01", "OK");
            assertThat(f.at("AT+CGMM")).containsExactly("SIMCOM_SIM7080G", "OK");
            assertThat(f.at("AT+CCID")).containsExactly("89490200001234567890", "OK");
            assertThat(f.at("AT+CICCID")).containsExactly("ERROR");
            assertThat(f.at("AT+CNMP=?")).containsExactly(
                    "+CNMP: ((2-Automatic),(13-GSM Only),(38-LTE Only),(51-GSM And LTE Only))", "OK");
            assertThat(f.at("AT+CNMP=38")).containsExactly("OK");
            assertThat(f.at("AT+CNMP?")).containsExactly("+CNMP: 38", "OK");
            assertThat(f.at("AT+CNMP=14")).containsExactly("ERROR");
            assertThat(f.at("AT+CMNB=1")).containsExactly("OK");
            assertThat(f.at("AT+CMNB?")).containsExactly("+CMNB: 1", "OK");
            assertThat(f.at("AT+CMNB=4")).containsExactly("ERROR");
            // sinr 12 dB -> RSSNR 16
            assertThat(f.at("AT+CPSI?")).containsExactly(
                    "+CPSI: LTE CAT-M1,Online,262-01,0x1A2B,27440068,94,EUTRAN-BAND20,6300,5,5,-10,-95,-71,16", "OK");
            assertThat(f.at("AT+CGAUTH=1,1,\"s3cret\",\"webuser\"")).containsExactly("OK");
            assertThat(f.at("AT+CGAUTH?")).containsExactly("+CGAUTH: 1,1,\"webuser\"", "OK");
            assertThat(f.at("AT+CGAUTH=1,1")).containsExactly("ERROR");
            assertThat(f.at("AT+QCSQ")).containsExactly("ERROR");
        }
    }

    @Test
    void simcomSim7080ReportsNbIotCells() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7080, SCENE, "set reg 1 act=9")) {
            assertThat(f.at("AT+CPSI?")).hasSize(2).first().asString().startsWith("+CPSI: LTE NB-IOT,Online,")
                    .contains(",0,0,-10,-95,-71,16");
        }
    }
}
