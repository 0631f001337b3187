package io.sitegate.modem.internal.session;

import io.sitegate.modem.AtCommand;

/**
 * Remembers a timed-out command until the channel is back in step with the modem.
 *
 * <p>After a timeout the modem may still answer the abandoned command at any time. Until the resync
 * completes, lines with that command's prefix are dropped (not dispatched as URCs) and final result codes
 * are counted here. The resync writes {@code AT} probes; it is complete when at least as many finals
 * arrived after the first probe as probes were written, followed by a quiet period without another final
 * (the stale command's final and the probes' answers may come in any order).
 */
final class ResyncTracker {

    private AtCommand stale;
    private long finals;

    synchronized void commandTimedOut(AtCommand command) {
        stale = command;
        finals = 0;
    }

    synchronized AtCommand staleCommand() {
        return stale;
    }

    synchronized boolean active() {
        return stale != null;
    }

    synchronized void finalSeen() {
        finals++;
        notifyAll();
    }

    synchronized long finals() {
        return finals;
    }

    /** Waits until {@link #finals()} reaches {@code target} or the deadline ({@link System#nanoTime()}) passes. */
    synchronized boolean awaitFinals(long target, long deadlineNanos) throws InterruptedException {
        while (finals < target) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void done() {
        stale = null;
        finals = 0;
    }
}
