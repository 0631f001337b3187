package io.sitegate.policy;

import java.util.Objects;

/** A policy document was refused; {@link #refusal()} says why. */
public class PolicyVerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient PolicyRefusal refusal;

    public PolicyVerificationException(PolicyRefusal refusal) {
        super(Objects.requireNonNull(refusal, "refusal").toString());
        this.refusal = refusal;
    }

    public PolicyVerificationException(PolicyRefusal.Code code, String reason) {
        this(new PolicyRefusal(code, reason));
    }

    /** Why the document was refused. */
    public PolicyRefusal refusal() {
        return refusal;
    }

    /** Shorthand for {@code refusal().code()}. */
    public PolicyRefusal.Code code() {
        return refusal.code();
    }
}
