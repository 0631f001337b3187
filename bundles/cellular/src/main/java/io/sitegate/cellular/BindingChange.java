package io.sitegate.cellular;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The SIM/device binding was learned or reset: itself an event (topic {@code cellular/BINDING_CHANGED}).
 *
 * @param action  what happened
 * @param binding the pair learned, or the pair that was cleared by a reset (empty when a reset
 *                cleared an unreadable binding, or when nothing had been learned)
 * @param by      who or what caused it ({@code auto} for learning, a shell user or {@code policy v12} for a reset)
 * @param at      when
 */
public record BindingChange(Action action, Optional<LearnedBinding> binding, String by, Instant at) {

    /** What happened to the binding. */
    public enum Action {
        /** A pair was learned on the first successful data session. */
        LEARNED,
        /** The learned pair was cleared; the next data session learns again. */
        RESET
    }

    public BindingChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }
}
