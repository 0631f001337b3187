package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.core.Health;
import io.sitegate.core.HealthRegistry;
import io.sitegate.core.HealthState;
import io.sitegate.dns.DnsFirewall;
import io.sitegate.core.config.ConfigLedger;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.FirewallMode;
import io.sitegate.dns.FirewallRule;
import io.sitegate.dns.FirewallVerdict;
import io.sitegate.dns.ForwarderStatus;
import io.sitegate.dns.ListenerStatus;
import io.sitegate.dns.LookupResult;
import io.sitegate.dns.UpstreamStatus;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The DNS forwarder (issue 6) in the built distribution, between {@code dig} and real {@code unbound}
 * upstreams on 127.0.53.x: record types, NXDOMAIN with SOA, truncation and TCP, the cache with its upstream
 * stopped, serve-stale, failover and recovery, DNS over TLS with a test CA (and a wrong CA, a wrong name),
 * conditional forwarding, private upstreams behind a tunnel, the DNS firewall from the configuration and the
 * shell, and a refused configuration. A burst of configuration changes is {@link DnsReconfigurationIT}'s.
 *
 * <p>The upstreams answer from local data and differ where a test must see which one answered:
 * {@code who.it.example TXT} is the upstream's own name. They run as processes of the test JVM, started
 * before the boot; the tests stop and start them through {@link DnsUpstream.Control}. Each test sets the
 * configuration it needs (the boot configuration plus its own keys) through ConfigurationAdmin, which
 * also empties the cache, and leaves every upstream running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnsIT extends SitegateTestSupport {

    static final String PID = "io.sitegate.dns";
    static final String CFG = "etc/io.sitegate.dns.cfg";
    /** The DoT server's certificate name. */
    static final String DOT_NAME = "dot.it.example";
    static final String TUNNEL = "tunnel/corp";

    /** The upstreams, by the name the control channel knows them. */
    static final String PRIMARY = "primary";
    static final String SECONDARY = "secondary";
    /** Used by the cache test alone: stopping it disturbs no other test. */
    static final String VOLATILE = "volatile";
    static final String CORP = "corp";
    static final String LAB = "lab";
    static final String DOT = "dot";
    private static final Map<String, String> ADDRESSES = Map.of(PRIMARY, "127.0.53.1", SECONDARY, "127.0.53.2",
            CORP, "127.0.53.3", DOT, "127.0.53.4", LAB, "127.0.53.5", VOLATILE, "127.0.53.6");
    /** The DoT server's second address: the failing TLS cases use it, so that their failures stay off 127.0.53.4. */
    static final String DOT_OTHER_ADDRESS = "127.0.53.7";
    static final int BIG_RECORDS = 100;

    private static final String PROPS = "sitegate.it.dns";
    private static final long CHANGE_MS = 20_000;
    /** Longer than the forwarder's longest retry pause (30 s) plus a query. */
    private static final long RECOVERY_MS = 75_000;
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    @Inject
    BundleContext context;

    @Inject
    HealthRegistry health;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ConfigLedger ledger;

    private static Option[] options;
    /** The configuration the distribution booted with; each test starts from it. Lives in the container. */
    private static Map<String, Object> bootConfiguration;
    /** The configuration last put in force by {@link #configure}; null: unknown. Lives in the container. */
    private static Map<String, Object> inForce;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            options = startUpstreamsAndConfigure();
        }
        return options.clone();
    }

    // --- the upstreams' data ---

    private static final String IT_SOA = "it.example. 3600 IN SOA ns.it.example. hostmaster.it.example. 2024010101 3600 900 604800 300";

    /** it.example, as every public upstream serves it; {@code who.it.example TXT} names the upstream. */
    static DnsUpstream.Zone itZone(String who) {
        List<String> r = new ArrayList<>(List.of(IT_SOA,
                "it.example. 3600 IN NS ns.it.example.",
                "ns.it.example. 3600 IN A 192.0.2.53",
                "www.it.example. 300 IN A 192.0.2.10",
                "www.it.example. 300 IN AAAA 2001:db8::10",
                "it.example. 300 IN MX 10 mail.it.example.",
                "it.example. 300 IN MX 20 mail2.it.example.",
                "mail.it.example. 300 IN A 192.0.2.25",
                "txt.it.example. 300 IN TXT \"v=spf1 -all\"",
                "txt.it.example. 300 IN TXT \"hello world\" \"second string\"",
                "_sip._udp.it.example. 300 IN SRV 10 60 5060 sip.it.example.",
                "_sip._udp.it.example. 300 IN SRV 20 40 5061 sip2.it.example.",
                "who.it.example. 300 IN TXT \"" + who + "\"",
                "ads.it.example. 300 IN A 192.0.2.65",
                "tracker.ads.it.example. 300 IN A 192.0.2.66",
                "good.ads.it.example. 300 IN A 192.0.2.67",
                "x.good.ads.it.example. 300 IN A 192.0.2.71",
                "notads.it.example. 300 IN A 192.0.2.68",
                "both.it.example. 300 IN A 192.0.2.69",
                "shop.it.example. 300 IN A 192.0.2.70",
                "shop.it.example. 300 IN AAAA 2001:db8::70"));
        // more than 1232 bytes: 100 A records of 16 bytes each
        IntStream.rangeClosed(1, BIG_RECORDS).forEach(i -> r.add("big.it.example. 300 IN A 198.18.0." + i));
        return new DnsUpstream.Zone("it.example", r);
    }

    private static Option[] startUpstreamsAndConfigure() {
        Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "dns").toAbsolutePath();
        TestCa ca = TestCa.create(dir.resolve("ca"), "Sitegate IT DNS CA");
        TestCa otherCa = TestCa.create(dir.resolve("other-ca"), "Unrelated IT CA");
        TestCa.ServerCertificate dotCertificate = ca.issue(DOT_NAME);

        DnsUpstream.Zone publicCorp = new DnsUpstream.Zone("corp.example", List.of(
                "corp.example. 3600 IN SOA ns.corp.example. hostmaster.corp.example. 1 3600 900 604800 300",
                "intranet.corp.example. 300 IN A 198.51.100.80"));
        DnsUpstream.Zone notLab = new DnsUpstream.Zone("notlab.example", List.of(
                "printer.notlab.example. 300 IN A 192.0.2.99"));
        List<DnsUpstream> upstreams = List.of(
                DnsUpstream.start(dir, PRIMARY, List.of(ADDRESSES.get(PRIMARY)), null, null,
                        List.of(itZone(PRIMARY), publicCorp, notLab)),
                DnsUpstream.start(dir, SECONDARY, List.of(ADDRESSES.get(SECONDARY)), null, null,
                        List.of(itZone(SECONDARY), new DnsUpstream.Zone("sub.lab.example", List.of(
                                "who.sub.lab.example. 300 IN TXT \"secondary\"")))),
                DnsUpstream.start(dir, VOLATILE, List.of(ADDRESSES.get(VOLATILE)), null, null, List.of(itZone(VOLATILE))),
                DnsUpstream.start(dir, CORP, List.of(ADDRESSES.get(CORP)), null, null, List.of(
                        new DnsUpstream.Zone("corp.example", List.of(
                                "corp.example. 3600 IN SOA ns.corp.example. hostmaster.corp.example. 2 3600 900 604800 300",
                                "intranet.corp.example. 300 IN A 10.20.0.80",
                                "who.corp.example. 300 IN TXT \"corp\"")))),
                DnsUpstream.start(dir, LAB, List.of(ADDRESSES.get(LAB)), null, null, List.of(
                        new DnsUpstream.Zone("lab.example", List.of(
                                "lab.example. 3600 IN SOA ns.lab.example. hostmaster.lab.example. 1 3600 900 604800 300",
                                "printer.lab.example. 300 IN A 10.30.0.9",
                                "who.lab.example. 300 IN TXT \"lab\"")))),
                DnsUpstream.start(dir, DOT, List.of(ADDRESSES.get(DOT), DOT_OTHER_ADDRESS), dotCertificate, DOT_NAME,
                        List.of(itZone(DOT))));

        int listenPort = freeLoopbackPort();
        Map<String, DnsUpstream> byName = upstreams.stream().collect(Collectors.toMap(DnsUpstream::name, u -> u));
        List<Option> options = new ArrayList<>(List.of(
                editConfigurationFilePut(CFG, "listen", "127.0.0.1:" + listenPort),
                editConfigurationFilePut(CFG, "upstreams", byName.get(PRIMARY).spec()),
                editConfigurationFilePut(CFG, "private.upstreams", byName.get(CORP).spec()),
                editConfigurationFilePut(CFG, "private.tunnel", TUNNEL),
                editConfigurationFilePut(CFG, "private.failClosed", "true"),
                editConfigurationFilePut(CFG, "route", "public"),
                editConfigurationFilePut(CFG, "forward.corp.example", "private"),
                editConfigurationFilePut(CFG, "forward.lab.example", byName.get(LAB).spec()),
                editConfigurationFilePut(CFG, "tls.ca", ca.certificate().toString()),
                editConfigurationFilePut(CFG, "upstream.timeout", "1000"),
                editConfigurationFilePut(CFG, "firewall.mode", "deny"),
                editConfigurationFilePut(CFG, "firewall.deny", "ads.it.example, both.it.example"),
                editConfigurationFilePut(CFG, "firewall.allow", "=good.ads.it.example, both.it.example"),
                editConfigurationFilePut(CFG, "firewall.answer", "nxdomain"),
                // rate limiting has tests of its own (DnsAbuseIT)
                editConfigurationFilePut(CFG, "rateLimit.qps", "0"),
                editConfigurationFilePut(CFG, "log.querySample", "1"),
                // every query in data/log/karaf.log with what answered it, and why an upstream failed
                editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.dnsresolution.name",
                        "io.sitegate.dns.internal.Resolution"),
                editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.dnsresolution.level", "DEBUG"),
                // Fileinstall writes each ConfigurationAdmin update back to the .cfg file, and its directory
                // watcher may read that file while it is being written and push the half it read as a new
                // configuration (seen here: a configuration without listen and upstreams right after an update).
                // The tests change the configuration many times a second: keep fileinstall out of it.
                editConfigurationFilePut("etc/config.properties", "felix.fileinstall.enableConfigSave", "false"),
                systemProperty(PROPS + ".port").value(String.valueOf(listenPort)),
                systemProperty(PROPS + ".control").value(String.valueOf(DnsUpstream.serveControl())),
                systemProperty(PROPS + ".ca").value(ca.certificate().toString()),
                systemProperty(PROPS + ".otherCa").value(otherCa.certificate().toString())));
        for (DnsUpstream u : upstreams) {
            options.add(systemProperty(PROPS + "." + u.name() + ".port").value(String.valueOf(u.port())));
        }
        return distribution(options.toArray(Option[]::new));
    }

    /**
     * A port free for UDP and TCP on 127.0.0.1, below the kernel's ephemeral range (32768-60999): the
     * forwarder's UDP sockets use SO_REUSEPORT, and a client such as dig, which binds its own source
     * port with SO_REUSEPORT too, could otherwise be given the forwarder's port and receive its own query.
     */
    static int freeLoopbackPort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
                 DatagramSocket udp = new DatagramSocket(null)) {
                udp.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 for UDP and TCP in 20000-31999");
    }

    // --- 1. record types ---

    @Test
    public void answersOfEveryRecordTypeAreTheUpstreams() throws Exception {
        configure();
        for (String[] q : List.of(new String[] {"www.it.example", "A"}, new String[] {"www.it.example", "AAAA"},
                new String[] {"it.example", "MX"}, new String[] {"txt.it.example", "TXT"},
                new String[] {"_sip._udp.it.example", "SRV"})) {
            Dig.Reply upstream = digUpstream(PRIMARY, q[0], q[1]);
            assertEquals(upstream.toString(), "NOERROR", upstream.status());
            assertFalse("the upstream has " + q[0] + " " + q[1], upstream.answer().isEmpty());
            for (int round = 0; round < 2; round++) { // from the upstream, then from the cache
                Dig.Reply r = dig(q[0], q[1]);
                assertEquals(q[0] + " " + q[1] + " round " + round + ": " + r, "NOERROR", r.status());
                assertEquals(q[0] + " " + q[1] + " round " + round + ": " + r, upstream.answerSet(), r.answerSet());
                assertTrue(r.toString(), r.flags().containsAll(Set.of("qr", "rd", "ra")));
                for (Dig.Rr rr : r.answer()) {
                    assertTrue("TTL " + rr + " within the upstream's 300 s", rr.ttl() > 0 && rr.ttl() <= 300);
                }
            }
        }
        // the same through the forwarder's own API
        LookupResult mx = lookup("it.example", "MX");
        assertEquals("NOERROR", mx.rcode());
        assertEquals(mx.toString(), 2, mx.records().size());
        assertTrue(mx.toString(), String.join("\n", mx.records()).contains("mail.it.example"));
    }

    // --- 2. NXDOMAIN ---

    @Test
    public void nxdomainCarriesTheSoaInTheAuthoritySectionAlsoFromTheCache() throws Exception {
        configure();
        Dig.Reply upstream = digUpstream(PRIMARY, "nothing.it.example", "A");
        assertEquals(upstream.toString(), "NXDOMAIN", upstream.status());
        for (int round = 0; round < 2; round++) { // from the upstream, then the negative cache (RFC 2308)
            Dig.Reply r = dig("nothing.it.example", "A");
            assertEquals("round " + round + ": " + r, "NXDOMAIN", r.status());
            assertTrue(r.toString(), r.answer().isEmpty());
            List<Dig.Rr> soa = r.authority().stream().filter(rr -> rr.type().equals("SOA")).toList();
            assertEquals("one SOA in the authority section, round " + round + ": " + r, 1, soa.size());
            assertEquals("it.example.", soa.get(0).name());
            assertEquals(upstream.authority().get(0).data(), soa.get(0).data());
            assertTrue("negative TTL at most the SOA minimum (300): " + r, soa.get(0).ttl() > 0 && soa.get(0).ttl() <= 300);
        }
        // a name that exists with no record of this type: NOERROR, no answer, the SOA
        assertTrue(digUpstream(PRIMARY, "www.it.example", "MX").authority().stream().anyMatch(rr -> rr.type().equals("SOA")));
        Dig.Reply noData = dig("www.it.example", "MX");
        assertEquals(noData.toString(), "NOERROR", noData.status());
        assertTrue(noData.toString(), noData.answer().isEmpty());
        assertTrue(noData.toString(), noData.authority().stream().anyMatch(rr -> rr.type().equals("SOA")));
    }

    // --- 3. truncation ---

    @Test
    public void aLargeAnswerIsTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        configure();
        Dig.Reply upstream = digUpstream(PRIMARY, "big.it.example", "A", "+tcp");
        assertEquals(upstream.toString(), BIG_RECORDS, upstream.answer().size());

        // first over UDP (the forwarder fetches it over TCP from the upstream), then over TCP from the cache
        Dig.Reply udp = dig("big.it.example", "A");
        assertTrue("TC set over UDP: " + udp, udp.truncated());
        assertEquals(udp.toString(), "NOERROR", udp.status());
        Dig.Reply tcp = dig("big.it.example", "A", "+tcp");
        assertFalse(tcp.toString(), tcp.truncated());
        assertEquals(tcp.toString(), "NOERROR", tcp.status());
        assertEquals(upstream.answerSet(), tcp.answerSet());

        // and the other way round: TCP first, then UDP from the cache is truncated all the same
        forwarder().flushCache();
        assertEquals(upstream.answerSet(), dig("big.it.example", "A", "+tcp").answerSet());
        assertTrue(dig("big.it.example", "A").truncated());
        // a client without EDNS0 gets at most 512 bytes: truncated too; a small answer fits
        assertTrue(dig("big.it.example", "A", "+noedns").truncated());
        Dig.Reply small = dig("www.it.example", "A", "+noedns");
        assertFalse(small.toString(), small.truncated());
        assertEquals(Set.of("192.0.2.10"), small.data("A"));
    }

    // --- 4. cache ---

    @Test
    public void cachedAnswersAreServedWhileTheUpstreamIsStopped() throws Exception {
        configure("upstreams", spec(VOLATILE));
        assertEquals(Set.of("192.0.2.10"), dig("www.it.example", "A").data("A"));
        assertEquals("NXDOMAIN", dig("gone.it.example", "A").status());
        long hits = forwarder().status().cache().hits();

        control().stop(VOLATILE);
        try {
            Dig.Reply www = dig("www.it.example", "A");
            assertEquals(www.toString(), "NOERROR", www.status());
            assertEquals(www.toString(), Set.of("192.0.2.10"), www.data("A"));
            assertTrue(www.toString(), www.answer().get(0).ttl() > 0 && www.answer().get(0).ttl() <= 300);
            Dig.Reply gone = dig("gone.it.example", "A");
            assertEquals(gone.toString(), "NXDOMAIN", gone.status());
            assertTrue(gone.toString(), gone.authority().stream().anyMatch(rr -> rr.type().equals("SOA")));

            LookupResult viaApi = lookup("www.it.example", "A");
            assertEquals(viaApi.toString(), "cache", viaApi.answeredBy());
            assertEquals("NOERROR", viaApi.rcode());
            SshResult shell = asViewer("sitegate:dns-lookup www.it.example A");
            assertEquals(shell.output(), 0, shell.exit());
            assertContains(shell.output(), "www.it.example", "NOERROR", "cache", "192.0.2.10");
            assertTrue("cache hits counted: " + forwarder().status().cache(), forwarder().status().cache().hits() >= hits + 2);

            // a name never asked: no upstream, no cache (serve-stale is off)
            Dig.Reply never = dig("txt.it.example", "TXT");
            assertEquals(never.toString(), "SERVFAIL", never.status());

            SshResult flush = asAdmin("sitegate:dns-cache-flush");
            assertEquals(flush.output(), 0, flush.exit());
            assertEquals(forwarder().status().cache().toString(), 0, forwarder().status().cache().entries());
            Dig.Reply afterFlush = dig("www.it.example", "A");
            assertEquals("flushed, and the upstream is stopped: " + afterFlush, "SERVFAIL", afterFlush.status());
        } finally {
            control().start(VOLATILE);
        }
    }

    @Test
    public void expiredAnswersAreServedStaleWhenNoUpstreamAnswers() throws Exception {
        // TTLs clamped to one second, so that the answer expires while the upstream is stopped
        configure("upstreams", spec(VOLATILE), "cache.serveStale", "true", "cache.maxTtl", "1");
        Dig.Reply fresh = dig("www.it.example", "A");
        assertEquals(fresh.toString(), Set.of("192.0.2.10"), fresh.data("A"));
        assertTrue("TTL clamped to cache.maxTtl: " + fresh, fresh.answer().get(0).ttl() <= 1);

        control().stop(VOLATILE);
        try {
            List<String> seen = new ArrayList<>();
            await("the expired answer served stale", CHANGE_MS, () -> {
                try {
                    LookupResult r = lookup("www.it.example", "A");
                    seen.add(r.answeredBy());
                    return r.answeredBy().startsWith("stale cache");
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    SimulatedModems.sleep(100);
                }
            });
            Dig.Reply stale = dig("www.it.example", "A");
            assertEquals(stale.toString(), "NOERROR", stale.status());
            assertEquals(stale.toString(), Set.of("192.0.2.10"), stale.data("A"));
            assertEquals("RFC 8767: stale answers carry TTL 30: " + stale, 30, stale.answer().get(0).ttl());
            assertTrue(forwarder().status().cache().toString(), forwarder().status().cache().staleServed() >= 2);
            assertEquals("nothing stale to serve for a name never asked", "SERVFAIL", dig("mail.it.example", "A").status());
        } finally {
            control().start(VOLATILE);
        }
    }

    // --- 5. failover and recovery ---

    @Test
    public void failsOverToTheNextUpstreamAndReturnsAfterRecovery() throws Exception {
        configure("upstreams", spec(PRIMARY) + ", " + spec(SECONDARY));
        awaitAnsweredBy(PRIMARY, RECOVERY_MS);
        // a TCP exchange with the primary before it goes away (large answer: UDP then TCP upstream)
        assertEquals(BIG_RECORDS, dig("big.it.example", "A", "+tcp").answer().size());

        control().stop(PRIMARY);
        try {
            for (int i = 0; i < 5; i++) {
                forwarder().flushCache();
                assertEquals("query " + i + " with the primary stopped", Set.of("\"" + SECONDARY + "\""),
                        dig("who.it.example", "TXT").data("TXT"));
            }
            UpstreamStatus primary = upstream(PRIMARY);
            assertNotEquals(primary.toString(), HealthState.UP, primary.state());
            assertTrue(primary.toString(), primary.failures() >= 1);
            assertFalse(primary.toString(), primary.reason().isBlank());
            assertEquals(upstream(SECONDARY).toString(), HealthState.UP, upstream(SECONDARY).state());
            // "Working, but with a fallback ... (for example a backup upstream)": HealthState.DEGRADED
            await("dns health DEGRADED while the backup upstream answers", CHANGE_MS,
                    () -> dnsHealth().map(h -> h.state() == HealthState.DEGRADED).orElse(false));

            SshResult status = asViewer("sitegate:dns-status");
            assertEquals(status.output(), 0, status.exit());
            assertContains(lineWith(status.output(), spec(PRIMARY)), upstream(PRIMARY).state().name());
            assertContains(lineWith(status.output(), spec(SECONDARY)), "UP");
        } finally {
            control().start(PRIMARY);
        }
        // after its retry pause the primary is asked again, answers, and is UP
        awaitAnsweredBy(PRIMARY, RECOVERY_MS);
        assertEquals(upstream(PRIMARY).toString(), HealthState.UP, upstream(PRIMARY).state());
        await("dns health UP again", CHANGE_MS, () -> dnsHealth().map(h -> h.state() == HealthState.UP).orElse(false));

        // TCP to the restarted primary works as well (a connection kept from before the restart is dead)
        long failures = upstream(PRIMARY).failures();
        forwarder().flushCache();
        Dig.Reply big = dig("big.it.example", "A", "+tcp");
        assertEquals(big.toString(), BIG_RECORDS, big.answer().size());
        assertEquals("the primary answered the large query over TCP: " + upstream(PRIMARY),
                HealthState.UP, upstream(PRIMARY).state());
        assertEquals("no failure for a stale connection: " + upstream(PRIMARY), failures, upstream(PRIMARY).failures());
    }

    // --- 6. DNS over TLS ---

    @Test
    public void dnsOverTlsUpstreamWithTheTestCaAnswers() throws Exception {
        // the first TLS handshake of the container JVM may be slow: more time than the other tests give
        configure("upstreams", spec(DOT), "tls.ca", System.getProperty(PROPS + ".ca"), "upstream.timeout", "3000");
        Dig.Reply who = dig("who.it.example", "TXT");
        assertEquals(who.toString(), Set.of("\"dot\""), who.data("TXT"));
        assertEquals(Set.of("192.0.2.10"), dig("www.it.example", "A").data("A"));
        Dig.Reply big = dig("big.it.example", "A", "+tcp");
        assertEquals(big.toString(), BIG_RECORDS, big.answer().size());
        UpstreamStatus dot = upstream(DOT);
        assertEquals(dot.toString(), HealthState.UP, dot.state());
        assertEquals(dot.toString(), 0, dot.failures());
        assertTrue(dot.toString(), dot.queries() >= 3);

        forwarder().flushCache();
        LookupResult viaApi = lookup("mail.it.example", "A");
        assertEquals(viaApi.toString(), "NOERROR", viaApi.rcode());
        assertTrue(viaApi.toString(), viaApi.answeredBy().contains(spec(DOT)));
    }

    @Test
    public void dnsOverTlsUpstreamWithAWrongCaOrNameIsUnhealthyAndSkipped() throws Exception {
        String untrusted = spec(DOT, DOT_OTHER_ADDRESS);
        String otherCa = System.getProperty(PROPS + ".otherCa");

        // a certificate from a CA that tls.ca does not hold: no answer from it
        configure("upstreams", untrusted, "tls.ca", otherCa);
        assertTlsRefused(untrusted);

        // ... and the next upstream answers instead
        configure("upstreams", untrusted + ", " + spec(SECONDARY), "tls.ca", otherCa);
        Dig.Reply who = dig("who.it.example", "TXT");
        assertEquals(who.toString(), Set.of("\"secondary\""), who.data("TXT"));
        assertNotEquals(upstream(untrusted).toString(), HealthState.UP, upstream(untrusted).state());

        // the JDK's CAs (tls.ca empty) do not know the test CA either
        configure("upstreams", untrusted, "tls.ca", "");
        assertTlsRefused(untrusted);

        // the right CA, but the certificate is not for the name the configuration expects
        String wrongName = "tls://" + DOT_OTHER_ADDRESS + ":" + port(DOT) + "#other.it.example";
        configure("upstreams", wrongName, "tls.ca", System.getProperty(PROPS + ".ca"));
        assertTlsRefused(wrongName);
    }

    private void assertTlsRefused(String spec) throws Exception {
        Dig.Reply r = dig("who.it.example", "TXT");
        assertEquals(spec + ": " + r, "SERVFAIL", r.status());
        UpstreamStatus u = upstream(spec);
        assertNotEquals(u.toString(), HealthState.UP, u.state());
        assertTrue(u.toString(), u.failures() >= 1);
        assertFalse(u.toString(), u.reason().isBlank());
    }

    // --- 7. conditional forwarding ---

    @Test
    public void conditionalForwardingSendsASuffixToItsOwnUpstream() throws Exception {
        configure("forward.sub.lab.example", spec(SECONDARY));
        assertEquals("only the lab upstream knows the name", "NXDOMAIN",
                digUpstream(PRIMARY, "printer.lab.example", "A").status());

        assertEquals(Set.of("10.30.0.9"), dig("printer.lab.example", "A").data("A"));
        assertEquals("letter case does not matter", Set.of("10.30.0.9"), dig("PRINTER.Lab.Example", "A").data("A"));
        assertEquals(Set.of("\"lab\""), dig("who.lab.example", "TXT").data("TXT"));
        assertEquals("the longest suffix wins", Set.of("\"secondary\""), dig("who.sub.lab.example", "TXT").data("TXT"));
        assertEquals("other names go to the public upstream", Set.of("\"primary\""), dig("who.it.example", "TXT").data("TXT"));
        assertEquals("a suffix matches whole labels only", Set.of("192.0.2.99"),
                dig("printer.notlab.example", "A").data("A"));

        UpstreamStatus lab = upstream(LAB);
        assertEquals(lab.toString(), "forward lab.example", lab.route());
        assertTrue(lab.toString(), lab.queries() >= 2); // the upper-case name came from the cache
        LookupResult viaApi = lookup("printer.lab.example", "A");
        assertEquals(viaApi.toString(), List.of("10.30.0.9"), viaApi.records().stream()
                .map(r -> r.trim().split("\\s+")).map(f -> f[f.length - 1]).toList());
    }

    // --- 8. private upstreams behind the tunnel ---

    @Test
    public void privateUpstreamsAreUsedOnlyWhileTheTunnelIsUp() throws Exception {
        configure("private.failClosed", "true");
        health.report(TUNNEL, HealthState.UP, "DnsIT");
        try {
            awaitAddress("intranet.corp.example", "10.20.0.80");
            assertEquals(Set.of("\"corp\""), dig("who.corp.example", "TXT").data("TXT"));
            UpstreamStatus corp = upstream(CORP);
            assertEquals(corp.toString(), HealthState.UP, corp.state());
            assertEquals(corp.toString(), "private", corp.route());

            // tunnel down, fail closed: no answer for private names, public names as before
            health.report(TUNNEL, HealthState.DOWN, "DnsIT: tunnel down");
            await("the private upstream DOWN with its tunnel", CHANGE_MS, () -> upstream(CORP).state() == HealthState.DOWN);
            forwarder().flushCache();
            Dig.Reply closed = dig("intranet.corp.example", "A");
            assertEquals(closed.toString(), "SERVFAIL", closed.status());
            assertEquals(Set.of("\"primary\""), dig("who.it.example", "TXT").data("TXT"));

            // tunnel down, fail open: the public upstreams answer private names (here with the public view)
            configure("private.failClosed", "false");
            await("the private upstream DOWN with its tunnel", CHANGE_MS, () -> upstream(CORP).state() == HealthState.DOWN);
            Dig.Reply open = dig("intranet.corp.example", "A");
            assertEquals(open.toString(), Set.of("198.51.100.80"), open.data("A"));

            // tunnel back: the private upstream again
            health.report(TUNNEL, HealthState.UP, "DnsIT: tunnel up");
            awaitAddress("intranet.corp.example", "10.20.0.80");
            assertEquals(HealthState.UP, upstream(CORP).state());
        } finally {
            health.withdraw(TUNNEL);
        }
    }

    // --- 9. DNS firewall ---

    @Test
    public void firewallRulesFromTheConfigurationBlockAllowAndCount() throws Exception {
        configure(); // deny ads.it.example and both.it.example, allow =good.ads.it.example and both.it.example
        assertEquals(FirewallMode.DENY_LIST, firewall().mode());
        long adsHits = rule("ads.it.example", false, DnsFirewall.SOURCE_CONFIG).hits();
        long goodHits = rule("=good.ads.it.example", true, DnsFirewall.SOURCE_CONFIG).hits();
        long blocked = forwarder().status().blocked();
        assertEquals(Set.of("192.0.2.66"), digUpstream(PRIMARY, "tracker.ads.it.example", "A").data("A"));

        for (String name : List.of("tracker.ads.it.example", "ads.it.example", "TRACKER.ADS.IT.EXAMPLE",
                "x.good.ads.it.example")) {
            Dig.Reply r = dig(name, "A");
            assertEquals(name + ": " + r, "NXDOMAIN", r.status());
            assertTrue(r.toString(), r.answer().isEmpty());
        }
        assertEquals("an exact allow inside a denied suffix", Set.of("192.0.2.67"), dig("good.ads.it.example", "A").data("A"));
        assertEquals("allow wins over deny for the same pattern", Set.of("192.0.2.69"), dig("both.it.example", "A").data("A"));
        assertEquals("a suffix matches whole labels only", Set.of("192.0.2.68"), dig("notads.it.example", "A").data("A"));
        assertEquals(Set.of("192.0.2.10"), dig("www.it.example", "A").data("A"));

        assertEquals(adsHits + 4, rule("ads.it.example", false, DnsFirewall.SOURCE_CONFIG).hits());
        assertEquals(blocked + 4, forwarder().status().blocked());
        forwarder().flushCache(); // so that the rule itself answers, not the cached block
        LookupResult viaApi = lookup("tracker.ads.it.example", "A");
        assertEquals(viaApi.toString(), "NXDOMAIN", viaApi.rcode());
        assertTrue(viaApi.toString(), viaApi.answeredBy().startsWith("firewall"));
        assertTrue(viaApi.toString(), viaApi.answeredBy().contains("ads.it.example"));
        long hits = rule("ads.it.example", false, DnsFirewall.SOURCE_CONFIG).hits();

        SshResult list = asViewer("sitegate:dns-block-list");
        assertEquals(list.output(), 0, list.exit());
        List<String> row = row(list.output(), "ads.it.example");
        assertTrue(list.output(), row.contains("deny") && row.contains("config"));
        assertEquals("hits of deny ads.it.example in\n" + list.output(), String.valueOf(hits), row.get(row.size() - 1));
        assertContains(list.output(), "=good.ads.it.example", "both.it.example");

        FirewallVerdict denied = firewall().check("deep.tracker.ads.it.example");
        assertFalse(denied.toString(), denied.allowed());
        assertEquals(denied.toString(), "ads.it.example", denied.rule().orElseThrow().pattern());
        assertTrue(firewall().check("good.ads.it.example").allowed());
        assertTrue(firewall().check("www.it.example").allowed());
        assertEquals(Optional.empty(), firewall().check("www.it.example").rule());

        // FirewallRule.hits: "queries this rule decided" - an allow rule decides too
        assertEquals("hits of the allow rule that let good.ads.it.example through",
                goodHits + 1, rule("=good.ads.it.example", true, DnsFirewall.SOURCE_CONFIG).hits());
    }

    @Test
    public void allowOnlyModeResolvesOnlyTheListedNames() throws Exception {
        configure("firewall.mode", "allowOnly", "firewall.allow", "www.it.example, =txt.it.example", "firewall.deny", "");
        assertEquals(FirewallMode.ALLOW_ONLY, firewall().mode());
        assertEquals(Set.of("192.0.2.10"), dig("www.it.example", "A").data("A"));
        assertEquals(Set.of("2001:db8::10"), dig("www.it.example", "AAAA").data("AAAA"));
        assertEquals(2, dig("txt.it.example", "TXT").answer().size());
        for (String[] q : List.of(new String[] {"mail.it.example", "A"}, new String[] {"it.example", "MX"},
                new String[] {"who.it.example", "TXT"}, new String[] {"printer.lab.example", "A"})) {
            assertEquals("NOERROR", digUpstream(q[0].endsWith("lab.example") ? LAB : PRIMARY, q[0], q[1]).status());
            Dig.Reply r = dig(q[0], q[1]);
            assertEquals(q[0] + " " + q[1] + ": " + r, "NXDOMAIN", r.status());
            assertTrue(r.toString(), r.answer().isEmpty());
        }
        FirewallVerdict v = firewall().check("mail.it.example");
        assertFalse(v.toString(), v.allowed());
        assertEquals("no rule: the mode decided", Optional.empty(), v.rule());
        SshResult list = asViewer("sitegate:dns-block-list");
        assertEquals(list.output(), 0, list.exit());
        assertContains(list.output(), "www.it.example", "=txt.it.example");
    }

    @Test
    public void denyAndAllowFromTheShellTakeEffectAtOnce() throws Exception {
        configure();
        String shop = "shop.it.example";
        try {
            assertEquals(Set.of("192.0.2.70"), dig(shop, "A").data("A")); // now in the cache

            // a viewer may not change the rules
            asViewer("sitegate:dns-deny " + shop);
            assertTrue(firewall().rules().toString(), operatorRules().isEmpty());
            assertEquals(Set.of("192.0.2.70"), dig(shop, "A").data("A"));

            SshResult deny = asAdmin("sitegate:dns-deny " + shop);
            assertEquals(deny.output(), 0, deny.exit());
            // at once, although the answer is cached
            assertEquals("NXDOMAIN", dig(shop, "A").status());
            assertEquals("NXDOMAIN", dig(shop, "AAAA").status());
            assertEquals(operatorRules().toString(), 1, operatorRules().size());
            SshResult list = asViewer("sitegate:dns-block-list");
            List<String> row = row(list.output(), shop);
            assertTrue(list.output(), row.contains("operator") && row.contains("deny"));

            SshResult allow = asAdmin("sitegate:dns-allow \"=" + shop + "\"");
            assertEquals(allow.output(), 0, allow.exit());
            assertEquals("the exact allow beats the suffix deny", Set.of("192.0.2.70"), dig(shop, "A").data("A"));

            SshResult removeAllow = asAdmin("sitegate:dns-allow --remove \"=" + shop + "\"");
            assertEquals(removeAllow.output(), 0, removeAllow.exit());
            assertEquals("NXDOMAIN", dig(shop, "A").status());

            SshResult removeDeny = asAdmin("sitegate:dns-deny --remove " + shop);
            assertEquals(removeDeny.output(), 0, removeDeny.exit());
            assertEquals(Set.of("192.0.2.70"), dig(shop, "A").data("A"));
            assertTrue(firewall().rules().toString(), operatorRules().isEmpty());

            // a pattern that is not a domain name is refused, and nothing changes
            SshResult bad = asAdmin("sitegate:dns-deny bad..it.example");
            assertContains(bad.output(), "bad..it.example");
            assertTrue(firewall().rules().toString(), operatorRules().isEmpty());
        } finally {
            for (FirewallRule r : operatorRules()) {
                firewall().removeOperatorRule(r.pattern());
            }
        }
    }

    @Test
    public void blockedNamesGetTheConfiguredAnswer() throws Exception {
        configure("firewall.answer", "sinkhole");
        assertEquals(Set.of("0.0.0.0"), dig("tracker.ads.it.example", "A").data("A"));
        assertEquals("NOERROR", dig("tracker.ads.it.example", "A").status());
        assertEquals(Set.of("::"), dig("tracker.ads.it.example", "AAAA").data("AAAA"));
        Dig.Reply mx = dig("tracker.ads.it.example", "MX");
        assertEquals(mx.toString(), "NOERROR", mx.status());
        assertTrue("other types get no data: " + mx, mx.answer().isEmpty());

        configure("firewall.answer", "sinkhole", "firewall.sinkhole4", "192.0.2.250", "firewall.sinkhole6", "2001:db8::250");
        assertEquals(Set.of("192.0.2.250"), dig("tracker.ads.it.example", "A").data("A"));
        assertEquals(Set.of("2001:db8::250"), dig("tracker.ads.it.example", "AAAA").data("AAAA"));

        configure("firewall.answer", "refused");
        assertEquals("REFUSED", dig("tracker.ads.it.example", "A").status());
        assertEquals(Set.of("192.0.2.10"), dig("www.it.example", "A").data("A"));
    }

    // --- 10. a refused configuration ---

    @Test
    public void aRefusedConfigurationLeavesThePreviousOneInForce() throws Exception {
        configure();
        assertEquals(Set.of("\"primary\""), dig("who.it.example", "TXT").data("TXT"));
        Map<String, Object> bad = new TreeMap<>(bootConfiguration());
        bad.put("upstreams", "udp://not-an-address:53, " + spec(SECONDARY));
        try {
            update(bad);
            await("sitegate:status names the refused property", CHANGE_MS, () -> {
                try {
                    return asViewer("sitegate:status").output().contains("not-an-address");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertContains(asViewer("sitegate:status").output(), "upstreams");
            forwarder().flushCache();
            assertEquals("still the previous upstream", Set.of("\"primary\""), dig("who.it.example", "TXT").data("TXT"));
            assertTrue(forwarder().status().upstreams().stream().noneMatch(u -> u.spec().equals(spec(SECONDARY))));
        } finally {
            configure();
        }
        assertEquals(Set.of("\"primary\""), dig("who.it.example", "TXT").data("TXT"));
    }

    // --- helpers: configuration ---

    /**
     * Puts the boot configuration plus these keys and values in force through ConfigurationAdmin, waits until
     * the forwarder runs with it (a marker property reaches its service registration, its listeners are bound
     * and its upstreams are the configured ones), and empties the cache.
     */
    private void configure(String... keysAndValues) throws Exception {
        Map<String, Object> props = new TreeMap<>(bootConfiguration());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        if (!props.equals(inForce)) { // fewer changes, fewer container reconfigurations
            long mark = ledger.mark();
            update(props);
            ConfigLedger.Outcome o = ledger.await(PID, ConfigSection.normalise(props), mark, Duration.ofMillis(CHANGE_MS));
            assertEquals("configuration in force (" + ledger.refusal(PID) + ")", ConfigLedger.Outcome.IN_FORCE, o);
            inForce = props;
        }
        List<String> specs = new ArrayList<>();
        for (String key : List.of("upstreams", "private.upstreams")) {
            specs.addAll(specs(String.valueOf(props.getOrDefault(key, ""))));
        }
        props.forEach((k, v) -> {
            if (k.startsWith("forward.") && !"private".equals(v)) {
                specs.addAll(specs(String.valueOf(v)));
            }
        });
        try {
            await("the forwarder listening with the upstreams " + specs, CHANGE_MS, () -> {
                ForwarderStatus s = forwarderOrNull() == null ? null : forwarderOrNull().status();
                return s != null && !s.listeners().isEmpty() && s.listeners().stream().allMatch(ListenerStatus::bound)
                        && s.upstreams().stream().map(UpstreamStatus::spec).collect(Collectors.toSet()).containsAll(specs);
            });
        } catch (AssertionError e) {
            DnsForwarder f = forwarderOrNull();
            throw new AssertionError(e.getMessage() + "; listeners " + (f == null ? "-" : f.status().listeners())
                    + "; upstreams " + (f == null ? "-" : f.status().upstreams()) + "\n"
                    + sockets(Integer.getInteger(PROPS + ".port")));
        }
        forwarder().flushCache();
    }

    /** Hands these properties to ConfigurationAdmin. */
    private void update(Map<String, Object> props) throws IOException {
        inForce = null;
        configAdmin.getConfiguration(PID, null).update(new Hashtable<>(props));
    }

    /** The configuration the container booted with (the shipped file and this class's keys). */
    private synchronized Map<String, Object> bootConfiguration() throws IOException {
        if (bootConfiguration == null) {
            Dictionary<String, Object> d = configAdmin.getConfiguration(PID, null).getProperties();
            assertTrue("etc/io.sitegate.dns.cfg loaded", d != null);
            Map<String, Object> m = new TreeMap<>();
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                if (!k.equals("service.pid")) {
                    m.put(k, d.get(k));
                }
            }
            bootConfiguration = Collections.unmodifiableMap(m);
            inForce = bootConfiguration;
        }
        return bootConfiguration;
    }

    /** What {@code ss} shows of the TCP and UDP sockets on this port: a diagnostic for failures. */
    static String sockets(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-tulnp", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(ss failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static List<String> specs(String list) {
        return List.of(list.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    // --- helpers: services ---

    private DnsForwarder forwarderOrNull() {
        ServiceReference<DnsForwarder> ref = context.getServiceReference(DnsForwarder.class);
        return ref == null ? null : context.getService(ref);
    }

    private DnsForwarder forwarder() throws InterruptedException {
        await("the DnsForwarder service", CHANGE_MS, () -> forwarderOrNull() != null);
        return forwarderOrNull();
    }

    private DnsFirewall firewall() {
        ServiceReference<DnsFirewall> ref = context.getServiceReference(DnsFirewall.class);
        if (ref == null || context.getService(ref) == null) {
            throw new AssertionError("no DnsFirewall service");
        }
        return context.getService(ref);
    }

    private Optional<Health> dnsHealth() {
        return health.get("dns");
    }

    private LookupResult lookup(String name, String type) throws Exception {
        return forwarder().lookup(name, type, LOOKUP_TIMEOUT).toCompletableFuture()
                .get(LOOKUP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private UpstreamStatus upstream(String nameOrSpec) {
        String spec = ADDRESSES.containsKey(nameOrSpec) ? spec(nameOrSpec) : nameOrSpec;
        DnsForwarder f = forwarderOrNull();
        if (f == null) {
            throw new AssertionError("no DnsForwarder service");
        }
        List<UpstreamStatus> all = f.status().upstreams();
        return all.stream().filter(u -> u.spec().equals(spec)).findFirst()
                .orElseThrow(() -> new AssertionError("no upstream " + spec + " in " + all));
    }

    private FirewallRule rule(String pattern, boolean allow, String source) {
        List<FirewallRule> rules = firewall().rules();
        return rules.stream().filter(r -> r.pattern().equals(pattern) && r.allow() == allow && r.source().equals(source))
                .findFirst().orElseThrow(() -> new AssertionError("no rule " + pattern + " in " + rules));
    }

    private List<FirewallRule> operatorRules() {
        return firewall().rules().stream().filter(r -> r.source().equals(DnsFirewall.SOURCE_OPERATOR)).toList();
    }

    // --- helpers: DNS ---

    private static Dig.Reply dig(String name, String type, String... options) {
        return Dig.query("127.0.0.1", Integer.getInteger(PROPS + ".port"), name, type, options);
    }

    private static Dig.Reply digUpstream(String upstream, String name, String type, String... options) {
        return Dig.query(ADDRESSES.get(upstream), port(upstream), name, type, options);
    }

    private static int port(String upstream) {
        return Integer.getInteger(PROPS + "." + upstream + ".port");
    }

    /** An upstream as the configuration names it. */
    private static String spec(String upstream) {
        return spec(upstream, ADDRESSES.get(upstream));
    }

    private static String spec(String upstream, String address) {
        return upstream.equals(DOT) ? "tls://" + address + ":" + port(upstream) + "#" + DOT_NAME
                : "udp://" + address + ":" + port(upstream);
    }

    private static DnsUpstream.Control control() {
        return new DnsUpstream.Control(Integer.getInteger(PROPS + ".control"));
    }

    /** Asks (cache emptied each time) until {@code who.it.example} comes from this upstream and it is UP. */
    private void awaitAnsweredBy(String upstream, long timeoutMs) throws InterruptedException {
        Set<String> expected = Set.of("\"" + upstream + "\"");
        List<String> seen = new ArrayList<>();
        try {
            await("who.it.example from " + upstream, timeoutMs, () -> {
                forwarderOrNull().flushCache();
                Dig.Reply r = dig("who.it.example", "TXT");
                seen.add(r.status() + r.data("TXT"));
                if (!r.data("TXT").equals(expected) || upstream(upstream).state() != HealthState.UP) {
                    SimulatedModems.sleep(250);
                    return false;
                }
                return true;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; answers " + seen.subList(Math.max(0, seen.size() - 5), seen.size())
                    + "; " + upstream(upstream));
        }
    }

    /** Asks (cache emptied each time) until the name resolves to this address. */
    private void awaitAddress(String name, String address) throws InterruptedException {
        Supplier<Dig.Reply> ask = () -> {
            forwarderOrNull().flushCache();
            return dig(name, "A");
        };
        List<Dig.Reply> last = new ArrayList<>(List.of(ask.get()));
        try {
            await(name + " -> " + address, CHANGE_MS, () -> {
                if (last.get(0).data("A").equals(Set.of(address))) {
                    return true;
                }
                SimulatedModems.sleep(200);
                last.set(0, ask.get());
                return false;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last " + last.get(0));
        }
    }

    // --- helpers: shell output ---

    private static void assertContains(String text, String... expected) {
        for (String e : expected) {
            assertTrue("'" + e + "' in\n" + text, text.contains(e));
        }
    }

    /** The line of a shell output that contains this text. */
    private static String lineWith(String output, String text) {
        return output.lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in\n" + output));
    }

    /** The cells of the table row whose one cell is exactly {@code cell}. */
    private static List<String> row(String output, String cell) {
        for (String line : output.lines().toList()) {
            List<String> cells = List.of(line.split("\\|")).stream().map(String::trim).toList();
            if (cells.contains(cell)) {
                return cells;
            }
        }
        fail("no row with the cell '" + cell + "' in\n" + output);
        return List.of();
    }
}
