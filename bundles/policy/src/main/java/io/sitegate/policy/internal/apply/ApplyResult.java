package io.sitegate.policy.internal.apply;

import io.sitegate.core.SafeText;
import io.sitegate.core.config.ConfigChange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What became of a policy, for the ack and the audit trail.
 *
 * @param outcome what is in force now
 * @param version the policy's version
 * @param reason  why it was refused, rolled back or fell back; empty when applied
 * @param changes per section, what the policy changes compared with what was in force before the
 *                apply (computed by the capability's {@code diff}), in apply order
 */
public record ApplyResult(Outcome outcome, long version, String reason, Map<String, List<ConfigChange>> changes) {

    /** What is in force after the transaction. */
    public enum Outcome {
        /** The policy is in force and confirmed. */
        APPLIED,
        /** Nothing was applied: the policy was refused before any capability was touched. */
        REJECTED,
        /** The policy was applied, at least in part, and the last-known-good is in force again. */
        ROLLED_BACK,
        /** Restoring the last-known-good failed: the shipped defaults plus the cloud connection settings are in force. */
        FALLBACK
    }

    /** The longest reason a result carries (an ack must stay small). */
    public static final int MAX_REASON = 1000;

    /** A result whose reason is escaped with {@link SafeText} and capped at {@link #MAX_REASON}. */
    static ApplyResult of(Outcome outcome, long version, String reason, Map<String, List<ConfigChange>> changes) {
        String safe = SafeText.escape(reason);
        if (safe.length() > MAX_REASON) {
            safe = safe.substring(0, MAX_REASON - 3) + "...";
        }
        return new ApplyResult(outcome, version, safe, changes);
    }

    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
        Map<String, List<ConfigChange>> copy = new LinkedHashMap<>();
        changes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        changes = Collections.unmodifiableMap(copy);
    }
}
