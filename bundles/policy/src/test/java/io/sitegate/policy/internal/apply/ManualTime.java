package io.sitegate.policy.internal.apply;

import io.sitegate.core.Registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and a timer that move only when the test says so; tasks run on the test's thread. */
final class ManualTime extends Clock implements ConfirmTimer {
    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private final List<Task> tasks = new ArrayList<>();
    private long order;

    private record Task(Instant due, long order, Runnable run, boolean[] cancelled) {
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public Registration schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now.plus(delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs the tasks due now (and those they schedule for now). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward, running each task at its due time, in order. */
    void advance(Duration d) {
        Instant end = now.plus(d);
        while (true) {
            Task next = tasks.stream().filter(t -> !t.due.isAfter(end))
                    .min(Comparator.comparing(Task::due).thenComparingLong(Task::order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            if (next.due.isAfter(now)) {
                now = next.due;
            }
            if (!next.cancelled[0]) {
                next.run.run();
            }
        }
        now = end;
    }

    /** Tasks waiting and not cancelled. */
    long waiting() {
        return tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
