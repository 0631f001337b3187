package io.sitegate.policy.internal.apply;

/** The power went: thrown by the fault injector, never caught by the code under test (an Error). */
final class PowerLoss extends Error {
    private static final long serialVersionUID = 1L;

    PowerLoss(String where) {
        super("power lost " + where, null, false, false);
    }
}
