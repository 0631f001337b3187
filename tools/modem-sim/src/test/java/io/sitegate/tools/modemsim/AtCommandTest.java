package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AtCommandTest {

    @Test
    void parsesTheFourFormsOfExtendedCommands() {
        assertThat(AtCommand.parseLine("AT+CSQ")).containsExactly(new AtCommand("+CSQ", AtCommand.Kind.EXEC, ""));
        assertThat(AtCommand.parseLine("at+cereg?")).containsExactly(new AtCommand("+CEREG", AtCommand.Kind.READ, ""));
        assertThat(AtCommand.parseLine("AT+COPS=?")).containsExactly(new AtCommand("+COPS", AtCommand.Kind.TEST, ""));
        assertThat(AtCommand.parseLine("AT+QCFG=\"nwscanmode\",3,1"))
                .containsExactly(new AtCommand("+QCFG", AtCommand.Kind.SET, "\"nwscanmode\",3,1"));
    }

    @Test
    void parsesBareAtAndChainedBasicCommands() {
        assertThat(AtCommand.parseLine("AT")).containsExactly(new AtCommand("", AtCommand.Kind.EXEC, ""));
        assertThat(AtCommand.parseLine("ATE0V1")).containsExactly(new AtCommand("E", AtCommand.Kind.SET, "0"),
                new AtCommand("V", AtCommand.Kind.SET, "1"));
        assertThat(AtCommand.parseLine("AT&F")).containsExactly(new AtCommand("&F", AtCommand.Kind.EXEC, ""));
        assertThat(AtCommand.parseLine("ATI")).containsExactly(new AtCommand("I", AtCommand.Kind.EXEC, ""));
    }

    @Test
    void splitsConcatenatedCommandsOutsideQuotes() {
        List<AtCommand> commands = AtCommand.parseLine("AT+CSQ;+CMGS=\"a;b\";E1");
        assertThat(commands).extracting(AtCommand::name).containsExactly("+CSQ", "+CMGS", "E");
        assertThat(commands.get(1).param(0)).isEqualTo("a;b");
    }

    @Test
    void readsParametersWithQuotesAndEmptyFields() {
        AtCommand c = AtCommand.parseLine("AT+CGDCONT=1,\"IP\",\"internet.iot\",,0").get(0);
        assertThat(c.params()).containsExactly("1", "\"IP\"", "\"internet.iot\"", "", "0");
        assertThat(c.intParam(0)).isEqualTo(1);
        assertThat(c.param(2)).isEqualTo("internet.iot");
        assertThat(c.param(3)).isNull();
        assertThat(c.param(9)).isNull();
    }

    @Test
    void rejectsLinesThatAreNotCommands() {
        assertThatThrownBy(() -> AtCommand.parseLine("HELLO")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.parseLine("AT+CMGS=\"unterminated"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.parseLine("AT1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imeiCheckDigitFollowsLuhn() {
        assertThat(ImeiCheckDigit.complete("49015420323751")).isEqualTo("490154203237518");
        assertThat(ImeiCheckDigit.isValid(ModemState.DEFAULT_IMEI)).isTrue();
        assertThat(ImeiCheckDigit.isValid("490154203237519")).isFalse();
        assertThat(ImeiCheckDigit.isValid("12345")).isFalse();
    }
}
