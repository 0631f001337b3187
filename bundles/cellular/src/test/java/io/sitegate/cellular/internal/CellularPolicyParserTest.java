package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.ICCID_2;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMEI_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BoundPair;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.modem.Rat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellularPolicyParserTest {

    private static CellularPolicy parse(Map<String, ?> p) {
        return CellularPolicyParser.parse(p, "etc/io.sitegate.cellular.cfg");
    }

    private static Map<String, Object> props(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "io.sitegate.cellular");
        p.put("felix.fileinstall.filename", "file:/opt/sitegate/etc/io.sitegate.cellular.cfg");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void anEmptyConfigurationEnforcesNothing() {
        CellularPolicy p = parse(props());
        assertThat(p.source()).isEqualTo("etc/io.sitegate.cellular.cfg");
        assertThat(p.binding().mode()).isEqualTo(BindingMode.OFF);
        assertThat(p.network().allowedPlmns()).isEmpty();
        assertThat(p.network().ratOrder()).isEmpty();
        assertThat(p.network().pinnedPlmn()).isEmpty();
        assertThat(p.dns().custom()).isFalse();
        assertThat(p.quota().dataLimitBytes()).isZero();
        assertThat(p.quota().smsMoLimit()).isZero();
        assertThat(p.quota().cycleStartDay()).isEqualTo(1);
        assertThat(p.quota().zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.quota().action()).isEqualTo(QuotaAction.NOTIFY);
        assertThat(p.quota().thresholds()).containsExactly(80, 100);
        assertThat(p.quota().checkInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFullPolicyParses() {
        CellularPolicy p = parse(props(
                "binding.mode", "manual",
                "binding.pairs", IMEI_A + ":" + ICCID_1 + ", " + IMEI_B + ":" + ICCID_2 + "F",
                "binding.alertNumber", "+491701234567",
                "rat.allowed", "lte-m nb-iot, gsm",
                "networks.allowed", "26201,26202 310410",
                "networks.pin", "26202",
                "dns.primary", "10.8.0.53",
                "dns.secondary", "2001:db8::53",
                "quota.data.bytes", "500MB",
                "quota.sms.mo", "100",
                "quota.sms.mt", "50",
                "quota.cycleStartDay", "15",
                "quota.timezone", "Europe/Berlin",
                "quota.action", "BLOCK",
                "quota.thresholds", "50%, 80, 100",
                "quota.checkSeconds", "30"));
        assertThat(p.binding().mode()).isEqualTo(BindingMode.MANUAL);
        assertThat(p.binding().pairs()).containsExactly(new BoundPair(IMEI_A, ICCID_1), new BoundPair(IMEI_B, ICCID_2));
        assertThat(p.binding().alertNumber()).contains("+491701234567");
        assertThat(p.network().ratOrder()).containsExactly(Rat.LTE_M, Rat.NB_IOT, Rat.GSM);
        assertThat(p.network().allowedPlmns()).containsExactly("26201", "26202", "310410");
        assertThat(p.network().pinnedPlmn()).contains("26202");
        assertThat(p.dns().primary()).contains("10.8.0.53");
        assertThat(p.dns().secondary()).contains("2001:db8:0:0:0:0:0:53");
        assertThat(p.quota().dataLimitBytes()).isEqualTo(500_000_000L);
        assertThat(p.quota().smsMoLimit()).isEqualTo(100);
        assertThat(p.quota().smsMtLimit()).isEqualTo(50);
        assertThat(p.quota().cycleStartDay()).isEqualTo(15);
        assertThat(p.quota().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(p.quota().action()).isEqualTo(QuotaAction.BLOCK);
        assertThat(p.quota().thresholds()).containsExactly(50, 80, 100);
        assertThat(p.quota().checkInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void listsMayComeAsArraysOrCollectionsFromAPolicyDocument() {
        Map<String, Object> p = props();
        p.put("networks.allowed", new String[] {"26201", " 26202 "});
        p.put("rat.allowed", List.of("lte", "4g-is-not-twice"));
        assertThatThrownBy(() -> parse(p)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'rat.allowed'").hasMessageContaining("'4g-is-not-twice'");
        p.put("rat.allowed", List.of("lte", "umts"));
        assertThat(parse(p).network().allowedPlmns()).containsExactly("26201", "26202");
        assertThat(parse(p).network().ratOrder()).containsExactly(Rat.LTE, Rat.UMTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0|0", "1024|1024", "1500B|1500", "2kb|2000", "500MB|500000000", "2GB|2000000000", "1TB|1000000000000",
        "1KiB|1024", "3MiB|3145728", "2GiB|2147483648", "1 TiB|1099511627776"})
    void dataSizesAcceptDecimalAndBinaryUnits(String text, long bytes) {
        assertThat(parse(props("quota.data.bytes", text)).quota().dataLimitBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "binding.mode|sometimes|expected off, auto or manual",
        "binding.pairs|" + IMEI_A + "|expected IMEI:ICCID",
        "binding.pairs|" + IMEI_A + ":" + ICCID_1 + ":x|expected IMEI:ICCID",
        "binding.pairs|867962040000014:" + ICCID_1 + "|fails the Luhn check",
        "binding.pairs|86796204000001:" + ICCID_1 + "|is not 15 digits",
        "binding.pairs|" + IMEI_A + ":8949020000123|is not 18 to 22 digits",
        "binding.pairs|" + IMEI_A + ":89490200001234567890123|is not 18 to 22 digits",
        "binding.pairs|" + IMEI_A + ":8949020000123456789A|is not 18 to 22 digits",
        "binding.alertNumber|call-me|a phone number",
        "rat.allowed|lte,5g|unknown RAT",
        "rat.allowed|lte,4g|listed twice",
        "networks.allowed|26|expected a PLMN",
        "networks.allowed|2620A|expected a PLMN",
        "networks.allowed|2620123|expected a PLMN",
        "networks.allowed|26201,26201|listed twice",
        "networks.pin|262|expected a PLMN",
        "dns.primary|dns.example.com|expected an IPv4 or IPv6 address literal",
        "dns.primary|256.1.1.1|expected an IPv4 or IPv6 address literal",
        "dns.primary|0.0.0.0|not a usable DNS server address",
        "dns.primary|224.0.0.251|not a usable DNS server address",
        "dns.primary|2001:db8::zz|expected an IPv4 or IPv6 address literal",
        "dns.primary|1:2|expected an IPv4 or IPv6 address literal",
        "quota.data.bytes|-1|must not be negative",
        "quota.data.bytes|-5GB|must not be negative",
        "quota.data.bytes|1.5GB|expected a whole number of bytes",
        "quota.data.bytes|5 parsecs|unknown unit",
        "quota.data.bytes|2000TB|too large",
        "quota.data.bytes|99999999999999999999|too large",
        "quota.sms.mo|-3|must not be negative",
        "quota.sms.mo|ten|expected a whole number",
        "quota.sms.mt|-1|must not be negative",
        "quota.cycleStartDay|0|expected a number from 1 to 28",
        "quota.cycleStartDay|31|expected a number from 1 to 28",
        "quota.cycleStartDay|29|expected a number from 1 to 28",
        "quota.timezone|Mars/Olympus|unknown time zone",
        "quota.timezone|CEST|unknown time zone",
        "quota.action|shout|expected block, throttle or notify",
        "quota.thresholds|80,120|expected a percentage from 1 to 100",
        "quota.thresholds|0,100|expected a percentage from 1 to 100",
        "quota.thresholds|100,80|strictly ascending",
        "quota.thresholds|80,80|strictly ascending",
        "quota.thresholds|eighty|expected a percentage from 1 to 100",
        "quota.checkSeconds|1|expected a number from 5 to 86400",
        "quota.checkSeconds|soon|expected a whole number",
        "quota.data.byte|500MB|unknown property",
        "binding.imei|" + IMEI_A + "|unknown property"})
    void badValuesAreRefusedNamingTheFieldAndTheValue(String key, String value, String reason) {
        assertThatThrownBy(() -> parse(props(key, value)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo(key);
                    assertThat(e.getMessage()).contains("'" + key + "'").contains(reason);
                })
                .satisfies(e -> assertThat(value).contains(((InvalidConfigurationException) e).value()));
    }

    @Test
    void manualBindingNeedsPairs() {
        assertThatThrownBy(() -> parse(props("binding.mode", "manual")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("binding.pairs"))
                .hasMessageContaining("at least one IMEI:ICCID pair");
    }

    @Test
    void aSimCannotBeBoundToTwoModems() {
        assertThatThrownBy(() -> parse(props("binding.pairs", IMEI_A + ":" + ICCID_1 + "," + IMEI_B + ":" + ICCID_1 + "f")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("binding.pairs"))
                .hasMessageContaining("ICCID " + ICCID_1 + " is listed more than once");
    }

    @Test
    void oneModemMayAcceptSeveralSims() {
        assertThat(parse(props("binding.mode", "manual", "binding.pairs",
                IMEI_A + ":" + ICCID_1 + " " + IMEI_A + ":" + ICCID_2)).binding().pairs()).hasSize(2);
    }

    @Test
    void thePinnedNetworkMustBeAllowed() {
        assertThatThrownBy(() -> parse(props("networks.allowed", "26201", "networks.pin", "26202")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("networks.pin"))
                .hasMessageContaining("not in networks.allowed");
        assertThat(parse(props("networks.pin", "26202")).network().pinnedPlmn()).contains("26202");
    }

    @Test
    void aSecondaryDnsServerNeedsAPrimary() {
        assertThatThrownBy(() -> parse(props("dns.secondary", "9.9.9.9")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("dns.secondary"));
    }

    @Test
    void thresholdsCanBeSwitchedOff() {
        assertThat(parse(props("quota.thresholds", "none")).quota().thresholds()).isEmpty();
        assertThat(parse(props("quota.thresholds", "")).quota().thresholds()).containsExactly(80, 100);
    }

    @Test
    void numbersFromAPolicyDocumentAreAcceptedAsWell() {
        Map<String, Object> p = props();
        p.put("quota.sms.mo", 20);
        p.put("quota.cycleStartDay", 3L);
        CellularPolicy policy = parse(p);
        assertThat(policy.quota().smsMoLimit()).isEqualTo(20);
        assertThat(policy.quota().cycleStartDay()).isEqualTo(3);
        p.put("quota.sms.mo", -20);
        assertThatThrownBy(() -> parse(p)).hasMessageContaining("'quota.sms.mo'").hasMessageContaining("-20");
    }

    @Test
    void anOptionalAlertNumberIsEmptyWhenAbsent() {
        assertThat(parse(props("binding.mode", "auto")).binding().alertNumber()).isEqualTo(Optional.empty());
    }
}
