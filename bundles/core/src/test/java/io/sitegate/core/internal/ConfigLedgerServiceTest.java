package io.sitegate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.core.config.ConfigDrift;
import io.sitegate.core.config.ConfigLedger.Outcome;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class ConfigLedgerServiceTest {
    private static final String PID = "io.sitegate.dns";

    @TempDir
    Path dir;

    /** ConfigAdmin as a map of PID to properties: enough for the ledger, which only lists configurations. */
    private final Map<String, Map<String, Object>> cm = new HashMap<>();

    private ConfigurationAdmin configAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
                (p, m, args) -> {
                    if (!m.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    String pid = ((String) args[0]).replaceAll("^\\(service\\.pid=(.*)\\)$", "$1");
                    Map<String, Object> props = cm.get(pid);
                    return props == null ? null : new Configuration[] {configuration(props)};
                });
    }

    private Configuration configuration(Map<String, Object> props) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (p, m, args) -> {
            if (m.getName().equals("getProperties")) {
                Dictionary<String, Object> d = new Hashtable<>(props);
                return d;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private ConfigLedgerService ledger() {
        return new ConfigLedgerService(new FileStateStore(dir, (k, p, r) -> { }, Clock.systemUTC()), configAdmin(), false);
    }

    @Test
    void aRefusalKeepsWhatWasInForceAndAwaitSeesOnlyNewReports() throws Exception {
        ConfigLedgerService l = ledger();
        l.inForce(PID, Map.of("route", "public", "service.pid", PID));
        long mark = l.mark();
        assertThat(l.await(PID, Map.of("route", "public"), mark, Duration.ofMillis(50))).isEqualTo(Outcome.TIMEOUT);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        later.schedule(() -> l.refused(PID, Map.of("route", "nowhere"),
                List.of(new ConfigProblem(PID, "route", "nowhere", "expected public or private"))), 100, TimeUnit.MILLISECONDS);
        assertThat(l.await(PID, Map.of("route", "nowhere"), mark, Duration.ofSeconds(5))).isEqualTo(Outcome.REFUSED);
        later.shutdown();
        assertThat(l.inForce(PID)).contains(Map.of("route", "public"));
        assertThat(l.refusal(PID)).extracting(ConfigProblem::property).containsExactly("route");
        assertThat(l.refusals()).containsOnlyKeys(PID);
        l.inForce(PID, Map.of("route", "private"));
        assertThat(l.refusals()).isEmpty();
        l.withdrawn(PID);
        assertThat(l.inForce(PID)).isEmpty();
    }

    @Test
    void aLocalChangeOfAnAppliedValueIsDriftAndSurvivesARestart() {
        ConfigLedgerService l = ledger();
        ConfigSection applied = ConfigSection.of("dns", PID, Map.of("route", "private", "upstreams", List.of("udp://a:53", "udp://b:53")));
        cm.put(PID, new HashMap<>(Map.of("route", "private", "upstreams", "udp://a:53,udp://b:53", "felix.fileinstall.filename", "x")));
        l.managed(applied, "policy v12");
        l.checkAll();
        assertThat(l.drift()).isEmpty();

        cm.get(PID).put("route", "public");
        cm.get(PID).put("tls.ca", "/tmp/ca.pem");
        l.checkAll();
        assertThat(l.drift()).containsExactly(
                new ConfigDrift("dns", PID, "route", "private", "public", "policy v12"),
                new ConfigDrift("dns", PID, "tls.ca", "", "/tmp/ca.pem", "policy v12"));
        assertThat(l.drift().get(0).toString()).isEqualTo("io.sitegate.dns route: policy v12 set 'private', now 'public' (changed locally)");

        ConfigLedgerService restarted = ledger();
        restarted.checkAll();
        assertThat(restarted.drift()).hasSize(2);

        restarted.managed(ConfigSection.of("dns", PID, cm.get(PID)), "policy v13");
        restarted.checkAll();
        assertThat(restarted.drift()).isEmpty();

        cm.remove(PID);
        restarted.checkAll();
        assertThat(restarted.drift()).extracting(ConfigDrift::local).containsExactly("(deleted)");
    }

    @Test
    void aSectionBeingAppliedPidByPidIsNotDriftUntilItSettles() throws Exception {
        ConfigLedgerService l = new ConfigLedgerService(new FileStateStore(dir, (k, p, r) -> { }, Clock.systemUTC()), configAdmin(),
                false, java.time.Duration.ofMillis(300));
        String a = "io.sitegate.tunnel~primary";
        String b = "io.sitegate.tunnel~backup";
        cm.put(a, new HashMap<>(Map.of("priority", "100")));
        cm.put(b, new HashMap<>(Map.of("priority", "50")));
        l.managed(new ConfigSection("tunnels", Map.of(a, Map.of("priority", "90"), b, Map.of("priority", "40"))), "policy v2");
        // ConfigAdmin has the first PID, not yet the second: the apply in progress, not drift
        cm.get(a).put("priority", "90");
        l.checkAll();
        assertThat(l.drift()).isEmpty();
        cm.get(b).put("priority", "40");
        l.checkAll();
        assertThat(l.drift()).isEmpty();
        // settled: a local change now is drift at once
        cm.get(b).put("priority", "45");
        l.checkAll();
        assertThat(l.drift()).containsExactly(new ConfigDrift("tunnels", b, "priority", "40", "45", "policy v2"));

        // an apply ConfigAdmin never reaches is drift once the settle time is over
        l.managed(new ConfigSection("tunnels", Map.of(a, Map.of("priority", "80"), b, Map.of("priority", "45"))), "policy v3");
        l.checkAll();
        assertThat(l.drift()).isEmpty();
        Thread.sleep(400);
        l.checkAll();
        assertThat(l.drift()).containsExactly(new ConfigDrift("tunnels", a, "priority", "80", "90", "policy v3"));
        l.deactivate();
    }
}
