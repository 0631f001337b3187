package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SectionDiffTest {
    @Test
    void changedAddedAndRemovedProperties() {
        assertThat(SectionDiff.diff("dns", Map.of("io.sitegate.dns", Map.of("upstreams", "a", "cacheSize", "10")),
                Map.of("io.sitegate.dns", Map.of("upstreams", "b", "dnssec", "true"))))
                .containsExactly("dns: io.sitegate.dns cacheSize: removed (was \"10\")",
                        "dns: io.sitegate.dns dnssec: added \"true\"",
                        "dns: io.sitegate.dns upstreams: \"a\" -> \"b\"");
    }

    @Test
    void sameConfigurationIsNoChange() {
        assertThat(SectionDiff.diff("dns", Map.of("io.sitegate.dns", Map.of("upstreams", "a")),
                Map.of("io.sitegate.dns", Map.of("upstreams", "a")))).containsExactly("dns: no change");
    }

    @Test
    void factoryInstancesAddedAndRemoved() {
        assertThat(SectionDiff.diff("tunnels", Map.of("io.sitegate.tunnel~old", Map.of("remote", "x")),
                Map.of("io.sitegate.tunnel~corp", Map.of("remote", "y"))))
                .containsExactly("tunnels: io.sitegate.tunnel~corp added (new instance) {remote=\"y\"}",
                        "tunnels: io.sitegate.tunnel~old removed (instance)");
    }

    @Test
    void sectionNotInForceIsAllAdded() {
        assertThat(SectionDiff.diff("filter", null, Map.of("io.sitegate.filter", Map.of("allow", "a\"b"))))
                .containsExactly("filter: io.sitegate.filter added {allow=\"a\\\"b\"}");
    }

    @Test
    void wholeDiffShowsVersionsFeaturesAndConvertsLists() throws IOException {
        GatewayStatus s = GatewayStatus.parse("gw-1", ("{\"state\":\"online\",\"gateway\":\"gw-1\",\"groups\":[\"g\"],"
                + "\"policyVersion\":7,\"policyTarget\":\"group:g\",\"health\":{},"
                + "\"sections\":{\"dns\":{\"io.sitegate.dns\":{\"upstreams\":\"1.1.1.1:53,9.9.9.9:53\"}}}}").getBytes(StandardCharsets.UTF_8));
        var policy = GatewayStatus.JSON.readTree("{\"version\":8,\"target\":\"group:g\",\"sections\":{"
                + "\"dns\":{\"upstreams\":[\"1.1.1.1:53\",\"9.9.9.9:53\"]},\"features\":{\"install\":[\"x\"]}}}");
        assertThat(FleetCommands.diffLines(s, policy)).containsExactly(
                "in force: version 7 for group:g; policy: version 8 for group:g",
                "dns: no change",
                "features (not configuration, as in the policy): {\"install\":[\"x\"]}");
    }

    @Test
    void invalidSectionIsAnError() throws IOException {
        GatewayStatus s = GatewayStatus.parse("gw-1", "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8));
        var policy = GatewayStatus.JSON.readTree("{\"version\":8,\"target\":\"gw-1\",\"sections\":{\"dns\":[1]}}");
        assertThatThrownBy(() -> FleetCommands.diffLines(s, policy)).isInstanceOf(IOException.class).hasMessageContaining("dns");
    }
}
