package io.sitegate.tools.atbench;

/**
 * One way of sending {@code AT} and waiting for its {@code OK} over the host end of the pty. The harness
 * times {@link #roundTrip()} with {@link System#nanoTime()}; opening and closing are outside the timing.
 */
interface RoundTrip {

    /** Short name printed in the table. */
    String name();

    /** What is measured, one line. */
    String description();

    /** Acquires the host end of the pty for one block (echo off, nothing left unread). */
    void open() throws Exception;

    /** Sends {@code AT}, returns once the final {@code OK} has arrived; throws on anything else. */
    void roundTrip() throws Exception;

    /** Releases the host end; nothing may be in flight afterwards. */
    void close() throws Exception;
}
