package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.modem.Rat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModemSettingsTest {

    private static Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "io.sitegate.modem~wan0");
        p.put("port", "/dev/ttyUSB2");
        return p;
    }

    @Test
    void defaultsAndTheIdFromTheFactoryPid() {
        ModemSettings s = ModemSettings.from(base());
        assertThat(s.id()).isEqualTo("wan0");
        assertThat(s.pdpType()).isEqualTo("IP");
        assertThat(s.cid()).isEqualTo(1);
        assertThat(s.autoConnect()).isTrue();
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.ratOrder()).isEmpty();
    }

    @Test
    void ratOrdersParseWithAliasesAndRefuseUnknownOrRepeated() {
        assertThat(ModemSettings.parseRats("4g, lte-m ,nbiot,2g")).containsExactly(Rat.LTE, Rat.LTE_M, Rat.NB_IOT, Rat.GSM);
        Map<String, Object> p = base();
        p.put("ratOrder", "lte,5g");
        assertThatThrownBy(() -> ModemSettings.from(p)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("property 'ratOrder' has invalid value 'lte,5g'").hasMessageContaining("unknown RAT '5g'");
        assertThatThrownBy(() -> ModemSettings.parseRats("lte,4g")).hasMessageContaining("listed twice");
    }

    @Test
    void badValuesNameThePropertyButNeverEchoAPin() {
        Map<String, Object> p = base();
        p.put("pin", "12ab34");
        assertThatThrownBy(() -> ModemSettings.from(p)).hasMessage("property 'pin' has invalid value '****': expected 4 to 8 digits");

        Map<String, Object> q = base();
        q.remove("port");
        assertThatThrownBy(() -> ModemSettings.from(q)).hasMessageContaining("property 'port'").hasMessageContaining("required");

        Map<String, Object> r = base();
        r.put("cid", "0");
        assertThatThrownBy(() -> ModemSettings.from(r)).hasMessageContaining("property 'cid' has invalid value '0'");

        Map<String, Object> t = base();
        t.put("port", "COM3");
        assertThatThrownBy(() -> ModemSettings.from(t)).hasMessageContaining("property 'port' has invalid value 'COM3'");
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, Object> p = base();
        p.put("pin", "1234");
        p.put("apnPassword", "s3cret");
        String text = ModemSettings.from(p).toString();
        assertThat(text).doesNotContain("1234").doesNotContain("s3cret").contains("pin=****");
        assertThat(List.of(text)).isNotEmpty();
    }
}
