package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {

    private static final String SCRIPT = """
            # roaming demo
            set imei 867962040000013
            set sim pin 1234
            set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name="Telekom.de"
            set signal rssi=-71 rsrp=-95 rsrq=-10 sinr=12

            after 2s urc +CEREG: 1,"1A2B","01A2B3C4",7
            after 3s set reg 5 oper=20801 name="Orange F"
            after 1.5s after 500ms sms from=+491701234567 text="hello"
            set apn-allowed internet.iot,m2m.iot
            set counters rate=1000/s
            fault no-answer AT+COPS?
            fault garbage 200
            fault cme AT+CSQ 30
            fault delay AT+CGACT=1,1 2s
            fault drop
            fault urc-storm 10000 +CREG: 1
            on AT+COPS=? urc +CEREG: 2
            fault clear AT+CSQ
            reset
            """;

    @Test
    void parsesTheDocumentedStatements() throws Exception {
        Scenario s = ScenarioParser.parse(SCRIPT, "demo.scn");
        assertThat(s.steps()).hasSize(18);
        assertThat(s.steps().get(0).line()).isEqualTo(2);
        assertThat(s.steps().get(4).delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.steps().get(6).delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.steps().get(3).delay()).isZero();
    }

    @Test
    void parsesDurations() {
        assertThat(ScenarioParser.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ScenarioParser.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ScenarioParser.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> ScenarioParser.duration("2 s")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> ScenarioParser.duration("soon")).hasMessageContaining("bad duration");
    }

    @Test
    void errorsNameTheLine() {
        assertError("set imei 123", 3, "IMEI must be 15 digits");
        assertError("set reg 7", 3, "registration status 7 out of range 0..5");
        assertError("set reg 1 colour=blue", 3, "unexpected [colour=blue]");
        assertError("set reg 1 tac=XYZ", 3, "tac/lac must be 1 to 8 hex digits");
        assertError("set sim maybe", 3, "set sim takes present, absent or pin");
        assertError("set signal rssi=loud", 3, "bad rssi 'loud'");
        assertError("after soon urc RDY", 3, "bad duration 'soon'");
        assertError("after 2s", 3, "missing statement");
        assertError("fault explode", 3, "unknown fault 'explode'");
        assertError("fault cme AT+CSQ", 3, "fault cme needs an error code");
        assertError("fault garbage 0", 3, "byte count 0 out of range");
        assertError("on AT+CSQ +CREG: 1", 3, "expected 'on <command> urc <line>'");
        assertError("sms from=+4917 text=\"unterminated", 3, "unbalanced double quote");
        assertError("sms text=hi", 3, "sms needs from=<number>");
        assertError("dance", 3, "unknown statement 'dance'");
        assertError("set counters rate=fast", 3, "bad byte count or rate 'fast'");
    }

    private static void assertError(String bad, int line, String message) {
        String script = "# header\nset imei 867962040000013\n" + bad + "\nset sim present\n";
        assertThatThrownBy(() -> ScenarioParser.parse(script, "test.scn"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("test.scn:" + line + ": ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ScenarioException) e).lineNumber()).isEqualTo(line));
    }

    @Test
    void scriptStatementsChangeTheModem() throws Exception {
        try (SimulatorFixture f = SimulatorFixture.of(Vendor.QUECTEL_EC25)) {
            f.simulator.run(ScenarioParser.parse("""
                    set imei 490154203237518
                    set manufacturer "ACME Radio"
                    set reg 5 act=9 lac=00FF ci=ABC oper=20801 name="Orange F"
                    set dns 1.1.1.1 9.9.9.9
                    """, "inline"));
            assertThat(f.at("AT+CGSN")).containsExactly("490154203237518", "OK");
            assertThat(f.at("AT+CGMI")).containsExactly("ACME Radio", "OK");
            f.at("AT+CGREG=2");
            assertThat(f.at("AT+CGREG?")).containsExactly("+CGREG: 2,5,\"00FF\",\"ABC\",9", "OK");
            assertThat(f.at("AT+QIDNSCFG=1")).containsExactly("+QIDNSCFG: 1,\"1.1.1.1\",\"9.9.9.9\"", "OK");
            assertThat(f.at("AT+COPS=?")).element(0).asString().contains("(2,\"Orange F\",\"Orange F\",\"20801\",9)");
        }
    }
}
