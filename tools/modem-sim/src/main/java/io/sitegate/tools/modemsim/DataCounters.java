package io.sitegate.tools.modemsim;

import java.util.function.LongSupplier;

/**
 * Bytes sent and received over the data session. They grow at a configured rate while a session is up and
 * are computed from elapsed time on demand, so nothing ticks in the background.
 */
public final class DataCounters {

    private final LongSupplier nanoClock;
    private long sentBase;
    private long receivedBase;
    private long txPerSecond;
    private long rxPerSecond;
    private long runningSince = -1;

    DataCounters(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Sets the growth rates in bytes per second. */
    public void rates(long txPerSecond, long rxPerSecond) {
        fold();
        this.txPerSecond = txPerSecond;
        this.rxPerSecond = rxPerSecond;
    }

    /** Starts counting (data session up). */
    public void start() {
        if (runningSince < 0) {
            runningSince = nanoClock.getAsLong();
        }
    }

    /** Stops counting (data session down); the totals are kept. */
    public void stop() {
        fold();
        runningSince = -1;
    }

    /** Sets the totals to given values (scenario) without changing running state. */
    public void set(long sent, long received) {
        fold();
        sentBase = sent;
        receivedBase = received;
    }

    /** Resets the totals to zero, as {@code AT+QGDCNT=0}. */
    public void reset() {
        set(0, 0);
    }

    /** @return bytes sent so far */
    public long sent() {
        return sentBase + grown(txPerSecond);
    }

    /** @return bytes received so far */
    public long received() {
        return receivedBase + grown(rxPerSecond);
    }

    private long grown(long perSecond) {
        if (runningSince < 0) {
            return 0;
        }
        long elapsedMillis = (nanoClock.getAsLong() - runningSince) / 1_000_000L;
        return elapsedMillis * perSecond / 1000L;
    }

    private void fold() {
        if (runningSince >= 0) {
            long now = nanoClock.getAsLong();
            sentBase = sent();
            receivedBase = received();
            runningSince = now;
        }
    }
}
