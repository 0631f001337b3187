package io.sitegate.cellular;

import java.time.Instant;
import java.util.Objects;

/**
 * A cellular event as it was raised, kept in memory for the shell.
 *
 * @param at    when it was raised
 * @param event the topic and properties posted on EventAdmin
 */
public record RecentEvent(Instant at, CellularEvent event) {
    public RecentEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
    }

    /** The last part of the topic ({@code BINDING_VIOLATED}). */
    public String name() {
        String t = event.topic();
        return t.substring(t.lastIndexOf('/') + 1);
    }
}
