package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.modem.AtChannelClosedException;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtCommandException;
import io.sitegate.modem.AtError;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.AtTimeoutException;
import io.sitegate.modem.FinalResult;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** How a failed step reads, and which answers mean "not supported". */
class StepFailureTest {

    private static AtResponse answer(String command, FinalResult result) {
        return new AtResponse(AtCommand.of(command), List.of(), result, Duration.ofMillis(5));
    }

    private static FinalResult cme(String line, Integer code, String text) {
        return new FinalResult(FinalResult.Kind.CME_ERROR, line,
                new AtError(AtError.Kind.CME, code == null ? OptionalInt.empty() : OptionalInt.of(code), text));
    }

    @Test
    void aRefusalNamesTheStepTheCommandAndTheModemsOwnError() {
        var numeric = new AtCommandException(answer("AT+QCFG=\"urc/ri/ring\",\"off\"", cme("+CME ERROR: 4", 4, "operation not supported")));
        assertThat(StepFailure.describe("init", numeric))
                .isEqualTo("init: AT+QCFG=\"urc/ri/ring\",\"off\" refused: +CME ERROR: 4 (operation not supported)");

        var verbose = new AtCommandException(answer("AT+CMEE=1", cme("+CME ERROR: operation not supported", 4, "operation not supported")));
        assertThat(StepFailure.describe("init", verbose)).isEqualTo("init: AT+CMEE=1 refused: +CME ERROR: operation not supported");

        var plain = new AtCommandException(answer("ATE0", new FinalResult(FinalResult.Kind.ERROR, "ERROR", null)));
        assertThat(StepFailure.describe("init", plain)).isEqualTo("init: ATE0 refused: ERROR");
    }

    @Test
    void onlySilenceIsNoAnswer() {
        assertThat(StepFailure.describe("init", new AtTimeoutException("ATE0 got no final result within PT3S (0 lines received)")))
                .isEqualTo("init: no answer from the modem (ATE0 got no final result within PT3S (0 lines received))");
        assertThat(StepFailure.describe("registration", new AtChannelClosedException("channel CLOSED", null)))
                .startsWith("registration: the line to the modem closed").doesNotContain("no answer");
        assertThat(StepFailure.describe("identity", new AtParseException("AT+CGSN", "12", "not an IMEI")))
                .startsWith("identity: unreadable answer from the modem").doesNotContain("no answer");
        var refused = new AtCommandException(answer("AT+COPS?", cme("+CME ERROR: 3", 3, "operation not allowed")));
        assertThat(StepFailure.describe("registration", refused)).doesNotContain("no answer");
    }

    @Test
    void aPlainErrorAndCme4MeanNotSupportedOtherErrorsDoNot() {
        assertThat(UnsupportedCommands.meansUnsupported(new FinalResult(FinalResult.Kind.ERROR, "ERROR", null))).isTrue();
        assertThat(UnsupportedCommands.meansUnsupported(cme("+CME ERROR: 4", 4, "operation not supported"))).isTrue();
        assertThat(UnsupportedCommands.meansUnsupported(cme("+CME ERROR: operation not supported", null, "operation not supported"))).isTrue();
        assertThat(UnsupportedCommands.meansUnsupported(cme("+CME ERROR: 3", 3, "operation not allowed"))).isFalse();
        assertThat(UnsupportedCommands.meansUnsupported(cme("+CME ERROR: 10", 10, "SIM not inserted"))).isFalse();
        assertThat(UnsupportedCommands.meansUnsupported(new FinalResult(FinalResult.Kind.NO_CARRIER, "NO CARRIER", null))).isFalse();
    }

    @Test
    void learnedCommandsArePerModel() {
        UnsupportedCommands memory = new UnsupportedCommands("wan0");
        AtResponse refused = answer("AT+CMEE=1", new FinalResult(FinalResult.Kind.ERROR, "ERROR", null));
        assertThat(memory.learn("Quectel EC25 (EC25)", "init", refused)).isTrue();
        assertThat(memory.skips("Quectel EC25 (EC25)", AtCommand.of("at+cmee=1"))).isTrue();
        assertThat(memory.skips("Quectel BG96/BG95 (BG96)", AtCommand.of("AT+CMEE=1"))).as("another model is asked").isFalse();

        AtResponse notAllowed = answer("AT+CNMI=2,1,0,0,0", cme("+CME ERROR: 3", 3, "operation not allowed"));
        assertThat(memory.learn("Quectel EC25 (EC25)", "init", notAllowed)).isFalse();
        assertThat(memory.of("Quectel EC25 (EC25)")).containsExactly("AT+CMEE=1");
    }
}
