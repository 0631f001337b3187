package io.sitegate.modem;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The complete answer to one command: its information lines (echo and URCs removed) and its final result.
 *
 * @param command the command answered
 * @param lines the information lines in arrival order
 * @param result the final result code
 * @param elapsed time from writing the command to receiving the final result
 */
public record AtResponse(AtCommand command, List<String> lines, FinalResult result, Duration elapsed) {

    /** Copies the lines. */
    public AtResponse {
        lines = List.copyOf(lines);
    }

    /** Whether the command succeeded. */
    public boolean isOk() {
        return result.isSuccess();
    }

    /** This response when it succeeded; otherwise an {@link AtCommandException} carrying it. */
    public AtResponse orThrow() throws AtCommandException {
        if (!isOk()) {
            throw new AtCommandException(this);
        }
        return this;
    }

    /** The lines starting with {@code prefix} (e.g. {@code +CGDCONT:}), prefix and following blanks removed. */
    public List<String> payloads(String prefix) {
        return lines.stream()
                .filter(l -> l.regionMatches(true, 0, prefix, 0, prefix.length()))
                .map(l -> l.substring(prefix.length()).trim())
                .collect(Collectors.toList());
    }
}
