package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.policy.PolicyKeys;
import io.sitegate.policy.PolicySigner;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Feature updates by policy, through the real agent: a signed policy over a real mosquitto whose {@code features}
 * section registers a {@code file:} repository written by the test and installs a feature of it (a small bundle the
 * test builds) is applied and acked, and no Sitegate bundle is stopped or refreshed meanwhile; a policy whose feature
 * does not resolve is rolled back as a whole (its cellular change too) with Karaf's reason, leaving the earlier feature
 * installed and its repository unregistered; a repository file that does not exist is rejected before anything is applied.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureUpdateIT extends SitegateTestSupport {
    private static final String PROPS = "sitegate.it.features";
    private static PolicyBroker broker;

    @Inject
    FeaturesService features;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    HealthRegistry health;

    @Inject
    BundleContext context;

    @Configuration
    public static Option[] config() throws Exception {
        broker = PolicyBroker.start("features", false);
        return distribution(broker.agentOptions(PROPS, false));
    }

    @AfterClass
    public static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Before
    public void agent() throws Exception {
        if (!features.isInstalled(features.getFeature("sitegate-policy"))) {
            features.installFeature("sitegate-policy");
        }
        await("mqtt UP", 60_000, () -> health.get("mqtt").map(h -> h.state() == HealthState.UP).orElse(false));
    }

    @Test
    public void aFeatureIsInstalledByPolicyAndABadOneRollsTheWholePolicyBack() throws Exception {
        Path dir = Path.of(System.getProperty(PROPS + ".dir"));
        Path probe = bundle(dir.resolve("it-probe-1.0.0.jar"), "io.sitegate.it.probe", "1.0.0", null);
        Path good = Files.writeString(dir.resolve("it-features.xml"), "<features name=\"it-probe\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"it-probe\" version=\"1.0.0\"><bundle>" + probe.toUri() + "</bundle></feature>\n</features>\n");
        // a feature whose bundle imports a package nobody exports: Karaf's resolution fails
        Path unwired = bundle(dir.resolve("it-unwired-1.0.0.jar"), "io.sitegate.it.unwired", "1.0.0", "io.sitegate.it.nowhere");
        Path bad = Files.writeString(dir.resolve("it-bad-features.xml"), "<features name=\"it-bad\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"it-unwired\" version=\"1.0.0\"><bundle>" + unwired.toUri() + "</bundle></feature>\n</features>\n");

        Map<Long, String> sitegateBefore = sitegateBundles();
        List<String> stopped = new CopyOnWriteArrayList<>();
        SynchronousBundleListener watch = e -> {
            if (e.getBundle().getSymbolicName() != null && e.getBundle().getSymbolicName().startsWith("io.sitegate.")
                    && !e.getBundle().getSymbolicName().startsWith("io.sitegate.it.")
                    && (e.getType() == BundleEvent.STOPPING || e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UNRESOLVED)) {
                stopped.add(e.getBundle().getSymbolicName() + " " + e.getType());
            }
        };
        context.addBundleListener(watch);
        try {
            long t0 = System.currentTimeMillis();
            List<String> acks = publish(2, policy(10, "{\"cellular\":{\"quota.data.bytes\":5000000},\"features\":{\"repositories\":[\""
                    + good.toUri() + "\"],\"install\":[\"it-probe/1.0.0\"]}}"));
            System.out.println("FeatureUpdateIT: install by policy acked in " + (System.currentTimeMillis() - t0) + " ms");
            assertEquals(acks.toString(), 2, acks.size());
            assertTrue(acks.get(1), acks.get(1).contains("\"version\":10") && acks.get(1).contains("\"result\":\"applied\""));
            assertTrue("it-probe installed", features.isInstalled(features.getFeature("it-probe", "1.0.0")));
            assertEquals(Bundle.ACTIVE, bundle("io.sitegate.it.probe").getState());
            assertTrue(repositories().contains(good.toUri().toString()));

            // a bad feature with a cellular change: the whole policy goes back, Karaf's reason in the ack
            acks = publish(2, policy(11, "{\"cellular\":{\"quota.data.bytes\":7000000},\"features\":{\"repositories\":[\""
                    + good.toUri() + "\",\"" + bad.toUri() + "\"],\"install\":[\"it-probe/1.0.0\",\"it-unwired/1.0.0\"]}}"));
            assertEquals(acks.toString(), 2, acks.size());
            assertTrue(acks.get(1), acks.get(1).contains("\"version\":11") && acks.get(1).contains("\"result\":\"rolled_back\"")
                    && acks.get(1).contains("features refused") && acks.get(1).contains("Unable to resolve"));
            assertTrue("it-probe still installed", features.isInstalled(features.getFeature("it-probe", "1.0.0")));
            assertFalse("the bad repository is not left registered", repositories().contains(bad.toUri().toString()));
            assertTrue(repositories().contains(good.toUri().toString()));
            assertEquals("5000000", String.valueOf(configAdmin.getConfiguration("io.sitegate.cellular", null).getProperties().get("quota.data.bytes")));
            assertEquals(null, bundleOrNull("io.sitegate.it.unwired"));

            // a repository file that does not exist: rejected before anything is applied
            acks = publish(2, policy(12, "{\"features\":{\"repositories\":[\"" + dir.resolve("none.xml").toUri() + "\"]}}"));
            assertTrue(acks.toString(), acks.get(acks.size() - 1).contains("\"result\":\"rejected\"")
                    && acks.get(acks.size() - 1).contains("no readable file"));

            // an upgrade whose new version brings a fragment of the DNS bundle: without NoAutoRefreshBundles Karaf would
            // refresh (stop, rewire, start) the DNS forwarder to attach it ("Attached fragments changed")
            Path probe2 = bundle(dir.resolve("it-probe-1.0.1.jar"), "io.sitegate.it.probe", "1.0.1", null);
            Path fragment = fragment(dir.resolve("it-dns-fragment-1.0.1.jar"), "io.sitegate.it.dnsfragment", "1.0.1", "io.sitegate.dns");
            Path upgrade = Files.writeString(dir.resolve("it-features-2.xml"), "<features name=\"it-probe-2\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                    + "  <feature name=\"it-probe\" version=\"1.0.1\"><bundle>" + probe2.toUri() + "</bundle><bundle>" + fragment.toUri()
                    + "</bundle></feature>\n</features>\n");
            t0 = System.currentTimeMillis();
            acks = publish(2, policy(13, "{\"features\":{\"repositories\":[\"" + good.toUri() + "\",\"" + upgrade.toUri()
                    + "\"],\"install\":[\"it-probe/1.0.1\"]}}"));
            System.out.println("FeatureUpdateIT: upgrade by policy acked in " + (System.currentTimeMillis() - t0) + " ms");
            assertTrue(acks.toString(), acks.size() == 2 && acks.get(1).contains("\"result\":\"applied\""));
            assertTrue("it-probe 1.0.1 installed", features.isInstalled(features.getFeature("it-probe", "1.0.1")));
            assertFalse("it-probe 1.0.0 replaced", features.isInstalled(features.getFeature("it-probe", "1.0.0")));
            assertEquals("1.0.1", bundle("io.sitegate.it.probe").getVersion().toString());

            assertEquals("no Sitegate bundle was stopped or refreshed", List.of(), stopped);
            assertEquals("the Sitegate bundles are the same, all ACTIVE", sitegateBefore, sitegateBundles());
        } finally {
            context.removeBundleListener(watch);
        }
    }

    /** The Sitegate bundles by id, with their state. */
    private Map<Long, String> sitegateBundles() {
        Map<Long, String> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("io.sitegate.") && !bsn.startsWith("io.sitegate.it.") && !bsn.contains("probe")) {
                out.put(b.getBundleId(), bsn + (b.getState() == Bundle.ACTIVE ? " ACTIVE" : " state " + b.getState()));
            }
        }
        return out;
    }

    private List<String> repositories() throws Exception {
        return Arrays.stream(features.listRepositories()).map(Repository::getURI).map(Object::toString).toList();
    }

    private Bundle bundle(String bsn) {
        Bundle b = bundleOrNull(bsn);
        if (b == null) {
            throw new AssertionError("no bundle " + bsn);
        }
        return b;
    }

    private Bundle bundleOrNull(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    /** A bundle of a manifest only, importing {@code imports} when given. */
    private static Path bundle(Path jar, String bsn, String version, String imports) throws IOException {
        return manifestOnly(jar, bsn, version, "Import-Package", imports);
    }

    /** A fragment of {@code host}, of a manifest only. */
    private static Path fragment(Path jar, String bsn, String version, String host) throws IOException {
        return manifestOnly(jar, bsn, version, "Fragment-Host", host);
    }

    private static Path manifestOnly(Path jar, String bsn, String version, String header, String value) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        if (value != null) {
            a.putValue(header, value);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    private static String policy(long version, String sections) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String json = "{\"version\":" + version + ",\"issuedAt\":\"" + now.minusSeconds(5) + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS)
                + "\",\"target\":\"sitegate\",\"sections\":" + sections + "}";
        return PolicySigner.fromPem(Files.readString(Path.of(System.getProperty(PROPS + ".key"))), "it").sign(json);
    }

    /** Publishes one policy to the gateway's topic and returns the next {@code acks} acks. */
    private static List<String> publish(int acks, String jws) throws Exception {
        String port = System.getProperty(PROPS + ".port");
        Path out = Files.createTempFile("acks", ".txt");
        Process sub = new ProcessBuilder("mosquitto_sub", "-p", port, "-t", "sitegate/+/ack", "-C", String.valueOf(acks), "-W", "90", "-V", "mqttv5")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Thread.sleep(500);
        Path f = Files.writeString(Files.createTempFile("policy", ".jws"), jws, StandardCharsets.US_ASCII);
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-p", port, "-t", "sitegate/sitegate/policy", "-q", "1", "-f", f.toString(),
                "-V", "mqttv5"));
        Process pub = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        assertTrue("mosquitto_pub ends", pub.waitFor(20, TimeUnit.SECONDS));
        assertEquals(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0, pub.exitValue());
        sub.waitFor(95, TimeUnit.SECONDS);
        sub.destroyForcibly();
        return Files.readAllLines(out);
    }
}
