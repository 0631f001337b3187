package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ListenerStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * DNSSEC through the forwarder (issue 17, RFC 3225, RFC 4035 §3.2): a zone signed with dnssec-signzone,
 * served by a validating unbound ({@link SignedZoneUpstream}) marked {@code ?trusted}, and {@code delv}
 * validating what the forwarder answers against that zone's own trust anchor. The answer validates when
 * it comes from the upstream and again from the cache; a damaged signature fails at the client; a DO
 * client gets DO, the RRSIGs and AD, a client without DO the small answer; the sinkhole is never AD.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnssecIT extends SitegateTestSupport {

    private static final String PROPS = "sitegate.it.dnssec.";
    private static final String CFG = "etc/io.sitegate.dns.cfg";
    private static final String CLIENT = "127.0.0.1";
    private static final String UPSTREAM = "127.0.54.1";
    private static final String ZONE = SignedZoneUpstream.ZONE;
    private static final String WWW = "www." + ZONE;
    private static final String SINKHOLED = "ads." + ZONE;
    private static final long BOOT_MS = 90_000;

    @Inject
    BundleContext context;

    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() throws IOException {
        if (options == null) {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "dnssec");
            SignedZoneUpstream upstream = SignedZoneUpstream.start(dir, UPSTREAM, List.of(
                    WWW + ". 300 IN A 192.0.2.80",
                    WWW + ". 300 IN AAAA 2001:db8::80",
                    SINKHOLED + ". 300 IN A 192.0.2.66"));
            int port = SignedZoneUpstream.freePort(CLIENT);
            options = distribution(
                    editConfigurationFilePut(CFG, "listen", CLIENT + ":" + port),
                    editConfigurationFilePut(CFG, "upstreams",
                            "udp://" + upstream.address() + ":" + upstream.port() + "?trusted"),
                    editConfigurationFilePut(CFG, "upstream.timeout", "2000"),
                    editConfigurationFilePut(CFG, "firewall.mode", "deny"),
                    editConfigurationFilePut(CFG, "firewall.deny", "=" + SINKHOLED),
                    editConfigurationFilePut(CFG, "firewall.answer", "sinkhole"),
                    editConfigurationFilePut(CFG, "rateLimit.qps", "0"),
                    systemProperty(PROPS + "port").value(String.valueOf(port)),
                    systemProperty(PROPS + "upstreamPort").value(String.valueOf(upstream.port())),
                    systemProperty(PROPS + "anchor").value(upstream.anchorFile().toAbsolutePath().toString()));
        }
        return options.clone();
    }

    @Before
    public void awaitTheForwarderAndEmptyItsCache() throws Exception {
        await("the forwarder with its listeners bound", BOOT_MS, () -> {
            DnsForwarder f = forwarderOrNull();
            return f != null && !f.status().listeners().isEmpty()
                    && f.status().listeners().stream().allMatch(ListenerStatus::bound);
        });
        await("the forwarder answering " + WWW, BOOT_MS, () -> "NOERROR".equals(dig(WWW, "A").status()));
        forwarderOrNull().flushCache();
    }

    @Test
    public void theAnswerValidatesFromTheUpstreamAndAgainFromTheCache() throws Exception {
        long hitsBefore = forwarderOrNull().status().cache().hits();
        for (String round : List.of("from the upstream", "from the cache")) {
            String out = delv(WWW, "A");
            assertTrue(round + ": " + out, out.contains("; fully validated"));
            assertTrue(round + ": " + out, out.contains("192.0.2.80"));
            assertTrue(round + ": " + out, out.contains("RRSIG"));
        }
        assertTrue("the second round came from the cache",
                forwarderOrNull().status().cache().hits() > hitsBefore);
        // the proof that a name does not exist validates too (NSEC and its RRSIGs kept, RFC 4035 §3.1.3)
        for (int round = 0; round < 2; round++) {
            String nx = delv("nothing." + ZONE, "A");
            assertTrue("round " + round + ": " + nx, nx.contains("negative response, fully validated"));
        }
    }

    @Test
    public void aTamperedSignatureFailsValidationAtTheClient() throws Exception {
        for (String round : List.of("from the upstream", "from the cache")) {
            String out = delv(SignedZoneUpstream.TAMPERED, "A");
            assertFalse(round + ": " + out, out.contains("fully validated"));
            // the signature reached the client and did not verify (not merely went missing on the way)
            assertTrue(round + ": " + out, out.contains("resolution failed: RRSIG failed to verify"));
        }
        // without CD the validating upstream withholds it: SERVFAIL, never an AD answer
        Dig.Reply checked = dig(SignedZoneUpstream.TAMPERED, "A", "+dnssec");
        assertEquals(checked.toString(), "SERVFAIL", checked.status());
        assertFalse(checked.toString(), checked.flags().contains("ad"));
    }

    @Test
    public void doAndAdReachADoClientAndAClientWithoutDoGetsTheSmallAnswer() throws Exception {
        for (int round = 0; round < 2; round++) {
            Dig.Reply signed = dig(WWW, "A", "+dnssec");
            assertEquals(signed.toString(), "NOERROR", signed.status());
            assertTrue("AD from the trusted upstream, round " + round + ": " + signed, signed.flags().contains("ad"));
            assertTrue("RFC 3225 §3: DO echoed, round " + round + ": " + signed, signed.output().contains("flags: do;"));
            assertTrue(signed.toString(), signed.answer().stream().anyMatch(rr -> rr.type().equals("RRSIG")));

            // dig sets AD by default: here a client that asks for neither
            Dig.Reply plain = dig(WWW, "A", "+noadflag");
            assertEquals(plain.toString(), "NOERROR", plain.status());
            assertFalse(plain.toString(), plain.answer().stream().anyMatch(rr -> rr.type().equals("RRSIG")));
            assertFalse(plain.toString(), plain.output().contains("flags: do;"));
            assertFalse("no AD for a client that asked neither DO nor AD: " + plain, plain.flags().contains("ad"));

            // RFC 6840 §5.7/§5.8: AD without DO gets AD, but not the signatures
            Dig.Reply adOnly = dig(WWW, "A", "+adflag");
            assertTrue("round " + round + ": " + adOnly, adOnly.flags().contains("ad"));
            assertFalse(adOnly.toString(), adOnly.answer().stream().anyMatch(rr -> rr.type().equals("RRSIG")));
        }
    }

    @Test
    public void aSinkholedNameIsNeverMarkedAuthentic() throws Exception {
        for (int round = 0; round < 2; round++) {
            Dig.Reply r = dig(SINKHOLED, "A", "+dnssec", "+adflag");
            assertEquals(r.toString(), "NOERROR", r.status());
            assertEquals(r.toString(), java.util.Set.of("0.0.0.0"), r.data("A"));
            assertFalse("round " + round + ": " + r, r.flags().contains("ad"));
        }
        String out = delv(SINKHOLED, "A");
        assertFalse(out, out.contains("fully validated"));
    }

    private static Dig.Reply dig(String name, String type, String... options) {
        List<String> o = new ArrayList<>(List.of(options));
        o.add("+additional");
        return Dig.query(CLIENT, Integer.getInteger(PROPS + "port"), name, type, o.toArray(String[]::new));
    }

    /** delv against the forwarder, validating from the zone's own trust anchor, with CD set (RFC 4035 §3.2.2). */
    private static String delv(String name, String type) throws IOException, InterruptedException {
        List<String> cmd = List.of("delv", "-a", System.getProperty(PROPS + "anchor"), "+root=" + ZONE,
                "@" + CLIENT, "-p", Integer.getInteger(PROPS + "port").toString(), "+cdflag", name, type);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return String.join(" ", cmd) + "\n" + out;
    }

    private DnsForwarder forwarderOrNull() {
        ServiceReference<DnsForwarder> ref = context.getServiceReference(DnsForwarder.class);
        return ref == null ? null : context.getService(ref);
    }
}
