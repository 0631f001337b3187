package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GeneralCommandsTest {

    @Test
    void echoIsReallyOnAndOff() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.host.send("AT\r");
            assertThat(f.host.awaitText("OK\r\n")).isEqualTo("\r\nOK\r\n"); // ATE0 in force: no echo
            f.host.send("ATE1\r");
            f.host.awaitText("OK\r\n");
            f.host.send("AT+CSQ\r");
            assertThat(f.host.awaitText("OK\r\n")).isEqualTo("AT+CSQ\r\r\n+CSQ: 21,99\r\n\r\nOK\r\n");
        }
    }

    @Test
    void acceptsCrLfTerminatedCommandsAndIgnoresNoise() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC)) {
            f.host.send("garbage\r\nAT+CGMI\r\n");
            assertThat(f.host.awaitLines(TestHost::isFinal)).containsExactly("Sitegate", "OK");
            assertThat(f.simulator.journal().commands()).containsExactly("ATE0", "AT+CGMI");
        }
    }

    @Test
    void identityCommandsAnswerTheConfiguredIdentity() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set imei 490154203237518",
                "set imsi 262019876543210", "set iccid 89490200009876543210")) {
            assertThat(f.at("AT+CGSN")).containsExactly("490154203237518", "OK");
            assertThat(f.at("AT+GSN")).containsExactly("490154203237518", "OK");
            assertThat(f.at("AT+CIMI")).containsExactly("262019876543210", "OK");
            assertThat(f.at("AT+QCCID")).containsExactly("+QCCID: 89490200009876543210", "OK");
            assertThat(f.at("AT+CGMI")).containsExactly("Quectel", "OK");
            assertThat(f.at("AT+CGMM")).containsExactly("EC25", "OK");
            assertThat(f.at("AT+CGMR")).containsExactly("EC25EFAR06A06M4G", "OK");
        }
    }

    @Test
    void cmeeSelectsNumericOrVerboseErrors() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.UBLOX_SARA_R4)) {
            assertThat(f.at("AT+CMEE?")).containsExactly("+CMEE: 0", "OK");
            assertThat(f.at("AT+NOSUCH")).containsExactly("ERROR");
            f.at("AT+CMEE=1");
            assertThat(f.at("AT+NOSUCH")).containsExactly("+CME ERROR: 4");
            f.at("AT+CMEE=2");
            assertThat(f.at("AT+NOSUCH")).containsExactly("+CME ERROR: operation not supported");
            assertThat(f.at("AT+CMEE=7")).containsExactly("+CME ERROR: incorrect parameters");
            assertThat(f.at("AT+CSQ;+NOSUCH;+CGMI")).containsExactly("+CSQ: 21,99",
                    "+CME ERROR: operation not supported");
        }
    }

    @Test
    void pinLockedSimAsksForThePinAndUnlocks() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set sim pin 4321")) {
            f.host.drain(Duration.ofMillis(50));
            assertThat(f.at("AT+CPIN?")).containsExactly("+CPIN: SIM PIN", "OK");
            assertThat(f.at("AT+CIMI")).containsExactly("+CME ERROR: 11");
            assertThat(f.at("AT+QCCID")).containsExactly("+QCCID: 89490200001234567890", "OK");
            assertThat(f.at("AT+CPIN=1111")).containsExactly("+CME ERROR: 16");
            assertThat(f.at("AT+CPIN=\"4321\"")).containsExactly("OK");
            assertThat(f.host.awaitLines(l -> l.equals("+QIND: PB DONE"))).containsExactly("+CPIN: READY",
                    "+QIND: SMS DONE", "+QIND: PB DONE");
            assertThat(f.at("AT+CPIN?")).containsExactly("+CPIN: READY", "OK");
            assertThat(f.simulator.journal().commands()).contains("AT+CPIN=****", "AT+CPIN=****")
                    .noneMatch(c -> c.contains("4321") || c.contains("1111"));
        }
    }

    @Test
    void threeWrongPinsBlockTheSimUntilThePuk() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC, "set sim pin 1234")) {
            for (int i = 0; i < 3; i++) {
                assertThat(f.at("AT+CPIN=0000")).containsExactly("+CME ERROR: 16");
            }
            assertThat(f.at("AT+CPIN?")).containsExactly("+CPIN: SIM PUK", "OK");
            assertThat(f.at("AT+CPIN=1234")).containsExactly("+CME ERROR: 16");
            assertThat(f.at("AT+CPIN=" + GeneralCommands.PUK + ",5678")).containsExactly("OK");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CPIN"))).containsExactly("+CPIN: READY");
            assertThat(f.at("AT+CPIN?")).containsExactly("+CPIN: READY", "OK");
        }
    }

    @Test
    void absentSimAnswersCme10() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7600, "set sim absent", "set cmee 1")) {
            assertThat(f.at("AT+CPIN?")).containsExactly("+CME ERROR: 10");
            assertThat(f.at("AT+CIMI")).containsExactly("+CME ERROR: 10");
            assertThat(f.at("AT+CICCID")).containsExactly("+CME ERROR: 10");
            assertThat(f.at("AT+CREG?")).containsExactly("+CREG: 0,0", "OK");
        }
    }

    @Test
    void simHotSwapIsAnnounced() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC)) {
            f.simulator.apply("set sim absent");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CPIN"))).containsExactly("+CPIN: NOT READY");
            f.simulator.apply("set sim present");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CPIN"))).containsExactly("+CPIN: READY");
        }
    }
}
