package io.sitegate.policy.internal.mqtt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the link connects. The broker URI is {@code ssl://host:port} with mutual TLS (CA file to
 * trust the broker, client certificate and key, all PEM); {@code tcp://} is refused unless
 * {@code allowPlainTcp} is set (a lab broker). The client id is the gateway id. Clean start is off:
 * the broker keeps the session for {@code sessionExpiry}.
 *
 * @param connectTimeout      bound of one connection attempt (TCP, TLS, CONNACK)
 * @param backoffInitial      first reconnect wait ceiling; doubled per failure up to {@code backoffMax}
 * @param stableAfter         a connection that held this long resets the back-off to its start
 */
public record MqttLinkSettings(String brokerUri, String gatewayId, Path caFile, Path certFile, Path keyFile,
                               boolean allowPlainTcp, Duration sessionExpiry, Duration keepAlive,
                               Duration connectTimeout, Duration backoffInitial, Duration backoffMax,
                               Duration stableAfter) {

    /** Gateway ids are one topic level: no {@code /}, {@code +}, {@code #}, no spaces. */
    private static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Checks every property; the message names the property and the bad value. */
    public MqttLinkSettings {
        if (gatewayId == null || !GATEWAY_ID.matcher(gatewayId).matches()) {
            throw new IllegalArgumentException("gatewayId: '" + gatewayId
                    + "' is not 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
        URI uri;
        try {
            uri = new URI(brokerUri);
        } catch (Exception e) {
            throw new IllegalArgumentException("brokerUri: '" + brokerUri + "' is not a URI");
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("brokerUri: '" + brokerUri + "' needs a host and a port");
        }
        if ("tcp".equals(uri.getScheme())) {
            if (!allowPlainTcp) {
                throw new IllegalArgumentException("brokerUri: '" + brokerUri
                        + "' is plain TCP, refused; use ssl:// or set allowPlainTcp for a lab broker");
            }
        } else if ("ssl".equals(uri.getScheme())) {
            if (caFile == null || certFile == null || keyFile == null) {
                throw new IllegalArgumentException("caFile, certFile, keyFile: all three are needed for " + brokerUri);
            }
        } else {
            throw new IllegalArgumentException("brokerUri: '" + brokerUri + "' must start with ssl:// (or tcp://)");
        }
        positive("sessionExpiry", sessionExpiry);
        positive("keepAlive", keepAlive);
        positive("connectTimeout", connectTimeout);
        positive("backoffInitial", backoffInitial);
        positive("backoffMax", backoffMax);
        positive("stableAfter", stableAfter);
        if (keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65_535) {
            throw new IllegalArgumentException("keepAlive: " + keepAlive + " is not 1 s to 65535 s");
        }
        if (sessionExpiry.toSeconds() > 0xffffffffL) {
            throw new IllegalArgumentException("sessionExpiry: " + sessionExpiry + " is above 2^32-1 s");
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax: " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " must be a positive duration");
        }
    }

    /** Mutual TLS with the defaults: 1 day session expiry, 60 s keepalive, 10 s connect timeout, back-off 1 s to 5 min. */
    public static MqttLinkSettings tls(String brokerUri, String gatewayId, Path caFile, Path certFile, Path keyFile) {
        return new MqttLinkSettings(brokerUri, gatewayId, caFile, certFile, keyFile, false, Duration.ofDays(1),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(60));
    }

    /** Plain TCP for a lab broker, same defaults. */
    public static MqttLinkSettings plainTcp(String brokerUri, String gatewayId) {
        return new MqttLinkSettings(brokerUri, gatewayId, null, null, null, true, Duration.ofDays(1),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(60));
    }

    public MqttLinkSettings withKeepAlive(Duration d) {
        return new MqttLinkSettings(brokerUri, gatewayId, caFile, certFile, keyFile, allowPlainTcp, sessionExpiry, d,
                connectTimeout, backoffInitial, backoffMax, stableAfter);
    }

    public MqttLinkSettings withBackoff(Duration initial, Duration max) {
        return new MqttLinkSettings(brokerUri, gatewayId, caFile, certFile, keyFile, allowPlainTcp, sessionExpiry,
                keepAlive, connectTimeout, initial, max, stableAfter);
    }

    public MqttLinkSettings withConnectTimeout(Duration d) {
        return new MqttLinkSettings(brokerUri, gatewayId, caFile, certFile, keyFile, allowPlainTcp, sessionExpiry,
                keepAlive, d, backoffInitial, backoffMax, stableAfter);
    }

    /** Whether the broker URI is TLS. */
    public boolean usesTls() {
        return brokerUri.startsWith("ssl://");
    }

    /** {@code sitegate/{gw}/status}: the will and the online status. */
    public String statusTopic() {
        return "sitegate/" + gatewayId + "/status";
    }

    /** The will's payload: {@code {"state":"offline","gateway":"<id>"}} (the id needs no JSON escaping). */
    public byte[] offlinePayload() {
        return ("{\"state\":\"offline\",\"gateway\":\"" + gatewayId + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
