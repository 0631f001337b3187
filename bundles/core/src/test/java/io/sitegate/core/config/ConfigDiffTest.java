package io.sitegate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    private static final String PID = "io.sitegate.dns";

    private static List<String> diff(Map<String, ?> was, Map<String, ?> will) {
        return ConfigDiff.between(ConfigSection.of("dns", PID, was), ConfigSection.of("dns", PID, will), Set.of("upstreams", "networks"))
                .stream().map(ConfigChange::text).toList();
    }

    @Test
    void listsSayWhatWasAddedRemovedOrReordered() {
        assertThat(diff(Map.of("networks", "26201,26202"), Map.of("networks", "26202,26203")))
                .containsExactly("io.sitegate.dns: networks added 26203; removed 26201");
        assertThat(diff(Map.of("upstreams", "udp://a:53, udp://b:53"), Map.of("upstreams", List.of("udp://b:53", "udp://a:53"))))
                .containsExactly("io.sitegate.dns: upstreams reordered from udp://a:53, udp://b:53 to udp://b:53, udp://a:53");
        assertThat(diff(Map.of("upstreams", "a,b,c"), Map.of("upstreams", "c,a,d")))
                .containsExactly("io.sitegate.dns: upstreams added d; removed b; reordered to c, a, d");
    }

    @Test
    void scalarsSaySetChangedOrBackToDefault() {
        assertThat(diff(Map.of("route", "public", "tls.ca", "/a.pem"), Map.of("route", "private", "cache.maxEntries", 10)))
                .containsExactly("io.sitegate.dns: cache.maxEntries set to '10' (was the default)",
                        "io.sitegate.dns: route changed from 'public' to 'private'",
                        "io.sitegate.dns: tls.ca back to the default (was '/a.pem')");
    }

    @Test
    void sameValuesInOtherTypesAreNoChange() {
        assertThat(diff(Map.of("cache.maxEntries", "10", "upstreams", "a, b", "service.pid", PID, "felix.fileinstall.filename", "x"),
                Map.of("cache.maxEntries", 10, "upstreams", new String[] {"a", "b"}, "route", " "))).isEmpty();
    }

    @Test
    void factoryConfigurationsAddedAndRemoved() {
        ConfigSection was = new ConfigSection("modem", Map.of("io.sitegate.modem~wan0", Map.of("port", "/dev/ttyUSB2")));
        ConfigSection will = new ConfigSection("modem", Map.of("io.sitegate.modem~wan1", Map.of("port", "tcp://h:1", "apn", "iot")));
        assertThat(ConfigDiff.between(was, will, Set.of()).stream().map(ConfigChange::text))
                .containsExactly("io.sitegate.modem~wan0: removed", "io.sitegate.modem~wan1: added with apn=iot, port=tcp://h:1");
    }
}
