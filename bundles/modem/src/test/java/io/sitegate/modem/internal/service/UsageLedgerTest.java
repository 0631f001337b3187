package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.modem.DataCounters;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    @Test
    void countsDeltasAndSurvivesAModemCounterReset() {
        UsageLedger l = new UsageLedger();
        l.observe(new DataCounters(1000, 2000));
        l.observe(new DataCounters(1500, 2600));
        l.observe(new DataCounters(100, 50)); // the modem reset its counters: 100/50 came since
        l.observe(new DataCounters(300, 80));

        assertThat(l.usage().totalSent()).isEqualTo(1800);
        assertThat(l.usage().totalReceived()).isEqualTo(2680);
        assertThat(l.usage().total()).isEqualTo(4480);
        assertThat(l.usage().countersAvailable()).isTrue();
    }

    @Test
    void sessionCountersRestartTotalsCarryOn() {
        UsageLedger l = new UsageLedger();
        l.observe(new DataCounters(100, 100));
        l.sessionStarted();
        l.observe(new DataCounters(150, 130));
        assertThat(l.usage().sessionSent()).isEqualTo(50);
        assertThat(l.usage().sessionReceived()).isEqualTo(30);
        assertThat(l.usage().totalSent()).isEqualTo(150);
    }

    @Test
    void persistedTotalsContinueAfterARestartWithoutDoubleCounting() {
        UsageLedger before = new UsageLedger();
        before.observe(new DataCounters(1000, 2000));
        before.smsSent();
        before.smsReceived();
        byte[] saved = before.encode();
        assertThat(before.dirty()).isFalse();

        UsageLedger after = UsageLedger.decode(saved);
        after.observe(new DataCounters(1200, 2100)); // the modem kept counting while the gateway restarted
        assertThat(after.usage().totalSent()).isEqualTo(1200);
        assertThat(after.usage().totalReceived()).isEqualTo(2100);
        assertThat(after.smsSentCount()).isEqualTo(1);
        assertThat(after.smsReceivedCount()).isEqualTo(1);
    }

    @Test
    void aMalformedDocumentIsRefusedNamingTheField() {
        assertThatThrownBy(() -> UsageLedger.decode("totalSent=12x\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("field totalSent is not a count: '12x'");
        assertThatThrownBy(() -> UsageLedger.decode("totalReceived=-5\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("field totalReceived");
    }
}
