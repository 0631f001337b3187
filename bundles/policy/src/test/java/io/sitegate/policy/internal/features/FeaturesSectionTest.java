package io.sitegate.policy.internal.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigRefusedException;
import io.sitegate.core.config.ConfigSection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.features.FeaturesService.Option;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesSectionTest {
    private static final String DIST = "mvn:io.sitegate/sitegate-features/0.1.0/xml/features";
    private static final String LAB = "mvn:io.sitegate/lab-features/1.0/xml/features";
    private static final String CORE = "mvn:io.sitegate/io.sitegate.core/0.1.0";

    private final FakeFeatureRuntime karaf = new FakeFeatureRuntime();
    private final MemoryStore store = new MemoryStore();
    private final FeaturesSection section = new FeaturesSection(karaf, store);

    @BeforeEach
    void distribution() {
        karaf.repository(DIST, "sitegate-core/0.1.0", CORE)
                .repository(DIST, "sitegate-dns/0.1.0", CORE, "mvn:io.sitegate/io.sitegate.dns/0.1.0")
                .repository(DIST, "sitegate-policy/0.1.0", CORE, "mvn:io.sitegate/io.sitegate.policy/0.1.0")
                .repository(DIST, "legacy-probe/0.9.0", "mvn:lab/legacy-probe/0.9.0");
        karaf.repository(LAB, "gw-probe/1.0.0", "mvn:lab/gw-probe/1.0.0")
                .repository(LAB, "gw-probe/1.0.1", "mvn:lab/gw-probe/1.0.1")
                .repository(LAB, "broken/1.0.0", "mvn:lab/broken/1.0.0")
                .repository(LAB, "sitegate-dns/0.2.0", "mvn:io.sitegate/io.sitegate.core/0.2.0", "mvn:io.sitegate/io.sitegate.dns/0.2.0");
        karaf.unresolvable.add("broken/1.0.0");
        karaf.registered.add(DIST);
        karaf.required.addAll(Set.of("sitegate-core/0.1.0", "sitegate-dns/0.1.0", "sitegate-policy/0.1.0", "legacy-probe/0.9.0"));
        karaf.bundles.addAll(Set.of(CORE, "mvn:io.sitegate/io.sitegate.dns/0.1.0", "mvn:io.sitegate/io.sitegate.policy/0.1.0"));
    }

    private static ConfigSection request(String repositories, String install, String remove) {
        Map<String, String> v = new java.util.TreeMap<>();
        v.put("repositories", repositories);
        v.put("install", install);
        v.put("remove", remove);
        return ConfigSection.of("features", "features", v);
    }

    private static List<String> messages(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::message).toList();
    }

    @Test
    void aWellFormedRequestFromARegisteredRepositoryValidates() {
        assertThat(section.validate(request(DIST, "sitegate-dns/0.1.0", "legacy-probe"))).isEmpty();
        assertThat(section.validate(request(LAB, "gw-probe/1.0.1", ""))).as("from a repository the section registers").isEmpty();
    }

    @Test
    void everyShapeProblemIsNamed() {
        ConfigSection bad = new ConfigSection("features", Map.of("features", Map.of("repositories", "http://x/f.xml,mvn:ok/ok/1/xml",
                "install", "gw-probe/[1.0,2.0),sitegate-dns/0.1.0,sitegate-dns/0.2.0,x y", "remove", "sitegate-dns,sitegate-core,sitegate",
                "uninstall", "x"), "other", Map.of("a", "b")));
        List<String> m = messages(section.validate(bad));
        assertThat(m).anyMatch(s -> s.startsWith("other: "))
                .anyMatch(s -> s.contains("property 'uninstall'") && s.contains("unknown"))
                .anyMatch(s -> s.contains("'http://x/f.xml'") && s.contains("mvn:, file: or https:"))
                .anyMatch(s -> s.contains("'gw-probe/[1.0'")) // the ',' of a range splits it: refused either way
                .anyMatch(s -> s.contains("'sitegate-dns/0.2.0'") && s.contains("one version per feature"))
                .anyMatch(s -> s.contains("'x y'"))
                .anyMatch(s -> s.contains("remove' has invalid value 'sitegate-dns'") && s.contains("installed by the same section"))
                .anyMatch(s -> s.contains("'sitegate-core'") && s.contains("never removed by policy"))
                .anyMatch(s -> s.contains("'sitegate'") && s.contains("never removed by policy"));
        assertThat(karaf.calls).isEmpty();
    }

    @Test
    void removingWhatKeepsTheGatewayReachableIsRefused() {
        for (String f : List.of("sitegate-core", "sitegate-access", "sitegate-policy/0.1.0", "sitegate")) {
            assertThat(messages(section.validate(request("", "", f)))).as(f).singleElement().asString().contains("stay reachable");
        }
    }

    @Test
    void aMissingFileRepositoryOrUnknownFeatureIsRefusedBeforeAnythingIsApplied(@TempDir Path dir) throws Exception {
        assertThat(messages(section.validate(request("file:" + dir.resolve("none.xml"), "", ""))))
                .singleElement().asString().contains("no readable file");
        Path xml = Files.writeString(dir.resolve("f.xml"), "<features/>");
        assertThat(section.validate(request(xml.toUri().toString(), "", ""))).isEmpty();
        assertThat(messages(section.validate(request("", "gw-probe/1.0.1", ""))))
                .singleElement().asString().contains("no registered feature repository defines it");
    }

    @Test
    void anUpdateThatWouldReplaceTheAgentsOwnBundlesIsRefused() throws Exception {
        karaf.registered.add(LAB);
        assertThat(messages(section.validate(request(LAB, "sitegate-dns/0.2.0", "")))).singleElement().asString()
                .contains("mvn:io.sitegate/io.sitegate.core/0.2.0", "policy agent runs on");
        assertThat(section.validate(request(LAB, "sitegate-dns/0.1.0", ""))).as("the core bundle installed already").isEmpty();
    }

    @Test
    void anAgentBundleOnlyANewRepositoryShowsIsRefusedAtApplyAndTheRepositoryUnregistered() {
        ConfigRefusedException e = catchThrowableOfType(() -> section.apply(request(LAB, "sitegate-dns/0.2.0", ""), "policy gw v2"),
                ConfigRefusedException.class);
        assertThat(e.getMessage()).contains("io.sitegate.core/0.2.0", "previous configuration stays in force");
        assertThat(karaf.registered).containsExactly(DIST);
        assertThat(karaf.calls).noneMatch(c -> c.startsWith("install"));
        assertThat(section.snapshot()).isEqualTo(FeatureRecord.EMPTY.toSection());
    }

    @Test
    void theDiffSpeaksOfRepositoriesUpgradesAndRemovals() {
        karaf.required.add("gw-probe/1.0.0");
        List<String> lines = section.diff(request(LAB + "," + DIST, "gw-probe/1.0.1,sitegate-dns/0.1.0", "legacy-probe")).stream()
                .map(ConfigChange::text).toList();
        assertThat(lines).containsExactly("+ repository " + LAB, "+ feature gw-probe/1.0.1 (upgrade from 1.0.0)",
                "- feature legacy-probe/0.9.0");
        assertThat(section.diff(request(DIST, "sitegate-dns", ""))).as("installed already").isEmpty();
        assertThat(karaf.calls).isEmpty();
    }

    @Test
    void applyRegistersInstallsRemovesAndRecordsWhatItDid() throws Exception {
        ConfigSection inForce = section.apply(request(LAB, "gw-probe/1.0.0", "legacy-probe"), "policy gw v2");

        assertThat(karaf.registered).containsExactlyInAnyOrder(DIST, LAB);
        assertThat(karaf.required).contains("gw-probe/1.0.0").doesNotContain("legacy-probe/0.9.0");
        assertThat(inForce.values("features")).isEqualTo(Map.of("repositories", LAB, "install", "gw-probe/1.0.0",
                "remove", "legacy-probe/0.9.0"));
        assertThat(section.snapshot()).isEqualTo(inForce);

        section.apply(request(LAB, "gw-probe/1.0.1", ""), "policy gw v3");
        assertThat(karaf.required).contains("gw-probe/1.0.1").doesNotContain("gw-probe/1.0.0");
        assertThat(section.snapshot().values("features")).containsEntry("install", "gw-probe/1.0.1");
        section.apply(request(LAB, "gw-probe/1.0.1", ""), "policy gw v4");
        assertThat(karaf.calls).filteredOn(c -> c.startsWith("install")).hasSize(2); // the same request again changes nothing
    }

    @Test
    void aFailedInstallUndoesEverythingAndReportsKarafsReason() throws Exception {
        section.apply(request(LAB, "gw-probe/1.0.0", ""), "policy gw v2");
        ConfigSection before = section.snapshot();
        Set<String> requiredBefore = Set.copyOf(karaf.required);
        karaf.registered.remove(LAB); // so the failing request registers it again

        ConfigRefusedException e = catchThrowableOfType(() -> section.apply(request(LAB, "gw-probe/1.0.1,broken/1.0.0", "legacy-probe"),
                "policy gw v3"), ConfigRefusedException.class);

        assertThat(e.getMessage()).contains("Karaf refused", "Unable to resolve root: missing requirement", "broken/1.0.0")
                .doesNotContain("more lines");
        assertThat(karaf.required).isEqualTo(requiredBefore);
        assertThat(karaf.registered).containsExactly(DIST);
        assertThat(section.snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingRepositoryFailsAtApplyWithNothingLeftRegistered() {
        ConfigRefusedException e = catchThrowableOfType(() -> section.apply(request(LAB + ",mvn:lab/none/1/xml/features", "gw-probe", ""),
                "policy gw v2"), ConfigRefusedException.class);
        assertThat(e.getMessage()).contains("No such file");
        assertThat(karaf.registered).containsExactly(DIST);
        assertThat(karaf.calls).noneMatch(c -> c.startsWith("install"));
    }

    @Test
    void restoreTakesBackUpgradesInstallsRemovalsAndRepositories() throws Exception {
        karaf.registered.add(LAB);
        karaf.required.add("gw-probe/1.0.0"); // installed by the distribution, not by a policy
        ConfigSection lkg = section.snapshot();
        Set<String> requiredBefore = Set.copyOf(karaf.required);
        String extra = "mvn:lab/extra/1/xml/features";
        karaf.repository(extra, "extra/1.0.0", "mvn:lab/extra/1.0.0");

        section.apply(request(extra, "gw-probe/1.0.1,extra", "legacy-probe"), "policy gw v2");
        assertThat(karaf.required).contains("gw-probe/1.0.1", "extra/1.0.0").doesNotContain("gw-probe/1.0.0", "legacy-probe/0.9.0");

        section.restore(lkg);

        assertThat(karaf.required).isEqualTo(requiredBefore);
        assertThat(karaf.registered).containsExactlyInAnyOrder(DIST, LAB);
        assertThat(section.snapshot()).isEqualTo(lkg);
    }

    @Test
    void anUndoThatFailsTooIsReportedAndTheRestoreThatFollowsRepairsIt() throws Exception {
        karaf.registered.add(LAB);
        ConfigSection lkg = section.snapshot();
        Set<String> requiredBefore = Set.copyOf(karaf.required);
        karaf.uninstallFails = true;
        assertThatThrownBy(() -> section.apply(request("", "gw-probe/1.0.1", "legacy-probe"), "policy gw v2"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("undoing a failed change failed");
        assertThat(karaf.required).contains("gw-probe/1.0.1");

        karaf.uninstallFails = false;
        section.restore(lkg); // what the engine does with a section that threw

        assertThat(karaf.required).isEqualTo(requiredBefore);
        assertThat(store.keys()).doesNotContain(FeaturesSection.PENDING);
    }

    @Test
    void aPowerLossBetweenKarafsChangeAndTheRecordIsRepairedByTheRecoveryRestore() throws Exception {
        ConfigSection lkg = section.snapshot();
        Set<String> requiredBefore = Set.copyOf(karaf.required);
        // what apply writes down before touching Karaf, then Karaf's change, then the power goes
        store.write(FeaturesSection.PENDING, new FeatureRecord(karaf.repositories(), karaf.required(), Set.of()).toBytes());
        karaf.addRepository(java.net.URI.create(LAB));
        karaf.install(Set.of("gw-probe/1.0.1"));

        section.restore(lkg);

        assertThat(karaf.required).isEqualTo(requiredBefore);
        assertThat(karaf.registered).containsExactly(DIST);
        assertThat(store.keys()).doesNotContain(FeaturesSection.PENDING);
    }

    @Test
    void aSuccessfulApplyLeavesNoPendingMark() throws Exception {
        section.apply(request(LAB, "gw-probe", ""), "policy gw v2");
        assertThat(store.keys()).containsExactly(FeaturesSection.KEY);
        assertThat(section.snapshot().values("features")).containsEntry("install", "gw-probe/1.0.1");
    }

    @Test
    void aChangeTheRecordCannotHoldIsUndone() {
        karaf.registered.add(LAB);
        Set<String> requiredBefore = Set.copyOf(karaf.required);
        store.failWrites = FeaturesSection.KEY;
        ConfigRefusedException e = catchThrowableOfType(() -> section.apply(request("", "gw-probe/1.0.1", ""), "policy gw v2"),
                ConfigRefusedException.class);
        assertThat(e.getMessage()).contains("cannot be written, so it was undone");
        assertThat(karaf.required).isEqualTo(requiredBefore);

        store.failWrites = "*";
        e = catchThrowableOfType(() -> section.apply(request("", "gw-probe/1.0.1", ""), "policy gw v3"), ConfigRefusedException.class);
        assertThat(e.getMessage()).contains("nothing was changed");
        assertThat(karaf.calls).filteredOn(c -> c.startsWith("install")).hasSize(1); // only the first attempt's
    }

    @Test
    void karafIsAskedNotToRefreshTheOtherCapabilities() {
        assertThat(KarafFeatureRuntime.INSTALL).containsExactlyInAnyOrder(Option.NoAutoRefreshBundles, Option.Upgrade);
        assertThat(KarafFeatureRuntime.UNINSTALL).containsExactly(Option.NoAutoRefreshBundles);
    }

    @Test
    void repositoryUrlsAreCheckedWithoutFetchingThem() {
        assertThat(FeatureRules.repositoryProblem("https://repo.example/f.xml")).isEmpty();
        assertThat(FeatureRules.repositoryProblem(DIST)).isEmpty();
        assertThat(FeatureRules.repositoryProblem("ftp://repo.example/f.xml")).get().asString().contains("mvn:, file: or https:");
        assertThat(FeatureRules.repositoryProblem("file:features.xml")).get().asString().contains("absolute path");
        assertThat(FeatureRules.repositoryProblem("file:/no/such/features.xml")).get().asString().contains("no readable file /no/such/features.xml");
        assertThat(FeatureRules.repositoryProblem("https://bad host/")).get().asString().contains("not a URL");
        assertThat(karaf.calls).isEmpty();
    }

    @Test
    void specsAreNameOrExactVersion() {
        assertThat(FeatureSpec.parse("gw-probe").matches("gw-probe/1.0.0")).isTrue();
        assertThat(FeatureSpec.parse("gw-probe/1.0.0").matches("gw-probe/1.0.1")).isFalse();
        assertThat(FeatureSpec.parse("gw-probe/0.1.0-SNAPSHOT").matches("gw-probe/0.1.0.SNAPSHOT")).isTrue();
        assertThat(FeatureSpec.parse("gw-probe").matches("gw-probe-x/1.0.0")).isFalse();
        for (String bad : List.of("", "/1.0", "gw/", "gw/x1", "gw/[1,2)", "gw/1.0.0/2", "gw probe")) {
            assertThatThrownBy(() -> FeatureSpec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
