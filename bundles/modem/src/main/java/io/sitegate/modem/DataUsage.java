package io.sitegate.modem;

/**
 * Bytes through the data session: of the current session and cumulative since the counters were
 * first kept (persisted across restarts and modem counter resets).
 *
 * @param countersAvailable whether the modem's profile can read data counters at all
 */
public record DataUsage(long sessionSent, long sessionReceived, long totalSent, long totalReceived,
                        boolean countersAvailable) {

    public static DataUsage none() {
        return new DataUsage(0, 0, 0, 0, false);
    }

    /** Total bytes up and down. */
    public long total() {
        return totalSent + totalReceived;
    }
}
