package io.sitegate.modem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtCommandTest {

    @ParameterizedTest
    @CsvSource({"AT+CREG?,+CREG:", "at+cgsn,+CGSN:", "AT+QCFG=\"nwscanmode\",+QCFG:", "AT+COPS=?,+COPS:",
            "AT^SYSINFO,^SYSINFO:", "AT#GDATAVOL=1,#GDATAVOL:"})
    void derivesTheResponsePrefixFromTheCommandName(String line, String prefix) {
        assertThat(AtCommand.of(line).responsePrefix()).isEqualTo(prefix);
    }

    @Test
    void commandsWithoutExtendedNameExpectNoPrefix() {
        assertThat(AtCommand.of("ATI").responsePrefix()).isNull();
        assertThat(AtCommand.of("AT").responsePrefix()).isNull();
    }

    @Test
    void defaultTimeoutsFollowTheVendorWorstCases() {
        assertThat(AtCommand.of("AT+CSQ").timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(AtCommand.of("AT+COPS=?").timeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(AtCommand.smsText("+4917012345", "hi").timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AtCommand.of("AT+CGACT=1,1").timeout()).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void pinsAndPasswordsNeverShowInLoggableForms() {
        AtCommand pin = AtCommand.of("AT+CPIN=\"1234\"");
        assertThat(pin.loggable()).isEqualTo("AT+CPIN=\"****\"").doesNotContain("1234");
        assertThat(pin.toString()).doesNotContain("1234");
        assertThat(AtCommand.of("at+cpin=1234,5678").loggable()).isEqualTo("at+cpin=****,****");
        assertThat(AtCommand.of("AT+CLCK=\"SC\",0,\"1234\"").loggable()).doesNotContain("1234");
        assertThat(AtCommand.mask("AT+CPIN=\"1234\"")).isEqualTo("AT+CPIN=\"****\"");
        assertThat(AtCommand.of("AT+CPIN?").loggable()).isEqualTo("AT+CPIN?");
        assertThatThrownBy(() -> AtCommand.of("AT+CPIN=\"9999\"\r")).hasMessageNotContaining("9999");
    }

    @Test
    void rejectsLinesThatWouldBreakFraming() {
        assertThatThrownBy(() -> AtCommand.of("AT\r\nAT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.smsText("+49\"; AT+CFUN=0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.smsText("+4917012", "a\u001Ab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtCommand.of("AT", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imeiLuhnAndIccidLengthChecks() {
        assertThat(ModemIdentifiers.luhnValid("79927398713")).isTrue();
        assertThat(ModemIdentifiers.isValidImei("490154203237518")).isTrue();
        assertThat(ModemIdentifiers.isValidImei("490154203237517")).isFalse();
        assertThat(ModemIdentifiers.isValidImei("49015420323751")).isFalse();
        assertThat(ModemIdentifiers.isValidIccid("89860318760238209394")).isTrue();
        assertThat(ModemIdentifiers.isValidIccid("8944110068256270054F")).isTrue();
        assertThat(ModemIdentifiers.isValidIccid("89860318760")).isFalse();
        assertThat(ModemIdentifiers.isValidIccid("8986031876023820939X")).isFalse();
    }
}
