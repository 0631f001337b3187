package io.sitegate.modem.internal.service;

import io.sitegate.core.SafeText;
import io.sitegate.modem.AtChannelClosedException;
import io.sitegate.modem.AtCommandException;
import io.sitegate.modem.AtError;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtTimeoutException;
import io.sitegate.modem.FinalResult;

import java.util.Locale;
import java.util.Optional;

/**
 * A failed step of bringing a modem up, in a technician's words: the step, the command and the modem's
 * own error when it answered ({@code init: AT+CMEE=1 refused: +CME ERROR: 4 (operation not supported)}),
 * "no answer" only when it stayed silent, and a closed line or an unreadable answer as what they are.
 */
final class StepFailure {
    private StepFailure() {
    }

    /** {@code <step>: <what happened>}. */
    static String describe(String step, Throwable e) {
        return step + ": " + describe(e);
    }

    /** What happened, without the step. */
    static String describe(Throwable e) {
        if (e instanceof AtCommandException ce) {
            return ce.response().command().loggable() + " refused: " + modemSays(ce.response().result());
        }
        if (e instanceof AtTimeoutException) {
            return "no answer from the modem (" + e.getMessage() + ")";
        }
        if (e instanceof AtChannelClosedException) {
            return "the line to the modem closed (" + e.getMessage() + ")";
        }
        if (e instanceof AtParseException) {
            return "unreadable answer from the modem (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The final result as the modem sent it, with the 27.007 text when it gave only a number. */
    static String modemSays(FinalResult result) {
        String line = SafeText.escape(result.line());
        Optional<AtError> error = result.error();
        if (error.isPresent() && error.get().code().isPresent()
                && !line.toLowerCase(Locale.ROOT).contains(error.get().description().toLowerCase(Locale.ROOT))) {
            return line + " (" + SafeText.escape(error.get().description()) + ")";
        }
        return line;
    }
}
