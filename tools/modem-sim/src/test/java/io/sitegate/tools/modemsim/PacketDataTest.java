package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketDataTest {

    @Test
    void definesActivatesAndAddressesContexts() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set ip 10.1.2.3")) {
            assertThat(f.at("AT+CGDCONT=1,\"IP\",\"internet.iot\"")).containsExactly("OK");
            assertThat(f.at("AT+CGDCONT?")).containsExactly("+CGDCONT: 1,\"IP\",\"internet.iot\",\"0.0.0.0\",0,0,0,0",
                    "OK");
            assertThat(f.at("AT+CGDCONT=1,\"X25\",\"a\"")).containsExactly("+CME ERROR: 50");
            assertThat(f.at("AT+CGPADDR=1")).containsExactly("+CGPADDR: 1,\"0.0.0.0\"", "OK");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("OK");
            assertThat(f.at("AT+CGACT?")).containsExactly("+CGACT: 1,1", "OK");
            assertThat(f.at("AT+CGPADDR=1")).containsExactly("+CGPADDR: 1,\"10.1.2.3\"", "OK");
            assertThat(f.at("AT+CGACT=1,5")).containsExactly("+CME ERROR: 3");
            assertThat(f.at("AT+CGACT=0,1")).containsExactly("OK");
            assertThat(f.at("AT+CGACT?")).containsExactly("+CGACT: 1,0", "OK");
        }
    }

    @Test
    void apnOutsideTheSubscriptionIsRejectedWithCause33() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25, "set apn-allowed internet.iot",
                "set cmee 2")) {
            f.at("AT+CGDCONT=1,\"IP\",\"wrong.apn\"");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("+CME ERROR: requested service option not subscribed");
            f.at("AT+CMEE=1");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("+CME ERROR: 133");
            f.at("AT+CGDCONT=1,\"IP\",\"INTERNET.IOT\"");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("OK");
        }
    }

    @Test
    void activationNeedsRegistration() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC, "set reg 2", "set cmee 1")) {
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("+CME ERROR: 30");
            f.simulator.apply("set reg 1");
            assertThat(f.at("AT+CGACT=1,1")).containsExactly("OK");
            f.simulator.apply("set reg 3"); // denied: the session drops
            assertThat(f.at("AT+CGACT?")).containsExactly("+CGACT: 1,0", "OK");
        }
    }

    @Test
    void countersAdvanceWhileTheSessionIsUpAndReset() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_BG96, "set counters tx-rate=250/s rx-rate=1000/s")) {
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 0,0", "OK");
            f.nanos.addAndGet(5_000_000_000L); // no session: nothing counted
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 0,0", "OK");
            f.at("AT+CGACT=1,1");
            f.nanos.addAndGet(2_000_000_000L);
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 500,2000", "OK");
            f.at("AT+CGACT=0,1");
            f.nanos.addAndGet(2_000_000_000L);
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 500,2000", "OK");
            assertThat(f.at("AT+QGDCNT=0")).containsExactly("OK");
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 0,0", "OK");
            f.simulator.apply("set counters sent=10 received=20");
            assertThat(f.at("AT+QGDCNT?")).containsExactly("+QGDCNT: 10,20", "OK");
            assertThat(f.at("AT+QGDCNT=7")).containsExactly("+CME ERROR: 50");
        }
    }

    @Test
    void simcomPrintsAddressesUnquoted() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7600)) {
            f.at("AT+CGACT=1,1");
            assertThat(f.at("AT+CGPADDR")).containsExactly("+CGPADDR: 1,10.64.12.34", "OK");
        }
    }
}
