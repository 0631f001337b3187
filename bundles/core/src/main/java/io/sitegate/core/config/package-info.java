/**
 * The capability configuration contract: one service per configuration section, so that the policy
 * agent, the shell and a {@code .cfg} file change a capability in the same way.
 *
 * <h2>The contract</h2>
 * A capability offers a {@link io.sitegate.core.config.ConfigurableSection} service for its section
 * ({@code modem}, {@code cellular}, {@code dns}, later {@code tunnels}, {@code filter}). A section is a
 * {@link io.sitegate.core.config.ConfigSection}: the ConfigAdmin configurations of that capability, by PID,
 * with exactly the typed values those PIDs take. An {@code etc/*.cfg} file, {@code config:edit} and a
 * policy section are three ways to say the same thing.
 * <ul>
 * <li>{@code validate}: every problem, each naming the PID, the property and the value; nothing is applied.
 *     Unknown properties are problems.</li>
 * <li>{@code diff}: what would change, in words a technician reads (networks added, upstreams reordered).</li>
 * <li>{@code apply}: all or nothing. The section is written to ConfigAdmin, and the call returns when every
 *     PID's component has put it in force. If one refuses it, or does not take it in time, every PID is put
 *     back to what it was and the previous configuration keeps running.</li>
 * <li>{@code snapshot}: exactly what is in force (as reported to the {@link io.sitegate.core.config.ConfigLedger}),
 *     as plain data that can be persisted; {@code restore} puts such a snapshot back in force.</li>
 * </ul>
 *
 * <h2>One source of truth</h2>
 * What is in force is what ConfigAdmin shows. A configuration changed locally and refused by its component
 * is reported as refused (the previous one keeps running, and {@code sitegate:status} says so). A value set
 * through {@code apply} (by a policy) and then changed locally is <em>drift</em>: the
 * {@link io.sitegate.core.config.ConfigLedger} shows it, posts {@link io.sitegate.core.SitegateTopics#CONFIG_DRIFT},
 * and the next {@code apply} puts the value back.
 *
 * <h2>How a new capability implements it</h2>
 * Give every PID an {@code @ObjectClassDefinition} with its defaults, and read it strictly with a collecting
 * {@link io.sitegate.core.ConfigurationValues} so that one pass yields every problem and the unknown keys.
 * Make the component immediate, with an {@code @Modified} method that builds the new runtime beside the old
 * one and swaps only when it works; report each outcome to the {@link io.sitegate.core.config.ConfigLedger}
 * ({@code inForce} or {@code refused}, {@code withdrawn} on deactivation). Then register a
 * {@link io.sitegate.core.config.ConfigurableSection} that delegates to a
 * {@link io.sitegate.core.config.SectionSupport} built with the section name, the PID (or factory PID), the
 * validator and the properties that hold lists: the writing, waiting, rollback, diff and snapshot are done there.
 */
@Export
@Version("1.0.0")
package io.sitegate.core.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
