package io.sitegate.modem.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.modem.AtCommand;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrcClassifierTest {

    private final UrcClassifier classifier = new UrcClassifier(Set.of("+QIND:", "^SYSSTART"));

    private boolean isUrc(String line, String command) {
        return classifier.classify(line, command == null ? null : AtCommand.of(command)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+CREG: 0,1", "+CREG: 2,5,\"00C3\",\"0010ABCD\",7", "+CREG: 0,1,\"00C3\",\"0010ABCD\""})
    void registrationReadResponseStartsWithTwoIntegers(String line) {
        assertThat(isUrc(line, "AT+CREG?")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+CREG: 1", "+CREG: 1,\"00C3\",\"0010ABCD\"", "+CREG: 5,\"00C3\",\"0010ABCD\",7",
            "+CEREG: 1,,,7"})
    void registrationUrcShapesAreUrcsEvenDuringTheirQuery(String line) {
        String query = line.startsWith("+CEREG") ? "AT+CEREG?" : "AT+CREG?";
        assertThat(isUrc(line, query)).isTrue();
    }

    @Test
    void registrationLineDuringASetCommandIsAUrc() {
        assertThat(isUrc("+CREG: 0,1", "AT+CREG=2")).isTrue();
    }

    @Test
    void expectedPrefixIsAResponseOtherPrefixesAreUrcs() {
        assertThat(isUrc("+CSQ: 23,99", "AT+CSQ")).isFalse();
        assertThat(isUrc("+CPIN: READY", "AT+CPIN?")).isFalse();
        assertThat(isUrc("+CPIN: READY", "AT+CSQ")).isTrue();
        assertThat(isUrc("+CPIN: READY", null)).isTrue();
        assertThat(isUrc("+XYZNEW: 1,2", "AT+CSQ")).isTrue();
        assertThat(isUrc("+CGEV: ME PDN ACT 1", "AT+CGACT=1,1")).isTrue();
    }

    @Test
    void bareAndVendorCodesAreUrcs() {
        assertThat(isUrc("RDY", "ATI")).isTrue();
        assertThat(isUrc("+QIND: SMS DONE", "AT+CSQ")).isTrue();
        assertThat(isUrc("^SYSSTART", null)).isTrue();
        assertThat(classifier.classify("+QUSIM: 1", null)).get()
                .extracting(UrcClassifier.UrcMatch::prefix).isEqualTo("+QUSIM:");
    }

    @Test
    void unprefixedLinesBelongToTheCommand() {
        assertThat(isUrc("866758041234567", "AT+CGSN")).isFalse();
        assertThat(isUrc("Revision: EG25GGBR07A08M2G", "ATI")).isFalse();
    }

    @Test
    void twoLineCodesAskForTheirSecondLine() {
        assertThat(classifier.classify("+CMT: \"+4917012\",,\"24/03/01,10:15:00+04\"", null).orElseThrow()
                .needsSecondLine()).isTrue();
        assertThat(classifier.classify("+CDS: 25", null).orElseThrow().needsSecondLine()).isTrue();
        assertThat(classifier.classify("+CDS: 6,7,\"+4917012\",145,\"24/03/01\",\"24/03/01\",0", null).orElseThrow()
                .needsSecondLine()).isFalse();
        assertThat(classifier.classify("+CMTI: \"SM\",3", null).orElseThrow().needsSecondLine()).isFalse();
    }
}
