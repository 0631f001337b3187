package io.sitegate.policy.internal.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the steps that reach the disk or a capability and cuts the power at one of them. Crash point
 * {@code k} (1-based) is just before step {@code (k+1)/2} when odd, just after it (its effect done, the
 * caller never told) when even: the points between every two steps.
 */
final class FaultInjector {
    /** A step's effect. */
    @FunctionalInterface
    interface Effect<E extends Exception> {
        void run() throws E;
    }

    private int steps;
    private int crashPoint;
    final List<String> trace = new ArrayList<>();

    /** Cuts the power at crash point {@code k}; 0 never. Restarts the count. */
    void arm(int k) {
        steps = 0;
        crashPoint = k;
        trace.clear();
    }

    void disarm() {
        crashPoint = 0;
    }

    /** Steps counted since {@link #arm}. */
    int steps() {
        return steps;
    }

    <E extends Exception> void step(String what, Effect<E> effect) throws E {
        steps++;
        trace.add(what);
        if (crashPoint == 2 * steps - 1) {
            throw new PowerLoss("before " + what);
        }
        effect.run();
        if (crashPoint == 2 * steps) {
            throw new PowerLoss("after " + what);
        }
    }
}
