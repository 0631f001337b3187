package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.core.StateStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The foundation, as an operator meets it: bundles and components up, status, SSH, RBAC, bad config. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayIT extends SitegateTestSupport {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    HealthRegistry health;

    @Inject
    StateStore stateStore;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void everySitegateBundleIsActiveAndEveryComponentSatisfied() throws Exception {
        List<Bundle> ours = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.sitegate.")) {
                assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
                ours.add(b);
            }
        }
        assertTrue("the core bundle is installed", ours.stream().anyMatch(b -> b.getSymbolicName().equals("io.sitegate.core")));
        int components = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(ours.toArray(Bundle[]::new))) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                components++;
                assertTrue(d.name + " is satisfied or active, state " + c.state,
                        c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED);
            }
        }
        assertTrue("components found: " + components, components >= 5);
    }

    @Test
    public void statusShowsVersionHealthAndFeaturesOverSsh() throws Exception {
        await("gateway and state store UP", 20_000, () -> health.get("gateway").map(h -> h.state() == HealthState.UP).orElse(false)
                && health.get("state-store").map(h -> h.state() == HealthState.UP).orElse(false));
        SshResult r = asAdmin("sitegate:status");
        assertEquals(r.output(), 0, r.exit());
        String out = r.output();
        assertTrue(out, out.contains("Sitegate " + System.getProperty("sitegate.version", "")));
        assertTrue(out, out.contains("Ready: yes"));
        assertTrue(out, out.matches("(?s).*gateway\\s+\\|\\s+UP\\s+\\|.*id sitegate.*"));
        assertTrue(out, out.matches("(?s).*state-store\\s+\\|\\s+UP\\s+\\|.*/sitegate/state.*"));
        assertTrue(out, out.contains("sitegate-core/"));

        SshResult check = asViewer("sitegate:status --check");
        assertTrue(check.output(), check.output().contains("READY"));
    }

    @Test
    public void sshAcceptsTheConfiguredKeyOnly() throws Exception {
        SshResult ok = asAdmin("shell:echo key-login-works");
        assertEquals(ok.output(), 0, ok.exit());
        assertTrue(ok.output(), ok.output().contains("key-login-works"));

        // The server offers public-key authentication only: a password is never even asked for.
        SshResult password = ssh("itadmin", null, "-v", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "PubkeyAuthentication=no", "shell:echo should-not-run");
        assertNotEquals(password.output(), 0, password.exit());
        assertTrue(password.output(), password.output().contains("Authentications that can continue: publickey"));
        assertFalse(password.output(), password.output().contains("should-not-run"));

        // The stock karaf/karaf login does not exist.
        SshResult karaf = ssh("karaf", null, "-o", "PreferredAuthentications=password", "shell:echo should-not-run");
        assertNotEquals(karaf.exit(), 0);
        assertTrue(karaf.output(), karaf.output().contains("Permission denied"));
        assertTrue("no user in users.properties", Files.readAllLines(etc("users.properties")).stream()
                .noneMatch(l -> !l.startsWith("#") && !l.isBlank() && !l.startsWith("_g_")));

        // A key that is not listed is refused, even for a listed user name.
        SshResult wrongKey = ssh("itadmin", "sitegate.it.viewerKey", "shell:echo should-not-run");
        assertNotEquals(wrongKey.exit(), 0);
        assertFalse(wrongKey.output().contains("should-not-run"));
    }

    @Test
    public void aViewerCanLookButNotChange() throws Exception {
        SshResult list = asViewer("bundle:list -t 0 io.sitegate.core");
        assertTrue(list.output(), list.output().contains("Sitegate Core"));
        SshResult status = asViewer("sitegate:status");
        assertTrue(status.output(), status.output().contains("Ready:"));

        long core = context.getBundle(0).getBundleContext().getBundles().length;
        for (String change : List.of("bundle:stop io.sitegate.core", "feature:uninstall sitegate-core",
                "config:edit io.sitegate.gateway", "feature:repo-add mvn:org.example/none/1/xml/features", "system:shutdown -f")) {
            SshResult denied = asViewer(change);
            // Karaf hides commands a role may not run at all, and refuses the rest.
            assertTrue(change + " -> " + denied.output(), denied.output().contains("Insufficient credentials")
                    || denied.output().contains("Command not found: " + change.split(" ")[0]));
        }
        assertEquals(Bundle.ACTIVE, bundle("io.sitegate.core").getState());
        assertEquals(core, context.getBundles().length);

        // The admin may do what the viewer may not.
        SshResult admin = asAdmin("config:property-list --pid io.sitegate.gateway");
        assertTrue(admin.output(), admin.output().contains("id = sitegate"));
    }

    @Test
    public void aMalformedConfigurationIsRefusedNamingPropertyAndValue() throws Exception {
        Path cfg = etc("io.sitegate.gateway.cfg");
        String good = Files.readString(cfg);
        try {
            Files.writeString(cfg, good.replace("id = sitegate", "id = Bad Id!"), StandardCharsets.UTF_8);
            await("gateway DOWN", 20_000, () -> health.get("gateway").map(h -> h.state() == HealthState.DOWN).orElse(false));
            Health h = health.get("gateway").orElseThrow();
            assertTrue(h.reason(), h.reason().contains("io.sitegate.gateway: property 'id' has invalid value 'Bad Id!'"));

            SshResult status = asAdmin("sitegate:status");
            assertTrue(status.output(), status.output().matches("(?s).*gateway\\s+\\|\\s+DOWN\\s+\\|.*property 'id' has invalid value 'Bad Id!'.*"));
            assertTrue(status.output(), status.output().contains("Ready: NO"));
            SshResult check = asAdmin("sitegate:status --check");
            assertTrue(check.output(), check.output().contains("NOT READY"));

            // Nothing else stopped.
            assertEquals(Bundle.ACTIVE, bundle("io.sitegate.core").getState());
            assertEquals(Optional.of(HealthState.UP), health.get("state-store").map(Health::state));
            stateStore.write("itest.probe", "still writable".getBytes(StandardCharsets.UTF_8));
            assertEquals("still writable", new String(stateStore.read("itest.probe").orElseThrow().content(), StandardCharsets.UTF_8));
            String log = Files.readString(Paths.get(System.getProperty("karaf.log"), "karaf.log"));
            assertTrue("log names property and value", log.contains("io.sitegate.gateway: property 'id' has invalid value 'Bad Id!'"));
        } finally {
            Files.writeString(cfg, good, StandardCharsets.UTF_8);
        }
        await("gateway UP again", 20_000, () -> health.get("gateway").map(h -> h.state() == HealthState.UP).orElse(false));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static Path etc(String name) {
        return Paths.get(System.getProperty("karaf.etc"), name);
    }
}
