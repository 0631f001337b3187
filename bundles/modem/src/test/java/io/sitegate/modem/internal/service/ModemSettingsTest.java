package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.Secret;
import io.sitegate.modem.Rat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        p.put("pinSecret", "sim-wan0");
        MemorySecretStore secrets = new MemorySecretStore().with("sim-wan0", "12ab34");
        assertThatThrownBy(() -> ModemSettings.from(p, secrets))
                .hasMessage("property 'pinSecret' has invalid value 'sim-wan0': the SIM PIN in /opt/sitegate/etc/secrets/sim-wan0"
                        + " is not 4 to 8 digits");

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

    @ParameterizedTest
    @CsvSource({"pin, 1234, pinSecret", "apnPassword, s3cret, apnPasswordSecret", "puk, 87654321, pukSecret"})
    void plainSecretsAreRefusedNamingThePropertyNeverTheValue(String property, String value, String instead) {
        Map<String, Object> p = base();
        p.put(property, value);
        assertThatThrownBy(() -> ModemSettings.from(p, new MemorySecretStore()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("property '" + property + "' has invalid value '****': secrets are not accepted")
                .hasMessageContaining("/opt/sitegate/etc/secrets/<name>")
                .hasMessageContaining("mode 0600")
                .hasMessageContaining("'" + instead + " = <name>'")
                .hasMessageNotContaining(value);
    }

    @Test
    void anEmptyPlainPropertyIsHarmless() {
        Map<String, Object> p = base();
        p.put("pin", "");
        assertThat(ModemSettings.from(p).pin()).isEmpty();
    }

    @Test
    void secretsAreReadThroughTheStore() {
        Map<String, Object> p = base();
        p.put("pinSecret", "sim-wan0");
        p.put("apnPasswordSecret", "apn-wan0");
        ModemSettings s = ModemSettings.from(p, new MemorySecretStore().with("sim-wan0", "4711").with("apn-wan0", "pa ss"));
        assertThat(s.pin()).get().extracting(Secret::reveal).isEqualTo("4711");
        assertThat(s.apnPassword()).get().extracting(Secret::reveal).isEqualTo("pa ss");
    }

    @Test
    void unreadableOrBadlyNamedSecretsNameTheProperty() {
        Map<String, Object> p = base();
        p.put("pinSecret", "sim-wan0");
        assertThatThrownBy(() -> ModemSettings.from(p, new MemorySecretStore()))
                .hasMessage("property 'pinSecret' has invalid value 'sim-wan0': secret 'sim-wan0': file"
                        + " /opt/sitegate/etc/secrets/sim-wan0 does not exist");
        p.put("pinSecret", "../sim");
        assertThatThrownBy(() -> ModemSettings.from(p, new MemorySecretStore()))
                .hasMessageContaining("property 'pinSecret' has invalid value '../sim': expected a secret name");
        assertThatThrownBy(() -> ModemSettings.from(Map.of("port", "/dev/ttyUSB2", "pinSecret", "x")))
                .hasMessageContaining("no secret store");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pa\"ss", "pa\rss", "pa\u001ass", "pa\u007fss", "pa;ss", "pa\nss"})
    void anApnPasswordAnAtCommandCannotCarryIsRefusedWithoutShowingIt(String bad) {
        Map<String, Object> p = base();
        p.put("apnPasswordSecret", "apn-wan0");
        assertThatThrownBy(() -> ModemSettings.from(p, new MemorySecretStore().with("apn-wan0", bad)))
                .hasMessageContaining("property 'apnPasswordSecret' has invalid value 'apn-wan0'")
                .hasMessageContaining("cannot carry")
                .hasMessageNotContaining(bad);
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, Object> p = base();
        p.put("pinSecret", "sim-wan0");
        p.put("apnPasswordSecret", "apn-wan0");
        String text = ModemSettings.from(p, new MemorySecretStore().with("sim-wan0", "1234").with("apn-wan0", "s3cret")).toString();
        assertThat(text).doesNotContain("1234").doesNotContain("s3cret")
                .contains("pinSecret=sim-wan0").contains("apnPasswordSecret=apn-wan0");
        assertThat(List.of(text)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"us\"er", "us;er", "us\rer", "us\ner", "us\u0000er", "us\u001ber", "us\u007fer"})
    void anApnUserAnAtCommandCannotCarryIsRefusedNamingTheProperty(String bad) {
        Map<String, Object> p = base();
        p.put("apnUser", bad);
        assertThatThrownBy(() -> ModemSettings.from(p))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("property 'apnUser'")
                .hasMessageContaining("cannot carry")
                .hasMessageNotContaining("\r").hasMessageNotContaining("\n").hasMessageNotContaining("\u001b");
    }

    @Test
    void anOrdinaryApnUserIsKept() {
        Map<String, Object> p = base();
        p.put("apnUser", "web@operator.example");
        assertThat(ModemSettings.from(p).apnUser()).isEqualTo("web@operator.example");
    }

    @Test
    void everyProblemAtOnceWithUnknownKeysAndTheSecretNeverEchoed() {
        Map<String, Object> p = base();
        p.remove("port");
        p.put("cid", "99");
        p.put("apnUser", "a;b");
        p.put("pin", "1234");
        p.put("pollSecond", "5");
        var problems = ModemSettings.problems("io.sitegate.modem~wan0", p, new MemorySecretStore());
        assertThat(problems).extracting(io.sitegate.core.config.ConfigProblem::property)
                .containsExactlyInAnyOrder("port", "cid", "apnUser", "pin", "pollSecond");
        assertThat(problems.toString()).doesNotContain("1234");
        assertThat(problems).allSatisfy(pr -> assertThat(pr.pid()).isEqualTo("io.sitegate.modem~wan0"));
        assertThatThrownBy(() -> ModemSettings.from(p, new MemorySecretStore()))
                .isInstanceOf(io.sitegate.core.InvalidConfigurationException.class)
                .hasMessageContaining("'cid'").hasMessageContaining("'pollSecond'").hasMessageNotContaining("1234");
    }

}
