package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.ICCID_2;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMEI_B;
import static io.sitegate.cellular.internal.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.CellularEvent;
import io.sitegate.cellular.CellularException;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.core.HealthState;
import io.sitegate.core.SitegateTopics;
import io.sitegate.modem.ModemException;
import io.sitegate.modem.GateDecision;
import io.sitegate.modem.SessionState;
import io.sitegate.modem.UnsupportedCapabilityException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class CellularEnforcerTest {
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");
    private final MemoryStateStore store = new MemoryStateStore();
    private final FakeHealth health = new FakeHealth();
    private final List<CellularEvent> posted = new ArrayList<>();
    private CellularPolicyComponent policies;
    private int tick;

    private CellularEnforcer start(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "io.sitegate.cellular");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        policies = new CellularPolicyComponent(p, store, clock, new RecordingLedger());
        CellularEnforcer e = new CellularEnforcer(policies, new CellularStates(store), health, clock,
                new EventJournal(100, clock, posted::add), Runnable::run, Runnable::run);
        policies.addListener(e::policyChanged);
        return e;
    }

    /** A status taken now (each one later than the previous). */
    private Fixtures.Status now() {
        return status().updated(Instant.EPOCH.plusSeconds(++tick));
    }

    private List<CellularEvent> events(String topic) {
        return posted.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    @Test
    void autoLearnsWhenTheSessionIsUpThenRefusesASwappedSimAlertsOnceAndKeepsItAcrossRestarts() throws Exception {
        CellularEnforcer e = start("binding.mode", "auto", "binding.alertNumber", "+491701234567");
        FakeModem modem = new FakeModem("wan0", now().build());
        e.modemAdded(modem);

        assertThat(e.check(now().build()).allowed()).isTrue();
        assertThat(store.documents).doesNotContainKey(CellularStates.bindingKey("wan0"));
        assertThat(e.check(now().session(SessionState.UP).build()).allowed()).isTrue();
        assertThat(store.documents).containsKey(CellularStates.bindingKey("wan0"));
        assertThat(events(SitegateTopics.BINDING_CHANGED)).singleElement().satisfies(ev -> assertThat(ev.properties())
                .containsEntry("modem", "wan0").containsEntry("action", "learned").containsEntry("imei", IMEI_A));
        assertThat(health.cellular().state()).isEqualTo(HealthState.UP);
        assertThat(health.cellular().reason()).isEqualTo("binding auto (learned), any network, data 0 B, no limit");

        var refused = e.check(now().identity(IMEI_A, ICCID_2).build());
        e.check(now().identity(IMEI_A, ICCID_2).build());
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.gate()).isEqualTo(CellularGate.BINDING_GATE);
        assertThat(events(SitegateTopics.BINDING_VIOLATED)).hasSize(1);
        assertThat(modem.sms).singleElement().satisfies(s -> assertThat(s).startsWith("+491701234567: Sitegate: SIM/modem binding violated on modem wan0"));
        assertThat(health.cellular().state()).isEqualTo(HealthState.DOWN);
        assertThat(health.cellular().reason()).startsWith("wan0: data refused by imei-binding: ").contains(ICCID_2);

        CellularEnforcer restarted = new CellularEnforcer(policies, new CellularStates(store), new FakeHealth(), clock,
                new EventJournal(100, clock, ev -> { }), Runnable::run, Runnable::run);
        restarted.modemAdded(new FakeModem("wan0", now().build()));
        assertThat(restarted.check(now().identity(IMEI_B, ICCID_1).build()).allowed()).isFalse();
        assertThat(restarted.modem("wan0").orElseThrow().learned()).hasValueSatisfying(l -> assertThat(l.iccid()).isEqualTo(ICCID_1));
    }

    @Test
    void aResetDeletesTheStoredBindingRaisesAnEventAndTheNextSessionLearnsAgain() throws Exception {
        CellularEnforcer e = start("binding.mode", "auto");
        FakeModem modem = new FakeModem("wan0", now().build());
        e.modemAdded(modem);
        e.check(now().session(SessionState.UP).build());

        assertThat(e.resetBinding("wan0", "shell op")).isPresent();

        assertThat(store.documents).doesNotContainKey(CellularStates.bindingKey("wan0"));
        assertThat(events(SitegateTopics.BINDING_CHANGED)).last().satisfies(ev -> assertThat(ev.properties())
                .containsEntry("action", "reset").containsEntry("by", "shell op").containsEntry("iccid", ICCID_1));
        assertThat(modem.reevaluations).isPositive();
        assertThat(e.resetBinding("wan0", "shell op")).isEmpty();
        e.check(now().identity(IMEI_B, ICCID_2).session(SessionState.UP).build());
        assertThat(e.modem("wan0").orElseThrow().learned()).hasValueSatisfying(l -> assertThat(l.imei()).isEqualTo(IMEI_B));
    }

    @Test
    void aResetThatCannotBePersistedChangesNothing() {
        CellularEnforcer e = start("binding.mode", "auto");
        e.modemAdded(new FakeModem("wan0", now().build()));
        e.check(now().session(SessionState.UP).build());
        store.failDeletes = true;

        assertThatThrownBy(() -> e.resetBinding("wan0", "shell op")).isInstanceOf(CellularException.class)
                .hasMessageContaining("read-only file system");
        assertThat(e.check(now().identity(IMEI_B, ICCID_1).build()).allowed()).isFalse();
        assertThat(store.documents).containsKey(CellularStates.bindingKey("wan0"));
    }

    @Test
    void unknownModemsAreNamedWithTheKnownOnes() {
        CellularEnforcer e = start();
        e.modemAdded(new FakeModem("wan0", now().build()));
        assertThatThrownBy(() -> e.resetBinding("wan9", "op")).isInstanceOf(CellularException.class)
                .hasMessage("no modem 'wan9' (known: wan0)");
        assertThatThrownBy(() -> e.grantQuotaOverride("wan9", OptionalLong.empty(), "op")).isInstanceOf(CellularException.class);
        assertThat(e.modem("wan9")).isEmpty();
    }

    @Test
    void thePeriodicCheckDropsASessionPastTheQuotaAndAnOverrideLetsItBackIn() throws Exception {
        CellularEnforcer e = start("quota.data.bytes", "1KB", "quota.action", "block", "quota.checkSeconds", "5");
        FakeModem modem = new FakeModem("wan0", now().session(SessionState.UP).bytes(0, 0).build());
        e.modemAdded(modem);
        e.quotaTick();
        assertThat(modem.reevaluations).isZero();

        modem.status = now().session(SessionState.UP).bytes(600, 500).build();
        e.quotaTick();
        e.quotaTick();

        assertThat(modem.reevaluations).isEqualTo(1);
        assertThat(events(SitegateTopics.QUOTA_THRESHOLD)).extracting(ev -> ev.properties().get("percent")).containsExactly(80, 100);
        assertThat(events(SitegateTopics.QUOTA_THRESHOLD)).allSatisfy(ev -> assertThat(ev.properties()).containsEntry("modem", "wan0"));
        assertThat(health.cellular().state()).isEqualTo(HealthState.DOWN);
        assertThat(health.cellular().reason()).contains("quota-data", "1.10 KB of 1.00 KB");
        assertThat(store.documents).containsKey(CellularStates.quotaKey("wan0"));

        e.grantQuotaOverride("wan0", OptionalLong.of(500), "shell op");
        assertThat(e.modem("wan0").orElseThrow().decision().allowed()).isTrue();
        assertThat(events(SitegateTopics.QUOTA_OVERRIDE)).singleElement().satisfies(ev -> assertThat(ev.properties())
                .containsEntry("action", "granted").containsEntry("extraBytes", 500L).containsEntry("by", "shell op"));
        assertThat(health.cellular().state()).isEqualTo(HealthState.UP);
        assertThat(health.cellular().reason()).isEqualTo("binding off, any network, data 1.1/1 KB (override +500 B)");

        assertThat(e.clearQuotaOverride("wan0", "shell op")).isTrue();
        assertThat(e.modem("wan0").orElseThrow().decision().allowed()).isFalse();
    }

    @Test
    void theSentSmsQuotaWithBlockRefusesSendingButNeverData() {
        CellularEnforcer e = start("quota.sms.mo", "2", "quota.action", "block");
        FakeModem modem = new FakeModem("wan0", now().sms(0, 0).build());
        e.modemAdded(modem);
        assertThat(e.check(modem.status).allowed()).isTrue();
        assertThat(e.checkSms(modem.status).allowed()).isTrue();

        modem.status = now().sms(2, 0).build();
        assertThat(e.check(modem.status).allowed()).as("SMS quotas never block data").isTrue();
        GateDecision sms = e.checkSms(modem.status);
        assertThat(sms.allowed()).isFalse();
        assertThat(sms.gate()).isEqualTo("quota-sms");
    }

    @Test
    void anOlderStatusIsNeverCountedAgain() {
        CellularEnforcer e = start("quota.data.bytes", "1MB");
        e.modemAdded(new FakeModem("wan0", now().build()));
        e.check(status().updated(Instant.EPOCH.plusSeconds(10)).bytes(0, 0).build());
        e.check(status().updated(Instant.EPOCH.plusSeconds(20)).bytes(1000, 0).build());
        e.check(status().updated(Instant.EPOCH.plusSeconds(15)).bytes(0, 0).build()); // late keeper snapshot
        e.check(status().updated(Instant.EPOCH.plusSeconds(20)).bytes(1000, 0).build());
        assertThat(e.modem("wan0").orElseThrow().quota().data().used()).isEqualTo(1000);
    }

    @Test
    void aNewBillingCycleIsAnEvent() {
        clock.set("2025-03-31T23:59:00Z");
        CellularEnforcer e = start("quota.data.bytes", "1MB");
        FakeModem modem = new FakeModem("wan0", now().bytes(0, 0).build());
        e.modemAdded(modem);
        e.quotaTick();
        modem.status = now().bytes(300, 200).build();
        e.quotaTick();
        clock.advance(Duration.ofMinutes(2));
        e.quotaTick();
        assertThat(events(SitegateTopics.QUOTA_CYCLE)).singleElement().satisfies(ev -> assertThat(ev.properties())
                .containsEntry("modem", "wan0").containsEntry("previousDataUsed", 500L)
                .containsEntry("start", "2025-04-01T00:00:00Z"));
        assertThat(e.modem("wan0").orElseThrow().quota().data().used()).isZero();
    }

    @Test
    void aPolicyChangeIsEnforcedAtOnceAndARefusedOneShowsInHealth() {
        CellularEnforcer e = start();
        FakeModem modem = new FakeModem("wan0", now().plmn("26201").build());
        e.modemAdded(modem);
        assertThat(e.check(modem.status).allowed()).isTrue();

        policies.modified(Map.of("service.pid", "io.sitegate.cellular", "networks.allowed", "26202"));
        assertThat(modem.reevaluations).isEqualTo(1);
        assertThat(e.check(now().plmn("26201").build()).gate()).isEqualTo(NetworkGate.GATE);
        assertThat(events(SitegateTopics.NETWORK_NOT_ALLOWED)).singleElement()
                .satisfies(ev -> assertThat(ev.properties()).containsEntry("plmn", "26201").containsEntry("modem", "wan0"));

        policies.modified(Map.of("service.pid", "io.sitegate.cellular", "networks.allowed", "26"));
        assertThat(health.cellular().state()).isEqualTo(HealthState.DOWN);
        assertThat(health.cellular().reason()).contains("networks.allowed", "'26'");
        assertThat(policies.current().network().allowedPlmns()).containsExactly("26202");
    }

    @Test
    void aRadioPolicyTheModemCannotDoIsDegradedWithTheModemsError() {
        CellularEnforcer e = start("rat.allowed", "nb-iot", "networks.allowed", "26201");
        FakeModem modem = new FakeModem("wan0", now().build());
        modem.failures.put("setRatOrder", new ModemException("modem wan0: modem profile 'generic' cannot do NB-IoT",
                new UnsupportedCapabilityException("generic", "NB-IoT")));
        e.modemAdded(modem);
        e.check(modem.status);
        e.radioTick();

        assertThat(e.radio("wan0").orElseThrow().phase()).isEqualTo(RadioPolicyStatus.Phase.FAILED);
        assertThat(health.cellular().state()).isEqualTo(HealthState.DEGRADED);
        assertThat(health.cellular().reason()).startsWith("wan0: radio policy not applied: RAT order nb-iot: modem wan0: "
                + "modem profile 'generic' cannot do NB-IoT").endsWith("binding off, 1 network allowed, data 0 B, no limit");
    }

    @Test
    void aRemovedModemLeavesTheStatusAndItsLedgerIsWritten() {
        CellularEnforcer e = start("quota.data.bytes", "1MB");
        FakeModem modem = new FakeModem("wan0", now().build());
        e.modemAdded(modem);
        e.check(modem.status);
        store.documents.clear();
        e.check(now().bytes(10, 0).build());
        e.modemRemoved(modem);
        assertThat(e.modems()).isEmpty();
        assertThat(store.documents).containsKey(CellularStates.quotaKey("wan0"));
        assertThat(health.cellular().reason()).contains("no modem");
    }
}
