/**
 * The policy's {@code features} section: feature repositories and features installed, upgraded and
 * uninstalled through Karaf's FeaturesService, as one {@link io.sitegate.core.config.ConfigurableSection}
 * so that the apply engine journals, snapshots and restores it like any other section.
 *
 * <p>The section is a delta from the distribution: {@link io.sitegate.policy.internal.features.FeatureRecord}
 * holds the repositories the policy added, the features it made installed and the features it uninstalled.
 * Only that record is snapshot and restored; what the distribution installed itself is never touched unless
 * a policy names it.
 *
 * <h2>What is not detected</h2>
 * <ul>
 * <li>A bundle of the core or the agent is recognised by its location ({@code io.sitegate.core},
 *     {@code io.sitegate.policy} in the URL), not by its symbolic name, which is known only once Karaf has
 *     downloaded it: a renamed jar behind an {@code https:} URL is not caught.</li>
 * <li>A feature that makes Karaf update in place a library the agent is wired to (Jackson, Paho, jose4j):
 *     that bundle is stopped and updated; with {@code NoAutoRefreshBundles} the agent keeps its old wiring until
 *     the next refresh or restart, and is not stopped.</li>
 * <li>A feature upgrading a framework feature the others depend on ({@code scr}, {@code shell}): nothing
 *     prevents it, and it would restart every capability.</li>
 * <li>FeaturesService calls have no timeout of their own: a download waits as long as pax-url's timeouts
 *     ({@code org.ops4j.pax.url.mvn.cfg}) let it, on the agent's worker thread, which holds the apply engine
 *     meanwhile (the agent answers nothing else until it returns).</li>
 * </ul>
 */
package io.sitegate.policy.internal.features;
