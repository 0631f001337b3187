/**
 * Signed policy documents: what the cloud sends to a gateway over MQTT, how the gateway verifies it,
 * and how a verified document's sections become capability configuration.
 *
 * <h2>The document</h2>
 * A policy is a JWS in the compact serialization (RFC 7515 section 7.1), signed with EdDSA over Ed25519
 * (RFC 8037 section 3.1: {@code "alg":"EdDSA"}), with a {@code kid} header naming one of the gateway's
 * trusted keys. Its payload is UTF-8 JSON, valid against the shipped schema
 * {@code io/sitegate/policy/policy-schema-v1.json} (JSON Schema 2020-12):
 * <pre>
 * {"version": 42, "issuedAt": "2026-12-04T10:00:00Z", "expiresAt": "2027-01-04T10:00:00Z",
 *  "target": "gw-0042" | "group:north",
 *  "sections": {"cellular": {...}, "dns": {...}, "filter": {...},
 *               "modem": {"wan0": {...}}, "tunnels": {"primary": {...}, "backup": {...}},
 *               "features": {"repositories": ["mvn:..."], "install": ["sitegate-dns/0.2.0"], "remove": [...]}}}
 * </pre>
 * Only those six sections exist; any other is refused.
 *
 * <h2>Section mapping</h2>
 * <ul>
 * <li>A <em>singleton</em> section ({@code cellular}, {@code dns}, {@code filter}) is an object of
 *     properties: the properties of the capability's one PID.</li>
 * <li>A <em>factory</em> section ({@code modem}, {@code tunnels}) is an object of instance name
 *     (1-32 of {@code [a-z0-9-]}) to an object of properties: the factory configuration
 *     {@code <factoryPid>~<instance>}.</li>
 * <li>A property value is a string, an integer (fits a {@code long}), a boolean, or an array of strings
 *     (joined with {@code ,}, as {@link io.sitegate.core.config.ConfigSection#normalise} does, so an element
 *     must not contain a comma).</li>
 * <li>{@code features} is not ConfigAdmin configuration: {@code repositories} is an array of feature
 *     repository URLs ({@code mvn:}, {@code file:}, {@code https:}), {@code install} an array of features to
 *     install or upgrade ({@code name} or {@code name/version}, an exact version), {@code remove} an array of
 *     features to uninstall. It becomes one pseudo-PID {@code features} with those three keys, lists joined
 *     with {@code ,}, applied through Karaf's FeaturesService.</li>
 * </ul>
 * {@link io.sitegate.policy.PolicySections#toConfigSection} turns a section into the
 * {@link io.sitegate.core.config.ConfigSection} that the capability's
 * {@link io.sitegate.core.config.ConfigurableSection} validates and applies.
 *
 * <h2>Refusals</h2>
 * A document that is not accepted is refused with a {@link io.sitegate.policy.PolicyRefusal}: a code the
 * cloud can count, and a reason a technician reads, never longer than a few hundred characters and never
 * an unescaped copy of the input.
 *
 * <h2>Signing</h2>
 * {@link io.sitegate.policy.PolicySigner} and {@link io.sitegate.policy.PolicyKeys} have no OSGi
 * dependency: the cloud-side tools and the tests sign with them.
 */
@Export
@Version("1.0.0")
package io.sitegate.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
