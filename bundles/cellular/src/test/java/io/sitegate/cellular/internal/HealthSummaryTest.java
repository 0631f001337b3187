package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.QuotaKind;
import io.sitegate.cellular.QuotaUsage;
import io.sitegate.core.HealthState;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HealthSummaryTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1234567890|5000000000|1.2/5 GB",
        "1250000000|5000000000|1.3/5 GB",
        "0|5000000000|0/5 GB",
        "40000000|5000000000|0/5 GB",
        "60000000|5000000000|0.1/5 GB",
        "123456789|500000000|123/500 MB",
        "12345678|500000000|12/500 MB",
        "6000000000|5000000000|6/5 GB",
        "340000000|0|340 MB, no limit",
        "341234567|0|341 MB, no limit",
        "0|0|0 B, no limit",
        "999|0|999 B, no limit",
        "1100|1000|1.1/1 KB",
    })
    void usageHasTwoSignificantDigitsSoTheHealthLineChangesRarely(long used, long limit, String shown) {
        assertThat(HealthSummary.usage(new QuotaUsage(QuotaKind.DATA, used, limit, List.of()))).isEqualTo(shown);
    }

    @Test
    void aRefusedConfigurationIsDownWithItsReason() {
        HealthSummary h = HealthSummary.of(CellularPolicy.permissive("x"), Optional.of("io.sitegate.cellular: property 'a' has invalid value 'b'"),
                List.of());
        assertThat(h.state()).isEqualTo(HealthState.DOWN);
        assertThat(h.reason()).isEqualTo("io.sitegate.cellular: property 'a' has invalid value 'b'");
    }

    @Test
    void theSummaryNamesModeNetworksAndModems() {
        CellularPolicy manual = CellularPolicyParser.parse(Map.of("binding.mode", "manual",
                "binding.pairs", "867962040000013:89490200001234567890", "networks.allowed", "26201,26202"), "t");
        HealthSummary h = HealthSummary.of(manual, Optional.empty(), List.of());
        assertThat(h.state()).isEqualTo(HealthState.UP);
        assertThat(h.reason()).isEqualTo("binding manual (1 pairs), 2 networks allowed, no modem");
    }
}
