package io.sitegate.policy.internal.apply;

import io.sitegate.core.Registration;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the confirm window's checks later; a test drives it by hand with its own clock. */
@FunctionalInterface
public interface ConfirmTimer {

    /** Runs {@code task} once after {@code delay}; closing the registration cancels it. */
    Registration schedule(Duration delay, Runnable task);

    /** A timer on a scheduled executor (the engine's tasks never throw exceptions of their own). */
    static ConfirmTimer of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            var future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
