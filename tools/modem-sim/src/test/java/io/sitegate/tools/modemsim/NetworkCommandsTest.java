package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkCommandsTest {

    @Test
    void registrationReportModesShapeReadAnswersAndUrcs() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25,
                "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"")) {
            assertThat(f.at("AT+CREG?")).containsExactly("+CREG: 0,1", "OK");
            f.at("AT+CREG=1");
            f.at("AT+CEREG=2");
            assertThat(f.at("AT+CEREG?")).containsExactly("+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",7", "OK");
            f.simulator.apply("set reg 5 tac=BEEF ci=0C0FFEE oper=20801 name=\"Orange F\"");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CEREG"))).containsExactly("+CREG: 5",
                    "+CEREG: 5,\"BEEF\",\"0C0FFEE\",7");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 0,0,\"Orange F\",7", "OK");
            f.at("AT+COPS=3,2");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 0,2,\"20801\",7", "OK");
            f.at("AT+CREG=2");
            assertThat(f.at("AT+CREG?")).containsExactly("+CREG: 2,5,\"BEEF\",\"0C0FFEE\",7", "OK");
            assertThat(f.at("AT+CGREG=3")).containsExactly("+CME ERROR: 50");
        }
    }

    @Test
    void copsScanListsVisibleNetworksAndManualSelection() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25,
                "set networks 26201=\"Telekom.de\" 26202=\"Vodafone.de\"")) {
            assertThat(f.at("AT+COPS=?")).containsExactly("+COPS: (2,\"Telekom.de\",\"Telekom.de\",\"26201\",7),"
                    + "(1,\"Vodafone.de\",\"Vodafone.de\",\"26202\",7),,(0-4),(0-2)", "OK");
            assertThat(f.at("AT+COPS=1,2,\"26202\"")).containsExactly("OK");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 1,2,\"26202\",7", "OK");
            assertThat(f.at("AT+COPS=1,2,\"99999\"")).containsExactly("+CME ERROR: 30");
            assertThat(f.at("AT+COPS=0")).containsExactly("OK");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 0,2,\"26201\",7", "OK");
            assertThat(f.at("AT+COPS=2")).containsExactly("OK");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 2", "OK");
            assertThat(f.simulator.journal().commands()).contains("AT+COPS=1,2,\"26202\"");
        }
    }

    @Test
    void cfunTakesTheRadioDownAndResetReboots() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.at("AT+CEREG=1");
            assertThat(f.at("AT+CFUN=4")).containsExactly("OK");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CEREG"))).containsExactly("+CEREG: 0");
            assertThat(f.at("AT+CFUN?")).containsExactly("+CFUN: 4", "OK");
            assertThat(f.at("AT+CSQ")).containsExactly("+CSQ: 99,99", "OK");
            assertThat(f.at("AT+CESQ")).containsExactly("+CESQ: 99,99,255,255,255,255", "OK");
            f.at("AT+CFUN=1");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CEREG"))).containsExactly("+CEREG: 1");
            assertThat(f.at("AT+CFUN=1,1")).containsExactly("OK");
            assertThat(f.host.awaitLines(l -> l.equals("+QIND: PB DONE"))).startsWith("RDY", "+CFUN: 1",
                    "+CPIN: READY");
            // settings are back to power-on defaults: echo on, no registration URCs
            f.host.send("AT+CEREG?\r");
            assertThat(f.host.awaitText("OK\r\n")).isEqualTo("AT+CEREG?\r\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
            assertThat(f.at("AT+CFUN=2")).containsExactly("AT+CFUN=2\r", "+CME ERROR: 50");
        }
    }

    @Test
    void signalIsReportedOnTheStandardScales() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC,
                "set signal rssi=-51 rsrp=-140 rsrq=-3 sinr=30")) {
            assertThat(f.at("AT+CSQ")).containsExactly("+CSQ: 31,99", "OK");
            assertThat(f.at("AT+CESQ")).containsExactly("+CESQ: 99,99,255,255,34,1", "OK");
            f.simulator.apply("set signal rssi=-120 rsrp=-150 rsrq=-25");
            assertThat(f.at("AT+CSQ")).containsExactly("+CSQ: 0,99", "OK");
            assertThat(f.at("AT+CESQ")).containsExactly("+CESQ: 99,99,255,255,0,0", "OK");
            f.simulator.apply("set reg 1 act=0");
            f.simulator.apply("set signal rssi=-80");
            assertThat(f.at("AT+CESQ")).containsExactly("+CESQ: 31,99,255,255,255,255", "OK");
        }
    }
}
