package io.sitegate.cellular.internal;

import static io.sitegate.cellular.internal.Fixtures.ICCID_1;
import static io.sitegate.cellular.internal.Fixtures.IMEI_A;
import static io.sitegate.cellular.internal.Fixtures.IMEI_B;
import static io.sitegate.cellular.internal.Fixtures.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.BindingChange;
import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.BindingPolicy;
import io.sitegate.cellular.BindingVerdict.Outcome;
import io.sitegate.cellular.QuotaAction;
import io.sitegate.cellular.QuotaPolicy;
import io.sitegate.core.StateStoreException;
import io.sitegate.modem.DataUsage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Persistence through the state store: restarts, resets, and documents that cannot be read back. */
class CellularStatesTest {
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");
    private final MemoryStateStore store = new MemoryStateStore();
    private final CellularStates states = new CellularStates(store);
    private final BindingPolicy auto = new BindingPolicy(BindingMode.AUTO, List.of(), Optional.empty());
    private final QuotaPolicy quota = new QuotaPolicy(1_000, 0, 0, 1, ZoneOffset.UTC, QuotaAction.BLOCK,
            List.of(80, 100), Duration.ofMinutes(1));

    @Test
    void aLearnedBindingSurvivesARestartAndAResetDeletesIt() throws Exception {
        ImeiBinding first = states.loadBinding("wan0", clock, auto);
        BindingChange learned = first.learn(identity(IMEI_A, ICCID_1)).orElseThrow();
        states.persist("wan0", learned);
        assertThat(store.keys()).containsExactly("cellular.binding.wan0");

        ImeiBinding restarted = states.loadBinding("wan0", clock, auto);
        assertThat(restarted.learned()).isEqualTo(first.learned());
        assertThat(restarted.check(identity(IMEI_B, ICCID_1)).outcome()).isEqualTo(Outcome.SIM_BOUND_ELSEWHERE);

        states.persist("wan0", restarted.reset("karaf").orElseThrow());
        assertThat(store.keys()).isEmpty();
        assertThat(states.loadBinding("wan0", clock, auto).check(identity(IMEI_B, ICCID_1)).outcome())
                .isEqualTo(Outcome.NOT_YET_LEARNED);
    }

    @Test
    void aBindingTheStoreCannotGiveBackFailsClosed() {
        store.corrupt.put("cellular.binding.wan0", "every generation of cellular.binding.wan0 is corrupt");
        ImeiBinding b = states.loadBinding("wan0", clock, auto);
        assertThat(b.check(identity(IMEI_A, ICCID_1)).outcome()).isEqualTo(Outcome.BINDING_UNREADABLE);
        assertThat(b.check(identity(IMEI_A, ICCID_1)).reason()).contains("every generation of cellular.binding.wan0 is corrupt");
    }

    @Test
    void aMalformedBindingDocumentFailsClosedNamingTheField() {
        store.documents.put("cellular.binding.wan0", "format=1\nimei=12\n".getBytes(StandardCharsets.UTF_8));
        ImeiBinding b = states.loadBinding("wan0", clock, auto);
        assertThat(b.unreadableState()).hasValueSatisfying(p -> assertThat(p).contains("field 'imei'"));
        assertThat(b.check(identity(IMEI_A, ICCID_1)).allowed()).isFalse();
    }

    @Test
    void theLedgerSurvivesARestartMidCycle() throws Exception {
        QuotaLedger ledger = states.loadLedger("wan0", clock, quota);
        ledger.observe(new DataUsage(0, 0, 100, 100, true), 0, 0);
        ledger.observe(new DataUsage(0, 0, 500, 400, true), 0, 0);
        assertThat(states.persistIfChanged("wan0", ledger)).isTrue();
        assertThat(states.persistIfChanged("wan0", ledger)).isFalse();

        clock.advance(Duration.ofDays(2)); // kill -9, the modem keeps counting meanwhile
        QuotaLedger restarted = states.loadLedger("wan0", clock, quota);
        assertThat(restarted.status().data().used()).isEqualTo(700);
        restarted.observe(new DataUsage(0, 0, 600, 450, true), 0, 0);
        assertThat(restarted.status().data().used()).isEqualTo(850);
        assertThat(restarted.status().problem()).isEmpty();
    }

    @Test
    void aLedgerThatCannotBeReadRestartsCountingAndSaysWhy() {
        store.documents.put("cellular.quota.wan0", "format=1\nused.data=lots\n".getBytes(StandardCharsets.UTF_8));
        QuotaLedger ledger = states.loadLedger("wan0", clock, quota);
        assertThat(ledger.status().data().used()).isZero();
        assertThat(ledger.status().problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("quota counters restarted on 2025-03-20T10:00:00Z: cellular quota ledger document: field"));

        store.corrupt.put("cellular.quota.wan1", "every generation is corrupt");
        assertThat(states.loadLedger("wan1", clock, quota).status().problem()).isPresent();
    }

    @Test
    void aLedgerFromThePreviousGenerationIsUsedAndFlagged() throws Exception {
        QuotaLedger ledger = states.loadLedger("wan0", clock, quota);
        ledger.observe(new DataUsage(0, 0, 0, 0, true), 0, 0);
        ledger.observe(new DataUsage(0, 0, 300, 0, true), 0, 0);
        states.persistIfChanged("wan0", ledger);
        store.recoveredProblem.put("cellular.quota.wan0", "checksum mismatch in generation 8");
        QuotaLedger restored = states.loadLedger("wan0", clock, quota);
        assertThat(restored.status().data().used()).isEqualTo(300);
        assertThat(restored.status().problem()).contains("restored from the previous generation: checksum mismatch in generation 8");
    }

    @Test
    void aFailedWriteIsRetriedAtTheNextPersist() throws Exception {
        QuotaLedger ledger = states.loadLedger("wan0", clock, quota);
        store.failWrites = true;
        assertThatThrownBy(() -> states.persistIfChanged("wan0", ledger)).isInstanceOf(StateStoreException.class);
        assertThat(ledger.dirty()).isTrue();
        store.failWrites = false;
        assertThat(states.persistIfChanged("wan0", ledger)).isTrue();
        assertThat(store.keys()).containsExactly("cellular.quota.wan0");
    }
}
