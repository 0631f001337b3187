package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsTest {

    @Test
    void sendUsesThePromptAndCtrlZ() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.at("AT+CMGF=1");
            f.host.send("AT+CMGS=\"+491701234567\"\r");
            assertThat(f.host.awaitText("> ")).isEqualTo("\r\n> ");
            f.host.send("hello gateway\u001A");
            assertThat(f.host.awaitLines(TestHost::isFinal)).containsExactly("+CMGS: 1", "OK");
            f.host.send("AT+CMGS=\"+491701234567\"\r");
            f.host.awaitText("> ");
            f.host.send("second\u001A");
            assertThat(f.host.awaitLines(TestHost::isFinal)).containsExactly("+CMGS: 2", "OK");
            assertThat(f.simulator.modem().state().sms().outbox()).extracting(SmsStorage.Message::text)
                    .containsExactly("hello gateway", "second");
        }
    }

    @Test
    void escCancelsTheMessage() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.SIMCOM_SIM7600)) {
            f.host.send("AT+CMGS=\"+49170\"\r");
            f.host.awaitText("> ");
            f.host.send("never mind\u001B");
            assertThat(f.host.awaitLines(TestHost::isFinal)).containsExactly("OK");
            assertThat(f.simulator.modem().state().sms().outbox()).isEmpty();
            assertThat(f.at("AT")).containsExactly("OK"); // back in command mode
        }
    }

    @Test
    void sendingNeedsSimAndNetwork() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.GENERIC, "set reg 0")) {
            assertThat(f.at("AT+CMGS=\"+49170\"")).containsExactly("+CMS ERROR: 331");
            f.simulator.apply("set sim absent");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CPIN"))).isNotEmpty();
            assertThat(f.at("AT+CMGS=\"+49170\"")).containsExactly("+CMS ERROR: 310");
        }
    }

    @Test
    void incomingMessagesAreStoredAnnouncedListedReadAndDeleted() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.at("AT+CMGF=1");
            f.simulator.apply("sms from=+491701234567 text=\"hello there\"");
            assertThat(f.host.awaitLines(l -> l.startsWith("+CMTI"))).containsExactly("+CMTI: \"SM\",1");
            f.simulator.apply("sms from=+491709999999 text=second");
            f.host.awaitLines(l -> l.startsWith("+CMTI"));
            java.util.List<String> list = f.at("AT+CMGL=\"REC UNREAD\"");
            assertThat(list).hasSize(5);
            assertThat(list.get(0)).matches("\\+CMGL: 1,\"REC UNREAD\",\"\\+491701234567\",,\"\\d\\d/\\d\\d/\\d\\d,"
                    + "\\d\\d:\\d\\d:\\d\\d\\+00\"");
            assertThat(list.get(1)).isEqualTo("hello there");
            assertThat(list.get(3)).isEqualTo("second");
            assertThat(f.at("AT+CMGL=\"REC UNREAD\"")).containsExactly("OK");
            assertThat(f.at("AT+CMGR=2")).element(0).asString().startsWith("+CMGR: \"REC READ\",\"+491709999999\",,");
            assertThat(f.at("AT+CPMS?")).containsExactly("+CPMS: \"SM\",2,30,\"SM\",2,30,\"SM\",2,30", "OK");
            assertThat(f.at("AT+CMGD=1")).containsExactly("OK");
            assertThat(f.at("AT+CMGR=1")).containsExactly("OK");
            assertThat(f.at("AT+CMGR=99")).containsExactly("+CMS ERROR: 321");
            assertThat(f.at("AT+CMGD=1,4")).containsExactly("OK");
            assertThat(f.at("AT+CMGL=\"ALL\"")).containsExactly("OK");
        }
    }
}
