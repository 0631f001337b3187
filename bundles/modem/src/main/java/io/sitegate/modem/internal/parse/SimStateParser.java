package io.sitegate.modem.internal.parse;

import io.sitegate.modem.AtError;
import io.sitegate.modem.AtParseException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.SimState;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code AT+CPIN?} (3GPP TS 27.007 §8.3): {@code +CPIN: READY|SIM PIN|SIM PUK|...}, or an error: CME 10
 * means no SIM, CME 11/12 mean PIN/PUK, CME 13/14/15 a failing SIM.
 */
public final class SimStateParser {

    private SimStateParser() {
    }

    /** The SIM state from a successful or failed {@code AT+CPIN?}. */
    public static SimState parse(AtResponse response) throws AtParseException {
        if (!response.isOk()) {
            Optional<AtError> error = response.result().error();
            if (error.isPresent() && error.get().kind() == AtError.Kind.CME && error.get().code().isPresent()) {
                switch (error.get().code().getAsInt()) {
                    case 10: return SimState.ABSENT;
                    case 11: return SimState.PIN_REQUIRED;
                    case 12: return SimState.PUK_REQUIRED;
                    case 13: case 14: case 15: return SimState.FAILURE;
                    default: break;
                }
            }
            throw ReplyLines.fail(response, response.result().line(), "AT+CPIN? failed without a SIM state");
        }
        String value = ReplyLines.payloadOf(response, "+CPIN:").toUpperCase(Locale.ROOT);
        switch (value) {
            case "READY": return SimState.READY;
            case "SIM PIN": return SimState.PIN_REQUIRED;
            case "SIM PUK": return SimState.PUK_REQUIRED;
            case "NOT INSERTED": case "NOT READY": return SimState.ABSENT;
            default:
                if (value.startsWith("SIM P") || value.startsWith("PH-")) {
                    return SimState.OTHER_LOCK;
                }
                throw ReplyLines.fail(response, "+CPIN: " + value, "unknown SIM state");
        }
    }
}
