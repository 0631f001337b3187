package io.sitegate.core.config;

import java.util.List;

/**
 * A capability's configuration section, the one way the policy agent changes a capability (see the
 * package documentation for the contract). Registered with the service property {@link #SECTION}.
 */
public interface ConfigurableSection {
    /** Service property naming the section. */
    String SECTION = "sitegate.section";

    /** The section's name: {@code modem}, {@code cellular}, {@code dns}, ... */
    String name();

    /** The section's PID, or its factory PID when {@link #factory()}. */
    String pid();

    /** Whether the section is the factory configurations {@code pid~<name>} rather than the one PID. */
    boolean factory();

    /** Every problem of the proposed section; empty when it can be applied. Applies nothing. */
    List<ConfigProblem> validate(ConfigSection proposed);

    /** What applying the proposed section would change, in a technician's words. Applies nothing. */
    List<ConfigChange> diff(ConfigSection proposed);

    /**
     * Puts the proposed section in force, all or nothing, and records {@code source} as the owner of its
     * values (a later local change is drift).
     *
     * @return what is in force afterwards
     * @throws ConfigRefusedException with every problem; the previous configuration is in force and running
     */
    ConfigSection apply(ConfigSection proposed, String source) throws ConfigRefusedException, InterruptedException;

    /** Exactly what is in force now. */
    ConfigSection snapshot();

    /** Puts a {@link #snapshot()} back in force, all or nothing. */
    void restore(ConfigSection snapshot) throws ConfigRefusedException, InterruptedException;
}
