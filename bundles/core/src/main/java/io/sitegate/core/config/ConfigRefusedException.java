package io.sitegate.core.config;

import java.util.List;

/** A section was not applied; what was in force before still is. */
public class ConfigRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public ConfigRefusedException(String section, List<ConfigProblem> problems) {
        super(section + ": " + (problems.isEmpty() ? "refused" : String.join("; ", problems.stream().map(ConfigProblem::message).toList()))
                + "; the previous configuration stays in force");
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, at least one. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
