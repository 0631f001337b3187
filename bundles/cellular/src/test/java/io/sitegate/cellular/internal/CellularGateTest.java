package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.ICCID_2;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMEI_B;
import static io.sitegate.cellular.internal.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.RegistrationStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CellularGateTest {
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");

    private static CellularPolicy policy(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return CellularPolicyParser.parse(p, "test");
    }

    private CellularGate gate(CellularPolicy policy) {
        return new CellularGate("wan0", policy, new ImeiBinding(clock, policy.binding(), Optional.empty()),
                new QuotaLedger(clock, policy.quota()));
    }

    private static final CellularPolicy STRICT = policy("binding.mode", "auto", "networks.allowed", "26201",
            "quota.data.bytes", "1KB", "quota.action", "block", "quota.sms.mo", "2");

    @Test
    void aPermissivePolicyAllowsEverything() {
        GateOutcome o = gate(CellularPolicy.permissive("none")).evaluate(status().identity(Optional.empty()).build());
        assertThat(o.decision().allowed()).isTrue();
        assertThat(o.events()).isEmpty();
    }

    @Test
    void autoBindingLearnsOnTheFirstSessionThenRefusesASwappedModemOnceReported() {
        CellularGate g = gate(STRICT);
        assertThat(g.evaluate(status().build()).decision().allowed()).isTrue();
        Optional<BindingChange> learned = g.sessionUp(status().build());
        assertThat(learned).isPresent();
        CellularEvent changed = g.event(learned.get());
        assertThat(changed.topic()).isEqualTo(SitegateTopics.BINDING_CHANGED);
        assertThat(changed.properties()).containsEntry("action", "learned").containsEntry("imei", IMEI_A)
                .containsEntry("iccid", ICCID_1).containsEntry("modem", "wan0");

        GateOutcome swapped = g.evaluate(status().identity(IMEI_B, ICCID_1).build());
        assertThat(swapped.decision().gate()).isEqualTo("imei-binding");
        assertThat(swapped.decision().reason()).isEqualTo("SIM " + ICCID_1 + " is bound to IMEI " + IMEI_A
                + ", this modem is " + IMEI_B);
        assertThat(swapped.events()).singleElement().satisfies(e -> {
            assertThat(e.topic()).isEqualTo(SitegateTopics.BINDING_VIOLATED);
            assertThat(e.properties()).containsEntry("expectedImei", IMEI_A).containsEntry("seenImei", IMEI_B)
                    .containsEntry("expectedIccid", ICCID_1).containsEntry("seenIccid", ICCID_1)
                    .containsEntry("outcome", "SIM_BOUND_ELSEWHERE");
        });
        assertThat(g.evaluate(status().identity(IMEI_B, ICCID_1).build()).events()).as("reported once").isEmpty();
        assertThat(g.evaluate(status().identity(IMEI_A, ICCID_2).build()).events()).as("another violation is new")
                .extracting(CellularEvent::topic).containsExactly(SitegateTopics.BINDING_VIOLATED);
        assertThat(g.evaluate(status().build()).decision().allowed()).isTrue();
        assertThat(g.evaluate(status().identity(IMEI_A, ICCID_2).build()).events()).as("reported again after a good spell")
                .hasSize(1);
    }

    @Test
    void resetLetsTheNextSessionLearnAgain() {
        CellularGate g = gate(STRICT);
        g.sessionUp(status().build());
        assertThat(g.evaluate(status().identity(IMEI_B, ICCID_2).build()).decision().allowed()).isFalse();
        BindingChange reset = g.resetBinding("karaf").orElseThrow();
        assertThat(g.event(reset).properties()).containsEntry("action", "reset").containsEntry("by", "karaf")
                .containsEntry("imei", IMEI_A);
        assertThat(g.evaluate(status().identity(IMEI_B, ICCID_2).build()).decision().allowed()).isTrue();
        assertThat(g.sessionUp(status().identity(IMEI_B, ICCID_2).build())).isPresent();
    }

    @Test
    void anUnreadableIdentityRefusesTheSession() {
        GateOutcome o = gate(STRICT).evaluate(status().identity(IMEI_A, "").build());
        assertThat(o.decision().gate()).isEqualTo("imei-binding");
        assertThat(o.decision().reason()).contains("ICCID cannot be read");
        assertThat(o.binding().violation()).isFalse();
        // refused, but not a violation to report: no BINDING_VIOLATED event, so no alert SMS
        assertThat(o.events()).noneMatch(e -> e.topic().equals(io.sitegate.core.SitegateTopics.BINDING_VIOLATED));
    }

    @Test
    void aNetworkNotAllowedRefusesTheSessionAndIsReportedOncePerNetwork() {
        CellularGate g = gate(STRICT);
        GateOutcome o = g.evaluate(status().plmn("23410").registration(RegistrationStatus.REGISTERED_ROAMING).build());
        assertThat(o.decision().gate()).isEqualTo("network");
        assertThat(o.events()).singleElement().satisfies(e -> {
            assertThat(e.topic()).isEqualTo(SitegateTopics.NETWORK_NOT_ALLOWED);
            assertThat(e.properties()).containsEntry("mcc", "234").containsEntry("mnc", "10").containsEntry("modem", "wan0");
        });
        assertThat(g.evaluate(status().plmn("23410").registration(RegistrationStatus.REGISTERED_ROAMING).build())
                .events()).isEmpty();
        assertThat(g.evaluate(status().plmn("26201").build()).decision().allowed()).as("moved to an allowed network")
                .isTrue();
    }

    @Test
    void theBindingIsJudgedBeforeTheNetworkAndTheQuota() {
        CellularGate g = gate(STRICT);
        g.sessionUp(status().build());
        g.evaluate(status().bytes(0, 0).build());
        GateOutcome o = g.evaluate(status().identity(IMEI_B, ICCID_1).plmn("23410").bytes(5_000, 0).build());
        assertThat(o.decision().gate()).isEqualTo("imei-binding");
        assertThat(o.events()).extracting(CellularEvent::topic).containsExactlyInAnyOrder(SitegateTopics.QUOTA_THRESHOLD,
                SitegateTopics.QUOTA_THRESHOLD, SitegateTopics.BINDING_VIOLATED, SitegateTopics.NETWORK_NOT_ALLOWED);
        assertThat(g.ledger().status().data().used()).as("usage counts whatever the decision").isEqualTo(5_000);
    }

    @Test
    void theDataQuotaRefusesAtTheLimitWhileTheSessionRuns() {
        CellularGate g = gate(STRICT);
        g.evaluate(status().bytes(10, 10).build());
        assertThat(g.evaluate(status().bytes(400, 500).build()).decision().allowed()).isTrue();
        GateOutcome o = g.evaluate(status().bytes(600, 500).build());
        assertThat(o.decision().gate()).isEqualTo("quota-data");
        assertThat(o.decision().reason()).startsWith("monthly data quota used up: 1.08 KB of 1.00 KB");
        assertThat(g.ledger().dirty()).isTrue();
    }

    @Test
    void smsSendingIsJudgedSeparately() {
        CellularGate g = gate(STRICT);
        g.evaluate(status().sms(5, 0).build());
        g.evaluate(status().sms(7, 0).build());
        assertThat(g.checkSmsSend().gate()).isEqualTo("quota-sms");
        assertThat(g.evaluate(status().sms(7, 0).build()).decision().allowed()).isTrue();
    }

    @Test
    void aNewPolicyAppliesToEveryPart() {
        CellularGate g = gate(CellularPolicy.permissive("none"));
        g.evaluate(status().bytes(0, 0).build());
        g.evaluate(status().bytes(2_000, 0).build());
        assertThat(g.updatePolicy(STRICT)).extracting(e -> e.properties().get("percent")).containsExactly(80, 100);
        assertThat(g.policy()).isSameAs(STRICT);
        assertThat(g.evaluate(status().plmn("23410").bytes(2_000, 0).build()).decision().gate()).isEqualTo("network");
        assertThat(g.evaluate(status().bytes(2_000, 0).build()).decision().gate()).isEqualTo("quota-data");
    }

    @Test
    void theBindingAndLedgerMustMatchThePolicy() {
        assertThatThrownBy(() -> new CellularGate("wan0", STRICT,
                new ImeiBinding(clock, CellularPolicy.permissive("x").binding(), Optional.empty()),
                new QuotaLedger(clock, STRICT.quota()))).isInstanceOf(IllegalArgumentException.class);
    }
}
