package io.sitegate.modem;

import java.util.Objects;

/**
 * A command together with the parser of its reply.
 *
 * @param command the command to send
 * @param parser turns its response into the value
 * @param <T> the value type
 */
public record ModemQuery<T>(AtCommand command, ReplyParser<T> parser) {

    /** Requires both parts. */
    public ModemQuery {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(parser, "parser");
    }

    /** Executes the command on {@code channel} and parses a successful reply. */
    public T run(AtChannel channel) throws AtException, InterruptedException {
        return parser.parse(channel.execute(command).orThrow());
    }
}
