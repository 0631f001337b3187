package io.sitegate.cellular.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.core.InvalidConfigurationException;
import io.sitegate.core.Registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CellularPolicyComponentTest {
    private static final String FILE = "file:/opt/sitegate/etc/io.sitegate.cellular.cfg";
    private final MemoryStateStore store = new MemoryStateStore();
    private final MutableClock clock = MutableClock.at("2025-03-20T10:00:00Z");
    private final RecordingLedger ledger = new RecordingLedger();

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", "io.sitegate.cellular");
        p.put("felix.fileinstall.filename", FILE);
        p.put("component.name", "io.sitegate.cellular.internal.CellularPolicyComponent");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private CellularPolicyComponent start(Map<String, Object> properties) {
        return new CellularPolicyComponent(properties, store, clock, ledger);
    }

    @Test
    void withoutConfigurationOrHistoryNothingIsEnforced() {
        CellularPolicyComponent c = start(Map.of("component.name", "x"));
        assertThat(c.current()).isEqualTo(CellularPolicy.permissive(CellularPolicyComponent.BUILT_IN));
        assertThat(c.refusal()).isEmpty();
        assertThat(store.documents).isEmpty();
    }

    @Test
    void aValidConfigurationIsEnforcedPersistedAndNamesItsFile() {
        CellularPolicyComponent c = start(config("binding.mode", "auto", "networks.allowed", "26201, 26202"));
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.AUTO);
        assertThat(c.current().network().allowedPlmns()).containsExactly("26201", "26202");
        assertThat(c.current().source()).isEqualTo("etc/io.sitegate.cellular.cfg");
        assertThat(c.since()).isEqualTo(clock.instant());
        String stored = new String(store.documents.get(PolicyDocument.KEY), StandardCharsets.UTF_8);
        assertThat(stored).contains("binding.mode=auto", "networks.allowed=26201, 26202", "source=etc/io.sitegate.cellular.cfg")
                .doesNotContain("service.pid", "felix.fileinstall");
    }

    @Test
    void aRefusedChangeNamesPropertyAndValueAndKeepsThePolicyInForce() {
        CellularPolicyComponent c = start(config("binding.mode", "auto", "quota.data.bytes", "5GB"));
        CellularPolicy before = c.current();
        List<CellularPolicy> seen = new ArrayList<>();
        c.addListener(seen::add);

        c.modified(config("binding.mode", "auto", "quota.data.bytes", "-5GB"));

        assertThat(c.current()).isSameAs(before);
        assertThat(c.refusal()).hasValueSatisfying(r -> assertThat(r)
                .contains("io.sitegate.cellular", "quota.data.bytes", "-5GB", "stays in force"));
        assertThat(seen).containsExactly(before);

        c.modified(config("binding.mode", "off"));
        assertThat(c.refusal()).isEmpty();
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.OFF);
    }

    @Test
    void aBootWithABrokenConfigurationKeepsEnforcingTheLastValidPolicy() {
        start(config("binding.mode", "auto", "rat.allowed", "lte,lte-m"));
        clock.advance(Duration.ofDays(3));

        CellularPolicyComponent rebooted = start(config("binding.mode", "auto", "rat.allowed", "lte,6g"));

        assertThat(rebooted.current().binding().mode()).isEqualTo(BindingMode.AUTO);
        assertThat(rebooted.current().network().ratOrder()).hasSize(2);
        assertThat(rebooted.since()).isEqualTo(Instant.parse("2025-03-20T10:00:00Z"));
        assertThat(rebooted.refusal()).hasValueSatisfying(r -> assertThat(r).contains("rat.allowed", "6g"));
    }

    @Test
    void aBrokenConfigurationWithoutHistoryRunsTheBuiltInDefaultsAndSaysSo() {
        CellularPolicyComponent c = start(config("binding.mode", "sometimes"));
        assertThat(c.current().source()).isEqualTo(CellularPolicyComponent.BUILT_IN);
        assertThat(c.refusal()).hasValueSatisfying(r -> assertThat(r).contains("binding.mode", "sometimes"));
    }

    @Test
    void aMissingConfigurationChangesNothing() {
        start(config("binding.mode", "auto"));
        CellularPolicyComponent c = start(Map.of("component.name", "x"));
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.AUTO);
        c.modified(Map.of("component.name", "x")); // configuration deleted
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.AUTO);
        assertThat(c.refusal()).isEmpty();
    }

    @Test
    void anUnreadableStoredPolicyFallsBackToTheBuiltInDefaults() {
        store.documents.put(PolicyDocument.KEY, "format=9\n".getBytes(StandardCharsets.UTF_8));
        CellularPolicyComponent c = start(Map.of("component.name", "x"));
        assertThat(c.current().source()).isEqualTo(CellularPolicyComponent.BUILT_IN);
    }

    @Test
    void theSamePolicyAgainIsNotWrittenAgain() {
        start(config("binding.mode", "auto"));
        int writes = store.writes;
        CellularPolicyComponent c = start(config("binding.mode", "auto"));
        c.modified(config("binding.mode", "auto"));
        assertThat(store.writes).isEqualTo(writes);
    }

    /** A change made without the file (config:edit, or the cellular section before File Install writes the file). */
    private static Map<String, Object> edited(String... keyValues) {
        Map<String, Object> p = config(keyValues);
        p.remove("felix.fileinstall.filename");
        return p;
    }

    @Test
    void aRefusedChangeKeepsThePolicyAndTellsTheLedgerEveryProblem() {
        CellularPolicyComponent c = start(config("binding.mode", "off"));
        assertThat(ledger.inForce.get("io.sitegate.cellular")).containsEntry("binding.mode", "off");
        List<CellularPolicy> seen = new ArrayList<>();
        Registration r = c.addListener(seen::add);

        c.modified(edited("networks.allowed", "2620A", "quota.sms.mo", "-3", "quota.smsmo", "5"));
        assertThat(c.current().source()).isEqualTo("etc/io.sitegate.cellular.cfg");
        assertThat(c.refusal()).hasValueSatisfying(m -> assertThat(m).contains("networks.allowed").contains("2620A"));
        assertThat(ledger.refused.get("io.sitegate.cellular")).extracting(p -> p.property())
                .containsExactlyInAnyOrder("networks.allowed", "quota.sms.mo", "quota.smsmo");
        assertThat(ledger.inForce.get("io.sitegate.cellular")).containsEntry("binding.mode", "off");

        c.modified(edited("binding.mode", "manual", "binding.pairs", "867962040000013:89490200001234567890"));
        assertThat(c.current().source()).isEqualTo("configuration io.sitegate.cellular");
        assertThat(c.refusal()).isEmpty();
        assertThat(seen).hasSize(2);
        assertThat(new CellularPolicyComponent(Map.of(), store, clock, ledger).current().binding().pairs()).hasSize(1);
        r.close();
    }

    @Test
    void aPolicyAppliedSinceSurvivesARestartWithTheFileUnchanged() {
        Map<String, Object> file = config("binding.mode", "off");
        CellularPolicyComponent c = start(file);
        c.modified(edited("binding.mode", "auto", "networks.allowed", "26201"));

        CellularPolicyComponent restarted = start(file);
        assertThat(restarted.current().source()).isEqualTo("configuration io.sitegate.cellular");
        assertThat(restarted.current().binding().mode()).isEqualTo(BindingMode.AUTO);
        assertThat(ledger.inForce.get("io.sitegate.cellular")).containsEntry("binding.mode", "auto");

        // an operator who edits the file afterwards is the newest word
        CellularPolicyComponent edited = start(config("binding.mode", "manual",
                "binding.pairs", "867962040000013:89490200001234567890"));
        assertThat(edited.current().source()).isEqualTo("etc/io.sitegate.cellular.cfg");
        assertThat(edited.current().binding().mode()).isEqualTo(BindingMode.MANUAL);
    }

    @Test
    void validateAppliesNothing() {
        CellularPolicyComponent c = start(config());
        assertThat(c.validate(Map.of("binding.mode", "auto"), "policy v1").binding().mode()).isEqualTo(BindingMode.AUTO);
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.OFF);
    }

    @Test
    void aPolicyThatCannotBePersistedIsEnforcedAllTheSame() {
        store.failWrites = true;
        CellularPolicyComponent c = start(config("binding.mode", "auto"));
        assertThat(c.current().binding().mode()).isEqualTo(BindingMode.AUTO);
    }

    @Test
    void sourceNamesTheFileOrThePid() {
        assertThat(CellularPolicyComponent.sourceOf(Map.of("felix.fileinstall.filename", "file:/x/etc/io.sitegate.cellular.cfg")))
                .isEqualTo("etc/io.sitegate.cellular.cfg");
        assertThat(CellularPolicyComponent.sourceOf(Map.of("felix.fileinstall.filename", "/srv/conf/cellular.cfg")))
                .isEqualTo("/srv/conf/cellular.cfg");
        assertThat(CellularPolicyComponent.sourceOf(Map.of())).isEqualTo("configuration io.sitegate.cellular");
    }
}
