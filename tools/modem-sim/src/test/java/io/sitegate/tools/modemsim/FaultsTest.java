package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void noAnswerSwallowsTheCommandButRecordsIt() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "fault no-answer AT+COPS?")) {
            f.host.send("AT+COPS?\r");
            assertThat(f.host.drain(Duration.ofMillis(300))).isEmpty();
            assertThat(f.simulator.journal().commands()).endsWith("AT+COPS?");
            assertThat(f.at("AT")).containsExactly("OK");
            f.simulator.apply("fault clear");
            assertThat(f.at("AT+COPS?")).containsExactly("+COPS: 0,0,\"Telekom.de\",7", "OK");
        }
    }

    @Test
    void cmeFaultAnswersTheGivenCodeAndPrefixPatternsMatch() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.UBLOX_SARA_R4, "fault cme AT+CSQ 30",
                "fault cme at+qcfg=* 100")) {
            assertThat(f.at("AT+CSQ")).containsExactly("+CME ERROR: 30");
            assertThat(f.at("at+csq")).containsExactly("+CME ERROR: 30");
            assertThat(f.at("AT+QCFG=\"band\"")).containsExactly("+CME ERROR: 100");
            f.at("AT+CMEE=2");
            assertThat(f.at("AT+CSQ")).containsExactly("+CME ERROR: no network service");
            f.simulator.apply("fault clear AT+CSQ");
            assertThat(f.at("AT+CSQ")).containsExactly("+CSQ: 21,99", "OK");
        }
    }

    @Test
    void urcCanLandInTheMiddleOfAnAnswer() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "on AT+CGDCONT? urc +CEREG: 5",
                "on AT+CSQ urc +CMTI: \"SM\",3")) {
            f.at("AT+CGDCONT=2,\"IP\",\"second\"");
            assertThat(f.at("AT+CGDCONT?")).containsExactly("+CGDCONT: 1,\"IP\",\"internet\",\"0.0.0.0\",0,0,0,0",
                    "+CEREG: 5", "+CGDCONT: 2,\"IP\",\"second\",\"0.0.0.0\",0,0,0,0", "OK");
            assertThat(f.at("AT+CSQ")).containsExactly("+CSQ: 21,99", "+CMTI: \"SM\",3", "OK");
        }
    }

    @Test
    void delayedAnswerLetsAScheduledUrcInFirst() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "fault delay AT+CGACT=1,1 400ms")) {
            f.host.send("AT+CGACT=1,1\r");
            f.simulator.apply("after 100ms urc +QIND: \"act\",\"LTE\"");
            assertThat(f.host.awaitLines(TestHost::isFinal)).containsExactly("+QIND: \"act\",\"LTE\"", "OK");
        }
    }

    @Test
    void garbageAndUrcStormReachTheHost() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            int before = f.host.receivedLength();
            f.simulator.apply("fault garbage 200");
            f.simulator.apply("fault urc-storm 5000 +CREG: 1");
            f.simulator.apply("urc STORM-END");
            long deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
            int stormBytes = 5000 * "\r\n+CREG: 1\r\n".length();
            while (f.host.receivedLength() - before < 200 + stormBytes && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(f.host.receivedLength() - before).isGreaterThanOrEqualTo(200 + stormBytes);
            assertThat(f.at("AT")).contains("OK"); // still answering after the storm
        }
    }

    @Test
    void dropClosesTheLineAndTheModuleComesBackBooted() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.at("AT+CMEE=2");
            f.simulator.apply("fault drop 500ms");
            long deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
            while (!f.host.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(f.host.isClosed()).isTrue();
            TestHost again = null;
            deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
            while (again == null && System.nanoTime() < deadline) {
                try {
                    again = TestHost.tcp(f.endpoint.port());
                } catch (java.io.IOException refused) {
                    Thread.sleep(50);
                }
            }
            assertThat(again).as("port back after the downtime").isNotNull();
            try (TestHost host = again) {
                List<String> boot = host.awaitLines(l -> l.equals("+QIND: PB DONE"));
                assertThat(boot).startsWith("RDY");
                assertThat(host.command("AT+CMEE?")).containsExactly("AT+CMEE?\r", "+CMEE: 1", "OK");
            }
        }
    }

    @Test
    void aNewTcpClientReplacesTheOldOne() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC);
                TestHost second = TestHost.tcp(f.endpoint.port())) {
            assertThat(second.command("AT+CGMI")).endsWith("Sitegate", "OK");
            long deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
            while (!f.host.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(f.host.isClosed()).isTrue();
        }
    }
}
