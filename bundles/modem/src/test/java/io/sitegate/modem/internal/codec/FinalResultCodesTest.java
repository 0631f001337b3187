package io.sitegate.modem.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.modem.AtError;
import io.sitegate.modem.FinalResult;
import io.sitegate.modem.FinalResult.Kind;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FinalResultCodesTest {

    @ParameterizedTest
    @CsvSource({"OK,OK", "ERROR,ERROR", "NO CARRIER,NO_CARRIER", "CONNECT,CONNECT", "CONNECT 150000000,CONNECT",
            "NO DIALTONE,NO_DIALTONE", "BUSY,BUSY", "NO ANSWER,NO_ANSWER", "ok,OK"})
    void recognisesEveryFinalResultCode(String line, Kind kind) {
        assertThat(FinalResultCodes.parse(line)).get().extracting(FinalResult::kind).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+CSQ: 23,99", "OKAY", "RDY", "", "+CME ERRORS", "Quectel"})
    void otherLinesAreNotFinal(String line) {
        assertThat(FinalResultCodes.parse(line)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10,SIM not inserted", "11,SIM PIN required", "12,SIM PUK required", "13,SIM failure",
            "14,SIM busy", "30,no network service", "100,unknown", "999,unknown error"})
    void numericCmeErrorsAreMappedPer27007(int code, String text) {
        FinalResult r = FinalResultCodes.parse("+CME ERROR: " + code).orElseThrow();
        assertThat(r.kind()).isEqualTo(Kind.CME_ERROR);
        assertThat(r.error()).contains(new AtError(AtError.Kind.CME, OptionalInt.of(code), text));
        assertThat(r.isSuccess()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"300,ME failure", "310,(U)SIM not inserted", "330,SMSC address unknown", "500,unknown error",
            "42,network cause 42 (3GPP TS 24.011 E.2)"})
    void numericCmsErrorsAreMappedPer27005(int code, String text) {
        assertThat(FinalResultCodes.parse("+CMS ERROR: " + code).orElseThrow().error().orElseThrow().description())
                .isEqualTo(text);
    }

    @Test
    void verboseErrorsKeepTheTextAndFindTheCode() {
        AtError e = FinalResultCodes.parse("+CME ERROR: SIM not inserted").orElseThrow().error().orElseThrow();
        assertThat(e.code()).hasValue(10);
        assertThat(e.isCme(10)).isTrue();
        AtError vendor = FinalResultCodes.parse("+CME ERROR: Invalid band mask").orElseThrow().error().orElseThrow();
        assertThat(vendor.code()).isEmpty();
        assertThat(vendor.describe()).isEqualTo("CME (Invalid band mask)");
    }
}
