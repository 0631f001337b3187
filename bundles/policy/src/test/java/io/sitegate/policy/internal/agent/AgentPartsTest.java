package io.sitegate.policy.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitegate.core.Health;
import io.sitegate.core.HealthState;
import io.sitegate.core.SitegateTopics;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.policy.internal.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** The agent's status document, its MQTT round-trip condition and its event mapping. */
class AgentPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theStatusCarriesIdentityHealthAndSectionsButNoSecretValue() throws Exception {
        Map<String, ConfigSection> sections = Map.of(
                "tunnels", ConfigSection.of("tunnels", "io.sitegate.tunnel~corp", Map.of("type", "ipsec", "ipsec.psk", "s3cr3t",
                        "ipsec.psk.file", "/etc/sitegate/secrets/corp.psk")),
                "modem", ConfigSection.of("modem", "io.sitegate.modem~wan0", Map.of("pin", "1234", "apn", "iot.example")));
        Map<String, Health> health = new TreeMap<>(Map.of("mqtt", new Health("mqtt", HealthState.UP, "", Instant.EPOCH),
                "tunnels", new Health("tunnels", HealthState.DOWN, "no tunnel", Instant.EPOCH)));
        byte[] bytes = StatusReport.online("gw-1", List.of("plant-7"), Optional.of(new StatusReport.Identity("356938035643809", "")),
                "0.1.0", null, health, sections, Instant.parse("2026-12-04T12:00:00Z"));
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        JsonNode n = JSON.readTree(text);

        assertThat(n.path("state").asText()).isEqualTo("online");
        assertThat(n.path("groups").get(0).asText()).isEqualTo("plant-7");
        assertThat(n.path("imei").asText()).isEqualTo("356938035643809");
        assertThat(n.has("iccid")).as("no SIM, no ICCID").isFalse();
        assertThat(n.path("health").path("tunnels").asText()).isEqualTo("DOWN");
        assertThat(n.path("sections").path("modem").path("io.sitegate.modem~wan0").path("apn").asText()).isEqualTo("iot.example");
        assertThat(text).doesNotContain("s3cr3t", "1234");
        assertThat(n.path("sections").path("tunnels").path("io.sitegate.tunnel~corp").path("ipsec.psk").asText()).isEqualTo("<hidden>");
        assertThat(n.path("sections").path("tunnels").path("io.sitegate.tunnel~corp").path("ipsec.psk.file").asText())
                .as("a path to a secret is not a secret").isEqualTo("/etc/sitegate/secrets/corp.psk");
    }

    @Test
    void theRoundTripHoldsOnlyForAnEchoOfAProbeSentAfterTheApply() {
        AtomicLong now = new AtomicLong(1_000);
        List<String> sent = new ArrayList<>();
        RoundTrip rt = new RoundTrip(nonce -> sent.add(new String(nonce)), now::get);
        // a probe before the apply, echoed: does not count for a later apply
        assertThat(rt.after(500).unmet(new TreeMap<>())).isPresent();
        assertThat(rt.echoed(sent.get(0).getBytes())).isTrue();
        now.set(5_000);
        var condition = rt.after(4_000);
        assertThat(condition.unmet(new TreeMap<>())).hasValueSatisfying(r -> assertThat(r).contains("no MQTT round trip"));
        assertThat(sent).hasSize(2);
        assertThat(rt.echoed("forged".getBytes())).isFalse();
        assertThat(condition.unmet(new TreeMap<>())).as("no new probe within the resend time").isPresent();
        assertThat(sent).hasSize(2);
        assertThat(rt.echoed(sent.get(1).getBytes())).isTrue();
        assertThat(condition.unmet(new TreeMap<>())).isEmpty();
        // a lost probe is sent again after the resend time
        var next = rt.after(6_000);
        now.set(6_000);
        next.unmet(new TreeMap<>());
        now.set(6_000 + RoundTrip.RESEND_NANOS);
        next.unmet(new TreeMap<>());
        assertThat(sent).hasSize(4);
    }

    @Test
    void operatorLoginsBindingResetsAndQuotaOverridesAreAuditedWithoutTheSubject() {
        Map<String, Object> login = new java.util.HashMap<>();
        login.put("username", "tech");
        login.put("subject", new javax.security.auth.Subject());
        login.put("timestamp", 1L);
        Event e = new Event("org/apache/karaf/login/SUCCESS", login);
        Map<String, String> props = EventForwarder.properties(e);
        assertThat(props).containsEntry("username", "tech").doesNotContainKey("subject");
        AuditEvent a = EventForwarder.auditEvent(e.getTopic(), props).orElseThrow();
        assertThat(a.type()).isEqualTo("operator.login");
        assertThat(a.target()).isEqualTo("tech");
        assertThat(a.outcome()).isEqualTo("SUCCESS");
        assertThat(EventForwarder.auditEvent("org/apache/karaf/login/ATTEMPT", props)).isEmpty();

        AuditEvent ssh = EventForwarder.auditEvent(SitegateTopics.OPERATOR_LOGIN, Map.of("user", "tech", "remote", "192.168.1.20")).orElseThrow();
        assertThat(ssh.type()).isEqualTo("operator.login");
        assertThat(ssh.target()).isEqualTo("tech");
        assertThat(ssh.reason()).contains("192.168.1.20");

        AuditEvent reset = EventForwarder.auditEvent(SitegateTopics.BINDING_CHANGED, Map.of("modem", "wan0", "change", "RESET")).orElseThrow();
        assertThat(reset.type()).isEqualTo("binding.changed");
        assertThat(reset.outcome()).isEqualTo("RESET");
        assertThat(EventForwarder.auditEvent(SitegateTopics.QUOTA_OVERRIDE, Map.of("modem", "wan0"))).isPresent();
        assertThat(EventForwarder.auditEvent(SitegateTopics.TUNNEL_UP, Map.of())).isEmpty();
    }
}
