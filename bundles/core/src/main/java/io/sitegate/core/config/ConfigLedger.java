package io.sitegate.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where components say what they put in force, so that a section knows its snapshot and an apply knows
 * when it took effect; and where values set by an apply are remembered, so that a local change of one
 * is seen as {@link ConfigDrift}.
 */
public interface ConfigLedger {

    /** The component put this configuration in force (properties as ConfigAdmin delivered them; empty for defaults). */
    void inForce(String pid, Map<String, ?> properties);

    /** The component refused this configuration; the previous one stays in force. */
    void refused(String pid, Map<String, ?> properties, List<ConfigProblem> problems);

    /** The component is gone (configuration deleted, component deactivated). */
    void withdrawn(String pid);

    /** The normalised values in force for a PID, empty when no component holds it. */
    Optional<Map<String, String>> inForce(String pid);

    /** The PIDs in force whose PID equals {@code pid} or starts with {@code pid~}. */
    Map<String, Map<String, String>> inForceUnder(String pid);

    /** The problems of the last refused configuration of a PID, empty when its last configuration was accepted. */
    List<ConfigProblem> refusal(String pid);

    /** Every refusal still standing, by PID. */
    Map<String, List<ConfigProblem>> refusals();

    /** What happened to a configuration awaited by {@link #await}. */
    enum Outcome { IN_FORCE, REFUSED, WITHDRAWN, TIMEOUT }

    /** A mark in the sequence of reports: {@link #await} looks only at reports made after it. */
    long mark();

    /**
     * Waits until the component of {@code pid} reports, after {@code mark}, the {@code expected}
     * normalised values in force or refused, or the PID withdrawn when {@code expected} is {@code null}.
     */
    Outcome await(String pid, Map<String, String> expected, long mark, Duration timeout) throws InterruptedException;

    /** Records the values a section's apply set, so that a later local change is drift. */
    void managed(ConfigSection section, String source);

    /** What the last apply of a section set; empty when none did (or it was {@linkplain #unmanaged forgotten}). */
    Optional<ConfigOwner> owner(String section);

    /** Forgets what applies of a section set: local changes of it are no longer drift. */
    void unmanaged(String section);

    /** Every value changed locally after an apply set it. */
    List<ConfigDrift> drift();
}
