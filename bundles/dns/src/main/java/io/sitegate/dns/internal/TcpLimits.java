package io.sitegate.dns.internal;

/**
 * What one TCP listener allows: how long a connection may idle, how many connections it serves (in all and
 * per client address), and how far a client may fall behind reading its answers before it is dropped.
 *
 * @param idleTimeoutMs            a connection with no query outstanding for this long is closed (RFC 7766 6.2.3)
 * @param maxConnections           connections served at once; more are closed at once
 * @param maxConnectionsPerClient  connections served at once from one client address (RFC 7766 section 10)
 * @param writeTimeoutMs           a write to a client that makes no progress for this long closes the connection
 * @param maxQueuedAnswers         answers waiting to be written to one connection; one more closes it
 * @param maxQueuedBytes           bytes of those answers (framing included); one answer always fits
 */
record TcpLimits(int idleTimeoutMs, int maxConnections, int maxConnectionsPerClient, int writeTimeoutMs,
                 int maxQueuedAnswers, int maxQueuedBytes) {

    /**
     * 64 answers: a stub pipelines a handful of queries (RFC 7766 6.2.1.1); 64 unread answers beyond what
     * the kernel's socket buffers already hold mean the client is not reading. 256 KiB bounds what 64
     * connections can pin to 16 MiB, on a gateway with a few hundred MB.
     */
    static final int MAX_QUEUED_ANSWERS = 64;
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    /** A LAN client that cannot take 4 KiB in 5 s is gone or not reading; never longer than the idle timeout. */
    static final int WRITE_TIMEOUT_MS = 5000;

    TcpLimits {
        if (idleTimeoutMs <= 0 || maxConnections <= 0 || maxConnectionsPerClient <= 0 || writeTimeoutMs <= 0
                || maxQueuedAnswers <= 0 || maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("TCP limits must be positive: " + idleTimeoutMs + ", " + maxConnections
                    + ", " + maxConnectionsPerClient + ", " + writeTimeoutMs + ", " + maxQueuedAnswers + ", " + maxQueuedBytes);
        }
    }

    /** The limits of a configuration: its tcp.* properties, and the fixed queue bounds above. */
    static TcpLimits of(DnsConfig config) {
        return new TcpLimits(config.tcpIdleTimeoutMs(), config.tcpMaxConnections(), config.tcpMaxConnectionsPerClient(),
                Math.min(WRITE_TIMEOUT_MS, config.tcpIdleTimeoutMs()), MAX_QUEUED_ANSWERS, MAX_QUEUED_BYTES);
    }
}
