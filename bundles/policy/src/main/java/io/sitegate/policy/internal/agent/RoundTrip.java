package io.sitegate.policy.internal.agent;

import io.sitegate.core.Health;
import io.sitegate.policy.internal.apply.HealthCondition;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Proof that the broker is reachable after a policy was applied: a probe published on the gateway's own
 * {@code sitegate/{gw}/probe} topic and received back through the broker. A connection that merely looks up
 * (the TCP session from before the change) is not enough: a policy that cut the path to the broker would be
 * kept until the next keepalive noticed. The condition asks for a round trip that started after the apply.
 */
final class RoundTrip {
    /** How long a probe may be outstanding before another is sent. */
    static final long RESEND_NANOS = 2_000_000_000L;

    /** Sends a probe carrying its nonce. */
    @FunctionalInterface
    interface Sender {
        void send(byte[] nonce);
    }

    private final Sender sender;
    private final LongSupplier nanos;
    private final AtomicLong sentAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong echoedAt = new AtomicLong(Long.MIN_VALUE);
    private volatile String outstanding = "";

    RoundTrip(Sender sender, LongSupplier nanos) {
        this.sender = sender;
        this.nanos = nanos;
    }

    /**
     * The condition: a probe sent at or after {@code since} came back. While it has not, a probe is sent (again
     * after {@link #RESEND_NANOS}).
     */
    HealthCondition after(long since) {
        return (SortedMap<String, Health> health) -> {
            if (echoedAt.get() != Long.MIN_VALUE && echoedAt.get() - since >= 0 && sentAt.get() - since >= 0) {
                return Optional.empty();
            }
            long now = nanos.getAsLong();
            long sent = sentAt.get();
            if (sent == Long.MIN_VALUE || sent - since < 0 || now - sent >= RESEND_NANOS) {
                sentAt.set(now);
                String nonce = Long.toHexString(now) + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
                outstanding = nonce;
                sender.send(nonce.getBytes(StandardCharsets.US_ASCII));
            }
            return Optional.of("no MQTT round trip through the broker since the policy was applied");
        };
    }

    /**
     * A probe came back. Only the one outstanding counts.
     *
     * @return whether it was the outstanding probe
     */
    boolean echoed(byte[] payload) {
        String nonce = new String(payload, StandardCharsets.US_ASCII);
        if (!nonce.equals(outstanding)) {
            return false;
        }
        echoedAt.set(nanos.getAsLong());
        return true;
    }
}
