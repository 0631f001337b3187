package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PolicyDocumentTest {
    private static final Instant AT = Instant.parse("2025-03-14T09:30:00Z");

    @Test
    void keepsOnlyThePolicysKeysAndFlattensLists() throws Exception {
        Map<String, Object> values = Map.of("binding.mode", "auto", "rat.allowed", new String[] {"lte", "lte-m"},
                "networks.allowed", List.of("26201", "26202"), "service.pid", "io.sitegate.cellular",
                "binding.alertNumber", "+49 170\\1");
        PolicyDocument.Stored back = PolicyDocument.decode(PolicyDocument.encode(values, "policy v12", AT));
        assertThat(back.values()).containsOnly(Map.entry("binding.mode", "auto"), Map.entry("rat.allowed", "lte,lte-m"),
                Map.entry("networks.allowed", "26201,26202"), Map.entry("binding.alertNumber", "+49 170\\1"));
        assertThat(back.source()).isEqualTo("policy v12");
        assertThat(back.appliedAt()).isEqualTo(AT);
        assertThat(CellularPolicyParser.parse(Map.of("rat.allowed", back.values().get("rat.allowed")), "x").network().ratOrder()).hasSize(2);
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> PolicyDocument.decode("format=1\nsource=x\nappliedAt=2025-03-14T09:30:00Z\nbinding.colour=red\n"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedStateException.class).hasMessageContaining("binding.colour");
        assertThatThrownBy(() -> PolicyDocument.decode("format=2\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> PolicyDocument.decode("format=1\nsource=x\nappliedAt=yesterday\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("appliedAt");
        assertThatThrownBy(() -> PolicyDocument.decode("format=1\nappliedAt=2025-03-14T09:30:00Z\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedStateException.class).hasMessageContaining("source");
    }
}
