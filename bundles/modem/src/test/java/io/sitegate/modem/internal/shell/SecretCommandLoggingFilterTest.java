package io.sitegate.modem.internal.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretCommandLoggingFilterTest {
    private final SecretCommandLoggingFilter filter = new SecretCommandLoggingFilter();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "sitegate:modem-at wan0 AT+CPIN=1234                    | sitegate:modem-at wan0 AT+CPIN=****",
        "modem-at wan0 at+cpin=1234                             | modem-at wan0 at+cpin=****",
        "modem-at wan0 'AT+CFUN=1;+CPIN=1234'                   | modem-at wan0 'AT+CFUN=1;+CPIN=****",
        "modem-at wan0 'AT+CLCK=\"SC\",1,\"1234\"'              | modem-at wan0 'AT+CLCK=\"SC\",1,\"****\"'",
        "modem-at --timeout 30 wan0 'AT+CPWD=\"SC\",\"1234\",\"5678\"' | modem-at --timeout 30 wan0 'AT+CPWD=\"SC\",\"****\",\"****\"'",
        "modem-at wan0 'AT+CGAUTH=1,1,\"user\",\"pass\"'        | modem-at wan0 'AT+CGAUTH=1,1,\"****\",\"****\"'",
        "modem-at wan0 'AT+QICSGP=1,1,\"apn\",\"user\",\"pass\",1' | modem-at wan0 'AT+QICSGP=1,1,\"apn\",\"****\",\"****\",1'",
        "config:property-set pin 1234                           | config:property-set pin ****",
        "property-set -p io.sitegate.modem~wan0 apnPassword s3cret | property-set -p io.sitegate.modem~wan0 apnPassword ****",
        "config:property-set tunnelPsk 'a b c'                  | config:property-set tunnelPsk ****",
    })
    void secretsAreMasked(String line, String expected) {
        assertThat(filter.filter(line).toString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sitegate:modem-at wan0 AT+CSQ", "modem-at wan0 'AT+CPIN?'", "sitegate:dns-lookup example.com",
        "config:property-set pinSecret sim-wan0", "config:property-set apn internet", "log:display",
        "sitegate:modem-status wan0", "feature:list | grep sitegate",
    })
    void unrelatedCommandsAreLeftIntact(String line) {
        assertThat(filter.filter(line)).isSameAs(line);
    }

    @Test
    void aPinInAnUnrelatedCommandIsNotTouchedButModemAtAnywhereInALineIs() {
        String echo = "echo AT+CPIN=1234";
        assertThat(filter.filter(echo)).isSameAs(echo);
        assertThat(filter.filter("sitegate:modem-list; sitegate:modem-at wan0 AT+CPIN=1234").toString()).doesNotContain("1234");
    }

    @Test
    void nullPassesThrough() {
        assertThat(filter.filter(null)).isNull();
    }
}
