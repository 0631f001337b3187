package io.sitegate.cellular.internal;

import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.RecentEvent;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Raises cellular events: hands each to the poster (EventAdmin) and keeps the latest ones in memory
 * for the shell. Holding them until a data path exists is the policy agent's job, not this one's.
 */
final class EventJournal {
    private final int capacity;
    private final Clock clock;
    private final Consumer<CellularEvent> poster;
    private final Deque<RecentEvent> recent = new ArrayDeque<>();

    EventJournal(int capacity, Clock clock, Consumer<CellularEvent> poster) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.poster = poster;
    }

    void raise(CellularEvent event) {
        synchronized (recent) {
            if (recent.size() == capacity) {
                recent.removeFirst();
            }
            recent.addLast(new RecentEvent(clock.instant(), event));
        }
        poster.accept(event);
    }

    /** Oldest first. */
    List<RecentEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
