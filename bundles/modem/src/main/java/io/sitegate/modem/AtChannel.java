package io.sitegate.modem;

import io.sitegate.core.Registration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The one serialised AT channel of a modem port: commands never interleave, each has its own timeout,
 * unsolicited result codes are dispatched to listeners even when they arrive inside a command's response.
 *
 * <p>After a command times out the channel resynchronises (an {@code AT} probe, then a quiet period) before
 * the next command, so late lines of the timed-out command are never taken as the next command's answer.
 */
public interface AtChannel extends AutoCloseable {

    /**
     * Sends a command and waits for its final result, at most {@link AtCommand#timeout()} (time spent waiting
     * behind other commands counts).
     *
     * @return the response, whatever its final result (check {@link AtResponse#isOk()} or call {@link AtResponse#orThrow()})
     * @throws AtTimeoutException when no final result came in time
     * @throws AtChannelClosedException when the channel is closed or its transport failed
     * @throws InterruptedException when the calling thread is interrupted
     */
    AtResponse execute(AtCommand command) throws AtException, InterruptedException;

    /** Queues a command; the stage completes with the response or exceptionally with an {@link AtException}. */
    CompletionStage<AtResponse> send(AtCommand command);

    /** Registers a listener for every unsolicited result code; close the registration to remove it. */
    Registration addUrcListener(UrcListener listener);

    /** Registers a listener for codes with the given prefix (e.g. {@code +CMTI:}, {@code RDY}). */
    Registration addUrcListener(String prefix, UrcListener listener);

    /** Registers a listener told once when the channel leaves {@link ChannelState#OPEN}. */
    Registration addStateListener(Consumer<ChannelState> listener);

    /** The current state. */
    ChannelState state();

    /** Stops the reader, fails pending commands, closes the transport. Idempotent. */
    @Override
    void close();
}
