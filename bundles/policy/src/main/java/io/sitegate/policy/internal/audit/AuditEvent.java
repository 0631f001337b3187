package io.sitegate.policy.internal.audit;

import io.sitegate.core.SafeText;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something that goes into the audit trail. When appended, its text fields are made safe to print
 * ({@link SafeText}) and capped ({@link #sanitized()}); a policy holds no secrets, and nothing else may put
 * one here.
 *
 * @param type    what happened: {@code policy.received}, {@code policy.applied}, ... or another
 *                capability's event ({@code binding.reset}, {@code operator.login}); lower case, at most 40
 * @param version the policy version, 0 when none
 * @param target  the policy's target, or the subject of the event
 * @param keyId   the key that signed the policy, or empty
 * @param outcome the outcome ({@code APPLIED}, {@code REJECTED}, a refusal code), or empty
 * @param reason  why, in words
 */
public record AuditEvent(String type, long version, String target, String keyId, String outcome, String reason) {
    public static final String RECEIVED = "policy.received";
    public static final String VERIFIED = "policy.verified";
    public static final String REFUSED = "policy.refused";
    public static final String APPLIED = "policy.applied";
    public static final String ROLLED_BACK = "policy.rolled_back";
    public static final String FALLBACK = "policy.fallback";
    /** Written by the log itself when it removed a torn last entry at open. */
    public static final String REPAIRED = "audit.repaired";

    /** The longest reason kept; longer ones are cut with {@code ...}. */
    public static final int MAX_REASON = 300;
    /** The longest target, key id or outcome kept. */
    public static final int MAX_FIELD = 100;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9._-]{0,39}");

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("audit event type '" + SafeText.escape(type)
                    + "' must be 1-40 of a-z, 0-9, '.', '_' and '-', starting with a letter");
        }
        if (version < 0) {
            throw new IllegalArgumentException("audit event version " + version + " is negative");
        }
        target = target == null ? "" : target;
        keyId = keyId == null ? "" : keyId;
        outcome = outcome == null ? "" : outcome;
        reason = reason == null ? "" : reason;
    }

    /** The event as it is written: every text escaped with {@link SafeText} and capped. */
    public AuditEvent sanitized() {
        return new AuditEvent(type, version, safe(target, MAX_FIELD), safe(keyId, MAX_FIELD), safe(outcome, MAX_FIELD),
                safe(reason, MAX_REASON));
    }

    static String safe(String text, int max) {
        String s = SafeText.escape(text);
        if (s.length() <= max) {
            return s;
        }
        int cut = max - 3;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "...";
    }
}
