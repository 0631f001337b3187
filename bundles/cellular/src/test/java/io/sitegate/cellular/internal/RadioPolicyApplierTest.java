package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.DnsPolicy;
import io.sitegate.cellular.NetworkPolicy;
import io.sitegate.cellular.RadioPolicyStatus.Phase;
import io.sitegate.modem.LinkState;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.Rat;
import io.sitegate.modem.UnsupportedCapabilityException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RadioPolicyApplierTest {
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");
    private final FakeModem modem = new FakeModem("wan0", status().link(LinkState.INITIALISING).build());

    private static final NetworkPolicy LTE_PINNED = new NetworkPolicy(List.of(Rat.LTE_M, Rat.NB_IOT), List.of("26201"),
            Optional.of("26201"));
    private static final DnsPolicy QUAD9 = new DnsPolicy(Optional.of("9.9.9.9"), Optional.of("149.112.112.112"));

    private RadioPolicyApplier applier(NetworkPolicy n, DnsPolicy d) {
        return new RadioPolicyApplier("wan0", clock, n, d);
    }

    @Test
    void waitsForTheLinkThenAppliesRatPinAndDnsOnce() {
        RadioPolicyApplier a = applier(LTE_PINNED, QUAD9);
        a.poll(modem);
        assertThat(modem.calls).isEmpty();
        assertThat(a.status().phase()).isEqualTo(Phase.WAITING);
        assertThat(a.status().detail()).contains("INITIALISING");

        modem.status = status().link(LinkState.READY).build();
        a.poll(modem);
        a.poll(modem);

        assertThat(modem.calls).containsExactly("setRatOrder [LTE_M, NB_IOT]", "selectOperator 26201",
                "setDnsServers 9.9.9.9 149.112.112.112");
        assertThat(a.status().phase()).isEqualTo(Phase.APPLIED);
        assertThat(a.status().detail()).isEqualTo("RAT order lte-m,nb-iot; network 26201 pinned; DNS 9.9.9.9, 149.112.112.112");
    }

    @Test
    void aModemThatWasReinitialisedGetsTheSettingsAgain() {
        RadioPolicyApplier a = applier(LTE_PINNED, DnsPolicy.network());
        modem.status = status().build();
        a.poll(modem);
        modem.status = status().link(LinkState.CLOSED).build();
        a.poll(modem);
        modem.status = status().build();
        a.poll(modem);
        assertThat(modem.calls).hasSize(4);
    }

    @Test
    void whatTheModemCannotDoIsReportedAndNotRetriedUntilThePolicyChanges() {
        modem.status = status().build();
        modem.failures.put("setRatOrder", new ModemException("modem wan0: modem profile 'generic' cannot do LTE-M",
                new UnsupportedCapabilityException("generic", "LTE-M")));
        RadioPolicyApplier a = applier(LTE_PINNED, DnsPolicy.network());
        a.poll(modem);
        clock.advance(Duration.ofHours(1));
        a.poll(modem);

        assertThat(modem.calls).containsExactly("setRatOrder [LTE_M, NB_IOT]", "selectOperator 26201");
        assertThat(a.status().phase()).isEqualTo(Phase.FAILED);
        assertThat(a.status().detail()).isEqualTo("RAT order lte-m,nb-iot: modem wan0: modem profile 'generic' cannot do LTE-M"
                + " (applied: network 26201 pinned)");

        a.want(new NetworkPolicy(List.of(Rat.LTE), List.of(), Optional.empty()), DnsPolicy.network());
        modem.failures.clear();
        a.poll(modem);
        assertThat(modem.calls).endsWith("setRatOrder [LTE]", "selectOperator null");
        assertThat(a.status().phase()).isEqualTo(Phase.APPLIED);
        assertThat(a.status().detail()).isEqualTo("RAT order lte; automatic network selection");
    }

    @Test
    void aPassingFailureIsRetriedAfterAMinute() {
        modem.status = status().build();
        modem.failures.put("setDnsServers", new ModemException("modem wan0: set DNS servers failed: no answer within 5 s"));
        RadioPolicyApplier a = applier(NetworkPolicy.any(), QUAD9);
        a.poll(modem);
        a.poll(modem);
        assertThat(modem.calls).hasSize(1);
        modem.failures.clear();
        clock.advance(RadioPolicyApplier.RETRY);
        a.poll(modem);
        assertThat(modem.calls).hasSize(2);
        assertThat(a.status().phase()).isEqualTo(Phase.APPLIED);
    }

    @Test
    void nothingToApplyTouchesNothing() {
        modem.status = status().build();
        RadioPolicyApplier a = applier(NetworkPolicy.any(), DnsPolicy.network());
        a.poll(modem);
        assertThat(modem.calls).isEmpty();
        assertThat(a.status().phase()).isEqualTo(Phase.NOTHING_TO_APPLY);
        a.want(NetworkPolicy.any(), DnsPolicy.network());
        a.poll(modem);
        assertThat(modem.calls).isEmpty();
    }

    @Test
    void anInvalidValueTheProfileRefusesIsReportedNotThrown() {
        modem.status = status().build();
        FakeModem refusing = new FakeModem("wan0", status().build()) {
            @Override
            public void setDnsServers(String primary, String secondary) {
                throw new IllegalArgumentException("not an IP literal: " + primary);
            }
        };
        RadioPolicyApplier a = applier(NetworkPolicy.any(), QUAD9);
        a.poll(refusing);
        assertThat(a.status().phase()).isEqualTo(Phase.FAILED);
        assertThat(a.status().detail()).contains("not an IP literal");
    }
}
