/**
 * The policy's {@code features} section: feature repositories and features installed, upgraded and
 * uninstalled through Karaf's FeaturesService, as one {@link io.sitegate.core.config.ConfigurableSection}
 * so that the apply engine journals, snapshots and restores it like any other section.
 *
 * <p>The section is a delta from the distribution: {@link io.sitegate.policy.internal.features.FeatureRecord}
 * holds the repositories the policy added, the features it made installed and the features it uninstalled.
 * Only that record is snapshot and restored; what the distribution installed itself is never touched unless
 * a policy names it.
 */
package io.sitegate.policy.internal.features;
