package io.sitegate.cellular;

import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.Registration;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cellular service policy in force. The policy is the configuration {@code io.sitegate.cellular}
 * ({@code etc/io.sitegate.cellular.cfg}, {@code config:edit}, or the policy agent through the {@code cellular}
 * {@link io.sitegate.core.config.ConfigurableSection}): ConfigAdmin always shows it. A policy that does not
 * validate never replaces the one in force, and the last valid policy survives a restart: a gateway
 * that boots with a broken configuration keeps enforcing what it enforced before.
 */
public interface CellularPolicyService {

    /** The policy in force. */
    CellularPolicy current();

    /** When the policy in force was applied. */
    Instant since();

    /**
     * Why the configuration {@code io.sitegate.cellular} was refused, while it is: the message names
     * the property and the value. Empty when the configuration was accepted.
     */
    Optional<String> refusal();

    /**
     * Validates a policy without applying it (the policy agent validates every section before it applies any).
     *
     * @param values flat properties with the keys of {@code etc/io.sitegate.cellular.cfg}; lists as
     *               comma-separated strings, arrays or collections
     * @param source where it comes from, for display ({@code policy v12})
     * @throws InvalidConfigurationException naming the property and the bad value
     */
    CellularPolicy validate(Map<String, ?> values, String source);

    /**
     * Registers a listener called (on the thread that changed it) after the policy in force or the
     * {@link #refusal()} changed, with the policy in force. Close the registration to remove it.
     */
    Registration addListener(Consumer<CellularPolicy> listener);
}
