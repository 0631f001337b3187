package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

class MqttLinkSettingsTest {
    private static final Path F = Path.of("/etc/sitegate/mqtt/x.pem");

    @Test
    void defaults() {
        MqttLinkSettings s = MqttLinkSettings.tls("ssl://broker.example:8883", "gw-17", F, F, F);
        assertThat(s.sessionExpiry()).isEqualTo(Duration.ofDays(1));
        assertThat(s.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.usesTls()).isTrue();
        assertThat(s.statusTopic()).isEqualTo("sitegate/gw-17/status");
        assertThat(new String(s.offlinePayload())).isEqualTo("{\"state\":\"offline\",\"gateway\":\"gw-17\"}");
    }

    @Test
    void refusesWithTheNameOfTheProperty() {
        assertThatThrownBy(() -> MqttLinkSettings.tls("ssl://b:8883", "gw/1", F, F, F))
                .hasMessageStartingWith("gatewayId: 'gw/1'");
        assertThatThrownBy(() -> MqttLinkSettings.tls("ssl://b:8883", "gw+", F, F, F))
                .hasMessageStartingWith("gatewayId:");
        assertThatThrownBy(() -> MqttLinkSettings.tls("ssl://b", "gw1", F, F, F))
                .hasMessageStartingWith("brokerUri: 'ssl://b' needs a host and a port");
        assertThatThrownBy(() -> MqttLinkSettings.tls("ws://b:80", "gw1", F, F, F))
                .hasMessageStartingWith("brokerUri: 'ws://b:80' must start with ssl://");
        assertThatThrownBy(() -> MqttLinkSettings.tls("ssl://b:8883", "gw1", F, null, F))
                .hasMessageStartingWith("caFile, certFile, keyFile");
        assertThatThrownBy(() -> MqttLinkSettings.tls("tcp://b:1883", "gw1", F, F, F))
                .hasMessageContaining("plain TCP, refused");
        assertThatThrownBy(() -> MqttLinkSettings.plainTcp("tcp://b:1883", "gw1").withKeepAlive(Duration.ZERO))
                .hasMessageStartingWith("keepAlive:");
        assertThatThrownBy(() -> MqttLinkSettings.plainTcp("tcp://b:1883", "gw1")
                .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .hasMessageStartingWith("backoffMax:");
    }
}
