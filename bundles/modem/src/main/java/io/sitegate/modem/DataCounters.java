package io.sitegate.modem;

/**
 * Packet data byte counters as the modem keeps them.
 *
 * @param bytesSent bytes sent (uplink)
 * @param bytesReceived bytes received (downlink)
 */
public record DataCounters(long bytesSent, long bytesReceived) {
}
