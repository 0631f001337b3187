package io.sitegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitegate.core.config.ConfigSection;
import org.junit.jupiter.api.Test;

import java.util.Map;

class PolicySectionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static PolicyVerificationException refusal(String section, String json, boolean factory) {
        return catchThrowableOfType(() -> PolicySections.toConfigSection(section, json(json), "io.sitegate.x", factory),
                PolicyVerificationException.class);
    }

    @Test
    void aSingletonSectionIsOnePid() throws Exception {
        ConfigSection s = PolicySections.toConfigSection("cellular",
                json("{\"rat\":\"lte\",\"networks\":[\"26201\",\" 26202 \"],\"imeiLock\":true,\"dataQuotaMb\":2048}"),
                "io.sitegate.cellular", false);
        assertThat(s.name()).isEqualTo("cellular");
        assertThat(s.configurations()).containsOnlyKeys("io.sitegate.cellular");
        assertThat(s.values("io.sitegate.cellular")).isEqualTo(Map.of(
                "rat", "lte", "networks", "26201,26202", "imeiLock", "true", "dataQuotaMb", "2048"));
    }

    @Test
    void theSectionEqualsTheOneACfgFileWouldGive() throws Exception {
        ConfigSection fromPolicy = PolicySections.toConfigSection("dns",
                json("{\"upstreams\":[\"10.8.0.1:53\",\"10.8.0.2:53\"],\"cacheSize\":10000}"), "io.sitegate.dns", false);
        ConfigSection fromCfg = ConfigSection.of("dns", "io.sitegate.dns",
                Map.of("upstreams", new String[] {"10.8.0.1:53", "10.8.0.2:53"}, "cacheSize", 10000));
        assertThat(fromPolicy).isEqualTo(fromCfg);
    }

    @Test
    void aFactorySectionIsOnePidPerInstance() throws Exception {
        ConfigSection s = PolicySections.toConfigSection("tunnels",
                json("{\"primary\":{\"type\":\"ipsec\",\"priority\":1},\"backup-2\":{\"type\":\"openvpn\",\"priority\":2}}"),
                "io.sitegate.tunnel", true);
        assertThat(s.configurations()).containsOnlyKeys("io.sitegate.tunnel~primary", "io.sitegate.tunnel~backup-2");
        assertThat(s.values("io.sitegate.tunnel~backup-2")).containsEntry("priority", "2").containsEntry("type", "openvpn");
    }

    @Test
    void badInstanceNamesAreRefused() {
        for (String name : new String[] {"WAN0", "", "a".repeat(33), "wan_0", "wan.0", "../etc", "wan 0", "wän"}) {
            PolicyVerificationException e = refusal("modem", "{\"" + name + "\":{}}", true);
            assertThat(e).as(name).isNotNull();
            assertThat(e.code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        }
        assertThat(refusal("modem", "{\"" + "a".repeat(32) + "\":{}}", true)).isNull();
    }

    @Test
    void badValuesAndShapesAreRefused() {
        assertThat(refusal("dns", "{\"x\":1.5}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "{\"x\":null}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "{\"x\":{}}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "{\"x\":[\"a,b\"]}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "{\"x\":[1]}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "{\"x\":12345678901234567890}", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("dns", "[]", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
        assertThat(refusal("modem", "{\"wan0\":[]}", true).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
    }

    @Test
    void propertiesThatConfigAdminWouldDropAreRefusedNotLost() {
        for (String key : new String[] {"service.pid", "component.name", "upstream.target", "felix.fileinstall.filename", "1x"}) {
            assertThat(refusal("dns", "{\"" + key + "\":\"v\"}", false)).as(key).isNotNull();
        }
    }

    @Test
    void unknownSectionsAreNotConfiguration() {
        assertThat(refusal("shell", "{}", false).code()).isEqualTo(PolicyRefusal.Code.UNKNOWN_SECTION);
    }

    @Test
    void theFeaturesSectionIsOnePseudoPidOfLists() throws Exception {
        ConfigSection s = PolicySections.toConfigSection("features", json("{\"repositories\":[\"file:/opt/f.xml\","
                + "\"mvn:io.sitegate/x/1.0/xml/features\"],\"install\":[\"gw-probe/1.0.1\",\"gw-extra\"],\"remove\":[\"old-thing\"]}"),
                "features", false);
        assertThat(s.name()).isEqualTo("features");
        assertThat(s.values("features")).isEqualTo(Map.of("repositories", "file:/opt/f.xml,mvn:io.sitegate/x/1.0/xml/features",
                "install", "gw-probe/1.0.1,gw-extra", "remove", "old-thing"));
        assertThat(PolicySections.toConfigSection("features", json("{}"), "features", false).values("features")).isEmpty();
    }

    @Test
    void aBadFeaturesItemIsRefusedByName() {
        assertThat(refusal("features", "{\"repositories\":[\"http://x/f.xml\"]}", false).getMessage()).contains("'http://x/f.xml'");
        assertThat(refusal("features", "{\"repositories\":[\"file:/a,b.xml\"]}", false).getMessage()).contains("file:/a,b.xml");
        assertThat(refusal("features", "{\"install\":[\"gw-probe/[1,2)\"]}", false).getMessage())
                .contains("gw-probe/[1,2)", "range");
        assertThat(refusal("features", "{\"install\":[\"-x\"]}", false).getMessage()).contains("'-x'");
        assertThat(refusal("features", "{\"remove\":[\"a/b\"]}", false).getMessage()).contains("a/b");
        assertThat(refusal("features", "{\"install\":[1]}", false).getMessage()).contains("features.install");
        assertThat(refusal("features", "{\"install\":\"x\"}", false).getMessage()).contains("features.install");
        assertThat(refusal("features", "{\"uninstall\":[]}", false).getMessage()).contains("'uninstall'");
        assertThat(refusal("features", "[]", false).code()).isEqualTo(PolicyRefusal.Code.SCHEMA);
    }
}
