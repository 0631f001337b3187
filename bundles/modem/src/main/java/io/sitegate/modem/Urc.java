package io.sitegate.modem;

import java.time.Instant;
import java.util.Optional;

/**
 * An unsolicited result code.
 *
 * @param prefix the code's prefix including the colon ({@code +CREG:}), or the whole word for bare codes ({@code RDY})
 * @param line the line as received
 * @param body the second line of two-line codes ({@code +CMT:} text, {@code +CDS:} PDU), otherwise null
 * @param receivedAt when the (first) line arrived
 */
public record Urc(String prefix, String line, String body, Instant receivedAt) {

    /** The text after the prefix, trimmed. */
    public String payload() {
        return line.length() > prefix.length() ? line.substring(prefix.length()).trim() : "";
    }

    /** The second line of two-line codes. */
    public Optional<String> secondLine() {
        return Optional.ofNullable(body);
    }
}
