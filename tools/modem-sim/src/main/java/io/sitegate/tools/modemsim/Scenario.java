package io.sitegate.tools.modemsim;

import java.time.Duration;
import java.util.List;

/**
 * A parsed scenario: statements, each with the delay after the start of the scenario at which it runs.
 *
 * @param steps the statements in script order
 */
public record Scenario(List<Step> steps) {

    /** Something a scenario does to the simulator. */
    @FunctionalInterface
    public interface Action {
        /** Applies the statement. */
        void apply(ModemSimulator simulator) throws Exception;
    }

    /**
     * One statement.
     *
     * @param line   1-based line number in its source
     * @param delay  time after the scenario starts ({@code after ...}), zero for at once
     * @param action what it does
     */
    public record Step(int line, Duration delay, Action action) {
    }
}
