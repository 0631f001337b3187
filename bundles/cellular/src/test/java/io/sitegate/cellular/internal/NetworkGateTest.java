package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.cellular.NetworkPolicy;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.Rat;
import io.sitegate.modem.RegistrationStatus;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class NetworkGateTest {
    private final NetworkGate gate = new NetworkGate();
    private final NetworkPolicy germany = new NetworkPolicy(List.of(Rat.LTE_M, Rat.NB_IOT), List.of("26201", "26202"),
            Optional.empty());

    @Test
    void anEmptyAllowlistAllowsAnyNetwork() {
        assertThat(gate.check(NetworkPolicy.any(), status().plmn("310410").build()).allowed()).isTrue();
    }

    @Test
    void anAllowedNetworkIsAllowed() {
        assertThat(gate.check(germany, status().plmn("26202").build())).isEqualTo(GateDecision.allow());
    }

    @Test
    void aNetworkNotAllowedIsRefusedAndSaysWhetherItIsRoaming() {
        GateDecision d = gate.check(germany, status().plmn("23410").registration(RegistrationStatus.REGISTERED_ROAMING).build());
        assertThat(d.allowed()).isFalse();
        assertThat(d.gate()).isEqualTo("network");
        assertThat(d.reason()).isEqualTo("registered on network 23410 (roaming), which the policy does not allow; "
                + "allowed networks: 26201, 26202");
        assertThat(gate.check(germany, status().plmn("262010").build()).reason())
                .as("a 3-digit MNC is another network").startsWith("registered on network 262010, which");
    }

    @Test
    void unregisteredThereIsNoNetworkToJudge() {
        for (RegistrationStatus r : List.of(RegistrationStatus.NOT_REGISTERED, RegistrationStatus.SEARCHING,
                RegistrationStatus.DENIED, RegistrationStatus.SMS_ONLY_ROAMING)) {
            assertThat(gate.check(germany, status().plmn("23410").registration(r).build()).allowed()).as(r.name()).isTrue();
        }
    }

    @Test
    void registeredOnAnUnknownNetworkFailsClosed() {
        GateDecision d = gate.check(germany, status().operatorName("Telekom.de").build());
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).startsWith("registered, but the network (PLMN) is not known yet");
        assertThat(gate.check(NetworkPolicy.any(), status().operatorName("Telekom.de").build()).allowed()).isTrue();
    }
}
