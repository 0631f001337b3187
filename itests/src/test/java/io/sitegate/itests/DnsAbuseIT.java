package io.sitegate.itests;

import static io.sitegate.itests.FakeUpstream.SPOOFED;
import static io.sitegate.itests.FakeUpstream.answering;
import static io.sitegate.itests.FakeUpstream.fromOtherPort;
import static io.sitegate.itests.FakeUpstream.reply;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.dns.DnsForwarder;
import io.sitegate.dns.ListenerStatus;
import io.sitegate.dns.LookupResult;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

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
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS forwarder (issue 6) in the built distribution under hostile input: forged upstream replies,
 * malformed client packets, stalled and pipelined TCP, thousands of mutated packets, and a client over
 * its rate limit. The upstreams are {@link FakeUpstream}s on 127.0.0.2-6 that each test scripts; the
 * client is this test, speaking raw UDP and TCP to the forwarder on 127.0.0.1.
 *
 * <p>Routes: names under {@code ok.test} (and anything else) go to the well-behaved upstream on
 * 127.0.0.2; {@code spoof.test} to 127.0.0.3 (forged replies, then the real one); {@code forged1.test},
 * {@code forged2.test} and {@code silent.test} each to an upstream of their own (127.0.0.4-6) that never
 * answers correctly, so that upstream's failing health cannot leak into the other cases.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnsAbuseIT extends SitegateTestSupport {

    private static final String PROPERTY = "sitegate.it.dnsabuse.";
    private static final String PID_FILE = "io.sitegate.dns.cfg";
    private static final String CLIENT = "127.0.0.1";
    private static final String OTHER_CLIENT = "127.0.0.9";
    private static final String MAIN = "127.0.0.2";
    private static final String SPOOF = "127.0.0.3";
    private static final Map<String, String> DEAD_ENDS = Map.of("forged1.test", "127.0.0.4", "forged2.test", "127.0.0.5",
            "silent.test", "127.0.0.6");
    private static final int IDLE_MS = 1000;
    /** Longer than the idle timeout: a TCP client can have a query outstanding for longer than that. */
    private static final int UPSTREAM_TIMEOUT_MS = 2500;
    private static final long BOOT_MS = 90_000;
    /** The fuzz test's seed: change it to explore, quote it when a run fails. */
    private static final long FUZZ_SEED = 0x5173_6a7e_d0e5L;

    private static Option[] options;

    @Inject
    BundleContext context;

    /*
     * The fake upstreams live as long as the container (each test resets their scripts): rebinding their
     * port for every test gives other programs on this machine a chance to take it in between.
     */
    private static FakeUpstream main;
    private static FakeUpstream spoof;
    private static final List<FakeUpstream> deadEnds = new ArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    @Configuration
    public static synchronized Option[] config() throws IOException {
        if (options == null) {
            int dnsPort = freePort(CLIENT, OTHER_CLIENT);
            List<String> upstreamHosts = new ArrayList<>(List.of(MAIN, SPOOF));
            upstreamHosts.addAll(DEAD_ENDS.values());
            int upstreamPort = freePort(upstreamHosts.toArray(String[]::new));
            String cfg = "etc/" + PID_FILE;
            List<Option> o = new ArrayList<>(List.of(
                    editConfigurationFilePut(cfg, "listen", CLIENT + ":" + dnsPort),
                    editConfigurationFilePut(cfg, "upstreams", "udp://" + MAIN + ":" + upstreamPort),
                    editConfigurationFilePut(cfg, "forward.spoof.test", "udp://" + SPOOF + ":" + upstreamPort),
                    editConfigurationFilePut(cfg, "upstream.timeout", String.valueOf(UPSTREAM_TIMEOUT_MS)),
                    editConfigurationFilePut(cfg, "tcp.idleTimeout", String.valueOf(IDLE_MS)),
                    // off at boot: the fuzz must reach the parser, not the limiter; rateLimit... turns it on
                    editConfigurationFilePut(cfg, "rateLimit.qps", "0"),
                    editConfigurationFilePut(cfg, "rateLimit.burst", "0"),
                    systemProperty(PROPERTY + "port").value(String.valueOf(dnsPort)),
                    systemProperty(PROPERTY + "upstreamPort").value(String.valueOf(upstreamPort))));
            DEAD_ENDS.forEach((suffix, host) ->
                    o.add(editConfigurationFilePut(cfg, "forward." + suffix, "udp://" + host + ":" + upstreamPort)));
            options = distribution(o.toArray(Option[]::new));
        }
        return options.clone();
    }

    /**
     * A port free for UDP and TCP on each of these loopback addresses, below Linux's ephemeral range
     * (32768-60999): the container binds it long after this choice, and a port handed out for "port 0"
     * (other tests, Pax Exam's RMI, the forwarder's own upstream sockets) could have taken it meanwhile.
     */
    private static int freePort(String... hosts) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            if (freeEverywhere(port, hosts)) {
                return port;
            }
        }
        throw new IOException("no port free on " + Arrays.toString(hosts));
    }

    private static boolean freeEverywhere(int port, String... hosts) {
        for (String h : hosts) {
            try (ServerSocket t = new ServerSocket(port, 1, InetAddress.getByName(h));
                 DatagramSocket u = new DatagramSocket(new InetSocketAddress(h, port))) {
                // both bind
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Before
    public void startUpstreamsAndAwaitTheForwarder() throws Exception {
        startOrResetUpstreams();
        await("the forwarder service with its listeners bound", BOOT_MS, () -> {
            DnsForwarder f = forwarderOrNull();
            return f != null && !f.status().listeners().isEmpty()
                    && f.status().listeners().stream().allMatch(ListenerStatus::bound);
        });
        awaitServed(CLIENT, "the forwarder answering through the upstream", BOOT_MS);
    }

    private static synchronized void startOrResetUpstreams() throws IOException {
        if (main == null) {
            int port = Integer.getInteger(PROPERTY + "upstreamPort");
            main = FakeUpstream.start(MAIN, port);
            spoof = FakeUpstream.start(SPOOF, port);
            for (String host : DEAD_ENDS.values()) {
                deadEnds.add(FakeUpstream.start(host, port));
            }
        }
        main.reset();
        spoof.reset();
        for (FakeUpstream u : deadEnds) {
            u.reset();
            u.otherwise(FakeUpstream.silent());
        }
    }

    // --- 1. forged upstream replies ---

    /** One forged-reply case: what the upstream sends, and whether the real answer follows. */
    private record Forgery(String label, FakeUpstream.Responder responder, boolean realAnswerFollows) {
    }

    @Test
    public void forgedUpstreamRepliesAreDroppedAndNeitherReachTheClientNorTheCache() throws Exception {
        String real = "192.0.2.10";
        List<Forgery> cases = List.of(
                new Forgery("wrong-id", q -> List.of(reply(FakeUpstream.spoofWrongId(q)), real(q, real)), true),
                new Forgery("wrong-name", q -> List.of(reply(FakeUpstream.spoofWrongName(q)), real(q, real)), true),
                new Forgery("wrong-type", q -> List.of(reply(FakeUpstream.spoofWrongType(q)), real(q, real)), true),
                new Forgery("wrong-class", q -> List.of(reply(FakeUpstream.spoofWrongClass(q)), real(q, real)), true),
                new Forgery("qr-clear", q -> List.of(reply(FakeUpstream.spoofNotAResponse(q)), real(q, real)), true),
                new Forgery("other-port", q -> List.of(fromOtherPort(FakeUpstream.spoofPerfect(q)), real(q, real)), true),
                new Forgery("all-then-real", q -> {
                    List<FakeUpstream.Reply> r = new ArrayList<>(allForgeries(q));
                    r.add(real(q, real));
                    return r;
                }, true),
                new Forgery("only-wrong-id", q -> List.of(reply(FakeUpstream.spoofWrongId(q))), false),
                new Forgery("only-forgeries", q -> allForgeries(q), false),
                new Forgery("nothing", FakeUpstream.silent(), false));
        Map<String, String> zoneOf = Map.of("only-wrong-id", "forged1.test", "only-forgeries", "forged2.test", "nothing", "silent.test");
        List<String> failures = new ArrayList<>();
        for (Forgery c : cases) {
            String zone = zoneOf.getOrDefault(c.label(), "spoof.test");
            String name = c.label() + "-" + names.incrementAndGet() + "." + zone;
            FakeUpstream upstream = zone.equals("spoof.test") ? spoof : deadEnd(zone);
            upstream.on(name, c.responder());
            Message answer = udp(CLIENT, query(name, Type.A, false), 8000);
            String got = answer == null ? "no answer" : Rcode.string(answer.getRcode()) + " " + addresses(answer);
            if (upstream.received(name).isEmpty()) {
                failures.add(c.label() + ": the upstream never saw the query (got " + got + ")");
                continue;
            }
            if (answer == null) {
                failures.add(c.label() + ": no answer at all within 8 s, expected " + (c.realAnswerFollows() ? real : "SERVFAIL"));
                continue;
            }
            if (addresses(answer).contains(SPOOFED)) {
                failures.add(c.label() + ": the client got the forged data: " + answer);
                continue;
            }
            if (c.realAnswerFollows() && !(answer.getRcode() == Rcode.NOERROR && addresses(answer).equals(Set.of(real)))) {
                failures.add(c.label() + ": expected NOERROR " + real + ", got " + got);
            } else if (!c.realAnswerFollows() && answer.getRcode() != Rcode.SERVFAIL) {
                failures.add(c.label() + ": expected SERVFAIL, got " + got);
            }

            // the same name again, now answered honestly with another address: the cache holds no forgery
            String later = "192.0.2.20";
            upstream.on(name, answering(later));
            Message again = udp(CLIENT, query(name, Type.A, false), 8000);
            if (again == null || addresses(again).contains(SPOOFED)) {
                failures.add(c.label() + ": the second query got " + again);
            } else if (c.realAnswerFollows() && !(again.getRcode() == Rcode.NOERROR
                    && (addresses(again).equals(Set.of(real)) || addresses(again).equals(Set.of(later))))) {
                failures.add(c.label() + ": the second query expected " + real + " (cached) or " + later + ", got " + again);
            }
            // the forged name in the wrong-name forgery is not cached either
            if (c.label().equals("wrong-name") || c.label().equals("all-then-real")) {
                String forgedName = "spoofed-" + name;
                upstream.on(forgedName, answering(later));
                Message other = udp(CLIENT, query(forgedName, Type.A, false), 8000);
                if (other == null || addresses(other).contains(SPOOFED)) {
                    failures.add(c.label() + ": " + forgedName + " (only named by a forged reply) got " + other);
                }
            }
            LookupResult lookup = forwarder().lookup(name, "A", Duration.ofSeconds(8)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (lookup.records().stream().anyMatch(r -> r.contains(SPOOFED))) {
                failures.add(c.label() + ": DnsForwarder.lookup shows the forgery: " + lookup);
            }
        }
        assertTrue("forged replies: " + String.join("\n  ", failures) + "\nforwarder: " + forwarder().status(), failures.isEmpty());
        // the forgeries did not make the well-behaved route unusable
        assertServed(CLIENT);
    }

    /**
     * A reply that matches the question but carries records for other names (in the answer and additional
     * sections, or at the end of a CNAME chain) from an upstream that serves only spoof.test: those records
     * must not be cached for the names they claim, so that a conditional-forwarding upstream cannot answer
     * for names outside its suffix.
     */
    @Test
    public void recordsForOtherNamesInAnUpstreamAnswerAreNeitherPassedOnForThoseNamesNorCached() throws Exception {
        int n = names.incrementAndGet();
        String qname = "bailiwick-" + n + ".spoof.test";
        String inAnswer = "victim-answer-" + n + ".ok.test";
        String inAdditional = "victim-additional-" + n + ".ok.test";
        spoof.on(qname, q -> {
            Message m = FakeUpstream.correct(q, "192.0.2.10");
            InetAddress evil = InetAddress.getByName(SPOOFED);
            m.addRecord(new ARecord(Name.fromString(inAnswer + "."), DClass.IN, FakeUpstream.TTL, evil), Section.ANSWER);
            m.addRecord(new ARecord(Name.fromString(inAdditional + "."), DClass.IN, FakeUpstream.TTL, evil), Section.ADDITIONAL);
            return List.of(reply(m));
        });
        Message a = udp(CLIENT, query(qname, Type.A, true), 8000);
        assertNotNull("no answer for " + qname, a);
        assertEquals(a.toString(), Set.of("192.0.2.10"), addresses(a));
        assertFalse("records for other names passed on: " + a, a.toString().contains(SPOOFED));

        String chained = "bailiwick-cname-" + n + ".spoof.test";
        String target = "victim-target-" + n + ".ok.test";
        spoof.on(chained, q -> {
            Message m = FakeUpstream.rcode(q, Rcode.NOERROR);
            Name owner = q.getQuestion().getName();
            m.addRecord(new CNAMERecord(owner, DClass.IN, FakeUpstream.TTL, Name.fromString(target + ".")),
                    Section.ANSWER);
            m.addRecord(new ARecord(Name.fromString(target + "."), DClass.IN, FakeUpstream.TTL, InetAddress.getByName(SPOOFED)),
                    Section.ANSWER);
            return List.of(reply(m));
        });
        Message c = udp(CLIENT, query(chained, Type.A, false), 8000);
        assertNotNull("no answer for " + chained, c);
        assertEquals(c.toString(), Rcode.NOERROR, c.getRcode());

        // asked directly, each of those names is resolved through its own route (ok.test: 192.0.2.1)
        for (String victim : List.of(inAnswer, inAdditional, target)) {
            Message v = udp(CLIENT, query(victim, Type.A, false), 8000);
            assertNotNull("no answer for " + victim, v);
            assertEquals(victim + " answered from what another upstream said about it: " + v, Set.of("192.0.2.1"), addresses(v));
            assertFalse("the upstream for ok.test was not asked for " + victim + ": " + v, main.received(victim).isEmpty());
        }
    }

    @Test
    public void upstreamQueriesUseRandomIdsAndSourcePortsAndAdvertiseEdns1232() throws Exception {
        main.clearReceived();
        List<Integer> clientIds = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = unique("rand");
            Message q = query(name, i % 5 == 0 ? Type.AAAA : Type.A, i % 2 == 0);
            q.getHeader().setID(1000 + i);
            clientIds.add(1000 + i);
            asked.add(name);
            Message a = udp(CLIENT, q, 5000);
            assertNotNull("no answer for " + name, a);
            assertEquals(a.toString(), Rcode.NOERROR, a.getRcode());
        }
        List<FakeUpstream.Received> upstreamQueries = new ArrayList<>();
        for (String name : asked) {
            List<FakeUpstream.Received> r = main.received(name);
            assertFalse("the upstream never saw " + name, r.isEmpty());
            upstreamQueries.add(r.get(0));
        }
        List<Integer> ids = upstreamQueries.stream().map(FakeUpstream.Received::id).toList();
        List<Integer> ports = upstreamQueries.stream().map(r -> r.from().getPort()).toList();
        String seen = "upstream ids " + ids + ", source ports " + ports;
        assertTrue("ids not random: " + seen, new HashSet<>(ids).size() >= 45);
        assertTrue("ids copied from the clients': " + seen, ids.stream().filter(clientIds::contains).count() <= 2);
        assertTrue("ids count up: " + seen, steps(ids) <= 3);
        // The queries go out on a few pooled sockets (UdpExchanger: 8 per upstream, kernel-random ports), each
        // retired after 256 queries or 2 s: spread ports, and none of them still in use a little later.
        assertTrue("source ports not spread: " + seen, new HashSet<>(ports).size() >= 4);
        assertTrue("source ports count up: " + seen, steps(new ArrayList<>(new java.util.LinkedHashSet<>(ports))) <= 2);
        Thread.sleep(2_500);
        main.clearReceived();
        List<Integer> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = unique("later");
            assertNotNull("no answer for " + name, udp(CLIENT, query(name, Type.A, false), 5000));
            later.add(main.received(name).get(0).from().getPort());
        }
        List<Integer> reused = later.stream().filter(ports::contains).toList();
        assertTrue("sockets older than 2 s still used: " + reused + " of " + later + " after " + ports, reused.isEmpty());
        for (FakeUpstream.Received r : upstreamQueries) {
            assertNotNull("did not parse: " + r, r.query());
            OPTRecord opt = r.query().getOPT();
            assertNotNull("no EDNS0 upstream: " + r.query(), opt);
            assertEquals("EDNS0 payload upstream: " + r.query(), 1232, opt.getPayloadSize());
            assertEquals("EDNS version: " + r.query(), 0, opt.getVersion());
        }
    }

    // --- 2. malformed packets ---

    private enum Expect { DROPPED, FORMERR, NOTIMP, BADVERS }

    private record Malformed(String what, byte[] packet, Expect expect) {
    }

    @Test
    public void malformedPacketsGetFormerrOrNotimpOrAreDroppedAndTheForwarderKeepsServing() throws Exception {
        byte[] question = concat(name("www", "ok", "test"), bytes(0, 1, 0, 1));
        byte[] a63 = "a".repeat(63).getBytes(StandardCharsets.US_ASCII);
        List<Malformed> cases = List.of(
                new Malformed("empty datagram", new byte[0], Expect.DROPPED),
                new Malformed("5-byte header", bytes(0x12, 0x34, 0x01, 0x00, 0x00), Expect.DROPPED),
                new Malformed("11-byte header", Arrays.copyOf(header(0x1234, 0x0100, 1, 0, 0, 0), 11), Expect.DROPPED),
                new Malformed("compression pointer to itself", concat(header(0x2001, 0x0100, 1, 0, 0, 0),
                        bytes(0xC0, 0x0C, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("compression loop through a label", concat(header(0x2002, 0x0100, 1, 0, 0, 0),
                        bytes(1, 'a', 0xC0, 0x0C, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("compression pointer past the end", concat(header(0x2003, 0x0100, 1, 0, 0, 0),
                        bytes(0xC1, 0xFF, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("label length 64", concat(header(0x2004, 0x0100, 1, 0, 0, 0), bytes(64),
                        "a".repeat(64).getBytes(StandardCharsets.US_ASCII), bytes(0, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("reserved label type 0x80", concat(header(0x2005, 0x0100, 1, 0, 0, 0),
                        bytes(0x80 | 3, 'a', 'b', 'c', 0, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("name of 268 octets", concat(header(0x2006, 0x0100, 1, 0, 0, 0),
                        bytes(63), a63, bytes(63), a63, bytes(63), a63, bytes(63), a63,
                        bytes(10), "b".repeat(10).getBytes(StandardCharsets.US_ASCII), bytes(0, 0, 1, 0, 1)), Expect.FORMERR),
                new Malformed("qdcount 0", header(0x2007, 0x0100, 0, 0, 0, 0), Expect.FORMERR),
                new Malformed("qdcount 2", concat(header(0x2008, 0x0100, 2, 0, 0, 0), question,
                        concat(name("mail", "ok", "test"), bytes(0, 1, 0, 1))), Expect.FORMERR),
                new Malformed("qdcount 1, no question", header(0x2009, 0x0100, 1, 0, 0, 0), Expect.FORMERR),
                new Malformed("question without type and class", concat(header(0x200A, 0x0100, 1, 0, 0, 0),
                        name("www", "ok", "test")), Expect.FORMERR),
                new Malformed("unknown class 0x1234", concat(header(0x200B, 0x0100, 1, 0, 0, 0),
                        name("www", "ok", "test"), bytes(0, 1, 0x12, 0x34)), Expect.FORMERR),
                // answering a response invites two servers to bounce packets at each other: drop it
                new Malformed("a response (QR set)", concat(header(0x200C, 0x8180, 1, 0, 0, 0), question), Expect.DROPPED),
                new Malformed("opcode STATUS (2)", concat(header(0x200D, (2 << 11) | 0x0100, 1, 0, 0, 0), question), Expect.NOTIMP),
                new Malformed("opcode UPDATE (5)", concat(header(0x200E, 5 << 11, 1, 0, 0, 0), question), Expect.NOTIMP),
                new Malformed("unassigned opcode 15", concat(header(0x200F, (15 << 11) | 0x0100, 1, 0, 0, 0), question), Expect.NOTIMP),
                // RFC 6891 6.1.3: an EDNS version the server does not implement gets BADVERS (extended rcode 16)
                new Malformed("EDNS version 1", concat(header(0x2010, 0x0100, 1, 0, 0, 1), question,
                        bytes(0, 0, 41, 0x04, 0xD0, 0, 1, 0, 0, 0, 0)), Expect.BADVERS));
        long malformedBefore = forwarder().status().malformed();
        List<String> failures = new ArrayList<>();
        int formerrOrShort = 0;
        for (Malformed c : cases) {
            byte[] reply;
            try (DatagramSocket s = clientSocket(CLIENT)) {
                reply = exchange(s, c.packet(), -1, c.expect() == Expect.DROPPED ? 1500 : 3000);
            }
            String got = describe(reply);
            switch (c.expect()) {
                case DROPPED -> {
                    if (reply != null) {
                        failures.add(c.what() + ": expected no reply, got " + got);
                    }
                }
                case BADVERS -> {
                    Message m = reply == null ? null : new Message(reply);
                    if (m == null || m.getHeader().getID() != 0x2010 || m.getOPT() == null || m.getRcode() != Rcode.BADVERS) {
                        failures.add(c.what() + ": expected BADVERS (an OPT record with extended rcode 1), got " + got
                                + (m == null ? "" : ": " + m));
                    }
                }
                case FORMERR, NOTIMP -> {
                    int rcode = c.expect() == Expect.FORMERR ? Rcode.FORMERR : Rcode.NOTIMP;
                    int id = ((c.packet()[0] & 0xff) << 8) | (c.packet()[1] & 0xff);
                    if (reply == null) {
                        failures.add(c.what() + ": expected " + c.expect() + ", got no reply");
                    } else if (reply.length < 12 || (reply[2] & 0x80) == 0 || (reply[3] & 0x0f) != rcode
                            || (((reply[0] & 0xff) << 8) | (reply[1] & 0xff)) != id) {
                        failures.add(c.what() + ": expected a " + c.expect() + " response with id " + id + ", got " + got);
                    } else if (reply.length > c.packet().length + 11) {
                        failures.add(c.what() + ": the " + c.expect() + " (" + reply.length + " bytes) is larger than the query ("
                                + c.packet().length + " bytes) plus an OPT record");
                    }
                }
            }
            if ((c.expect() == Expect.FORMERR || c.expect() == Expect.DROPPED) && !c.what().contains("QR set")) {
                formerrOrShort++;
            }
            try {
                assertServed(CLIENT);
            } catch (AssertionError e) {
                failures.add("after " + c.what() + ": " + e.getMessage());
            }
        }
        assertTrue("malformed packets:\n  " + String.join("\n  ", failures), failures.isEmpty());
        long counted = forwarder().status().malformed() - malformedBefore;
        assertTrue("status().malformed() counted " + counted + " of " + formerrOrShort + " malformed packets", counted >= formerrOrShort);
    }

    // --- 3. TCP ---

    @Test
    public void aStalledTcpConnectionIsClosedAfterTheIdleTimeoutWhileOtherClientsAreServed() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = connect();
                // 65535 bytes announced, five sent, then silence
                s.getOutputStream().write(bytes(0xFF, 0xFF, 0x12, 0x34, 0x01));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            stalled.add(connect()); // connected, never a byte
            // meanwhile others are served, over UDP and over a second TCP connection
            for (int round = 0; round < 3; round++) {
                assertServed(CLIENT);
                try (Socket other = connect()) {
                    Message q = query(unique("tcp-other"), Type.A, false);
                    Message a = tcp(other, q, 3000);
                    assertEquals(String.valueOf(a), Rcode.NOERROR, a.getRcode());
                    assertEquals(a.toString(), Set.of("192.0.2.1"), addresses(a));
                }
            }
            long servedMs = elapsedMs(start);
            assertTrue("the other clients took " + servedMs + " ms, longer than the idle timeout", servedMs < IDLE_MS);
            for (Socket s : stalled) {
                long closedMs = awaitClosedByServer(s, start, 6000);
                assertTrue("a stalled connection closed after " + closedMs + " ms, before the idle timeout of " + IDLE_MS + " ms",
                        closedMs >= IDLE_MS * 8 / 10);
                assertTrue("a stalled connection closed after " + closedMs + " ms, idle timeout " + IDLE_MS + " ms",
                        closedMs <= IDLE_MS + 4000);
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        assertServed(CLIENT);
    }

    @Test
    public void fivePipelinedTcpQueriesAreAllAnsweredWithTheirIdsThenTheIdleConnectionIsClosed() throws Exception {
        String slow = unique("slow");
        // the first query's answer comes late: a forwarder that works on them concurrently may answer out of order
        main.on(slow, q -> List.of(reply(FakeUpstream.correct(q, "192.0.2.7")).delayed(300)));
        List<Message> queries = List.of(query(slow, Type.A, false), query(unique("pipe"), Type.AAAA, true),
                query(unique("pipe"), Type.A, true), query(unique("pipe"), Type.MX, false), query(unique("pipe"), Type.TXT, false));
        Set<Integer> ids = new HashSet<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Message q : queries) {
            while (!ids.add(q.getHeader().getID())) {
                q.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
            }
            all.write(frame(q.toWire()));
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(all.toByteArray()); // one write: back to back
            s.getOutputStream().flush();
            long start = System.nanoTime();
            Map<Integer, Message> answers = new HashMap<>();
            List<Integer> order = new ArrayList<>();
            s.setSoTimeout(8000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < queries.size(); i++) {
                Message a = new Message(readFrame(in));
                order.add(a.getHeader().getID());
                assertNull("two answers with id " + a.getHeader().getID(), answers.put(a.getHeader().getID(), a));
            }
            assertEquals("answer ids (in order " + order + ")", ids, answers.keySet());
            for (Message q : queries) {
                Message a = answers.get(q.getHeader().getID());
                assertEquals(a.toString(), Rcode.NOERROR, a.getRcode());
                assertEquals(a.toString(), q.getQuestion().getName(), a.getQuestion().getName());
                assertEquals(a.toString(), q.getQuestion().getType(), a.getQuestion().getType());
            }
            assertEquals(Set.of("192.0.2.7"), addresses(answers.get(queries.get(0).getHeader().getID())));
            assertEquals(Set.of("192.0.2.1"), addresses(answers.get(queries.get(2).getHeader().getID())));
            // RFC 7766: the server closes the connection it no longer needs after its idle timeout
            long closedMs = awaitClosedByServer(s, start, IDLE_MS + 5000);
            assertTrue("the idle connection closed " + closedMs + " ms after the last answer, idle timeout " + IDLE_MS,
                    closedMs >= IDLE_MS * 8 / 10);
        }
    }

    /**
     * RFC 7766 section 3: "A DNS server considers an established DNS-over-TCP session to be idle when it has
     * sent responses to all the queries it has received on that connection." A query whose upstream takes
     * longer than the idle timeout keeps the connection busy, not idle.
     */
    @Test
    public void aTcpQueryAnsweredAfterLongerThanTheIdleTimeoutStillGetsItsAnswer() throws Exception {
        String slow = unique("slower-than-idle");
        long upstreamDelay = IDLE_MS + 600;
        main.on(slow, q -> List.of(reply(FakeUpstream.correct(q, "192.0.2.8")).delayed(upstreamDelay)));
        Message quick = query(unique("quick"), Type.A, false);
        Message late = query(slow, Type.A, false);
        late.getHeader().setID((quick.getHeader().getID() + 1) & 0xffff);
        try (Socket s = connect()) {
            s.getOutputStream().write(concat(frame(quick.toWire()), frame(late.toWire())));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            s.setSoTimeout(UPSTREAM_TIMEOUT_MS + 3000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            Map<Integer, Message> answers = new HashMap<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Message a = new Message(readFrame(in));
                    answers.put(a.getHeader().getID(), a);
                }
            } catch (IOException e) {
                fail("the connection ended " + elapsedMs(start) + " ms after the queries, with " + answers.size()
                        + " of 2 answers (" + e + "); the upstream answers the second after " + upstreamDelay
                        + " ms, the idle timeout is " + IDLE_MS + " ms: " + answers.values());
            }
            Message a = answers.get(late.getHeader().getID());
            assertNotNull("no answer for " + slow + ": " + answers, a);
            assertEquals(a.toString(), Set.of("192.0.2.8"), addresses(a));
            long answeredMs = elapsedMs(start);
            long closedMs = awaitClosedByServer(s, start, answeredMs + IDLE_MS + 4000);
            assertTrue("closed " + (closedMs - answeredMs) + " ms after the last answer, idle timeout " + IDLE_MS,
                    closedMs - answeredMs >= IDLE_MS * 8 / 10);
        }
    }

    /**
     * Issue 17: clients that pipeline queries (RFC 7766 6.2.1.1) and never read the answers used to pin the
     * shared workers on their sockets, and UDP clients got SERVFAIL. Now each connection has a bounded queue
     * and a write timeout (here the idle timeout, 1 s): the slow connections are closed while a normal UDP and
     * a normal TCP client keep getting correct answers, and one address gets at most
     * tcp.maxConnectionsPerClient (8) connections (RFC 7766 section 10).
     */
    @Test
    public void twentyClientsThatNeverReadAreClosedWhileOthersAreServedAndOneAddressGetsAtMostEight() throws Exception {
        String big = unique("big");
        String[] many = new String[60];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10.0.0." + (i + 1);
        }
        main.on(big, answering(many)); // about 1 KB per answer
        byte[] burst;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int q = 0; q < 2000; q++) {
            b.write(frame(query(q % 50 == 0 ? unique("slow") : big, Type.A, false).toWire()));
        }
        burst = b.toByteArray();
        List<Socket> slow = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(20);
        List<Long> udpMs = new ArrayList<>();
        List<Long> tcpMs = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.bind(new InetSocketAddress("127.0.1." + (i + 1), 0));
                s.connect(forwarderAddress(), 3000);
                slow.add(s);
                writers.submit(() -> {
                    try {
                        s.getOutputStream().write(burst); // and never a read
                    } catch (IOException e) {
                        // closed by the forwarder while still writing
                    }
                    return null;
                });
            }
            try (Socket normal = connect()) {
                for (int k = 0; k < 100; k++) {
                    long t = System.nanoTime();
                    assertServed(CLIENT);
                    udpMs.add(System.nanoTime() - t);
                    t = System.nanoTime();
                    Message a = tcp(normal, query(unique("tcp-normal"), Type.A, false), 3000);
                    tcpMs.add(System.nanoTime() - t);
                    assertEquals(String.valueOf(a), Rcode.NOERROR, a.getRcode());
                    assertEquals(a.toString(), Set.of("192.0.2.1"), addresses(a));
                }
            }
            for (Socket s : slow) {
                awaitClosedByServer(s, start, 20_000);
            }
            // dns-status counts them, on the TCP listener
            long dropped = forwarder().status().listeners().stream().filter(l -> l.protocol().equals("tcp"))
                    .mapToLong(io.sitegate.dns.ListenerStatus::dropped).sum();
            assertTrue("dns-status counts the dropped slow clients: " + dropped, dropped >= slow.size());
        } finally {
            writers.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
        System.out.println("DnsAbuseIT 20 TCP clients that never read: normal UDP client p99 " + p99(udpMs)
                + " ms, normal TCP client p99 " + p99(tcpMs) + " ms (100 queries each)");

        List<Socket> same = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.2.1", 0));
                s.connect(forwarderAddress(), 3000);
                same.add(s);
            }
            // the ninth is closed at once; the first eight are served
            awaitClosedByServer(same.get(8), System.nanoTime(), 3000);
            assertTrue("dns-status counts the refused connection", forwarder().status().listeners().stream()
                    .filter(l -> l.protocol().equals("tcp")).mapToLong(io.sitegate.dns.ListenerStatus::refused).sum() >= 1);
            for (Socket s : same.subList(0, 8)) {
                Message a = tcp(s, query(unique("capped"), Type.A, false), 3000);
                assertEquals(String.valueOf(a), Rcode.NOERROR, a.getRcode());
            }
        } finally {
            for (Socket s : same) {
                s.close();
            }
        }
        assertServed(CLIENT);
    }

    private static String p99(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        long v = sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
        return String.format(java.util.Locale.ROOT, "%.2f", v / 1e6);
    }

    // --- 4. fuzz ---

    @Test
    public void thousandsOfMutatedUdpPacketsLeaveNoExtraThreadsNoHeapGrowthAndNoOutage() throws Exception {
        Random random = new Random(FUZZ_SEED);
        String seed = "fuzz seed 0x" + Long.toHexString(FUZZ_SEED);
        System.out.println("DnsAbuseIT UDP " + seed);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<byte[]> valid = validQueries();
        fuzzUdp(random, valid, 300); // warm up: classes, JIT, log buffers
        forwarder().flushCache();
        main.clearReceived(); // the fake upstream's own record of queries lives in this heap too
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        long malformedBefore = forwarder().status().malformed();

        Map<String, Integer> replies = fuzzUdp(random, valid, 3000);

        assertServed(CLIENT);
        try (Socket s = connect()) {
            Message a = tcp(s, query(unique("after-fuzz-tcp"), Type.A, false), 3000);
            assertEquals(seed + ": " + a, Rcode.NOERROR, a.getRcode());
        }
        int peak = threads.getPeakThreadCount();
        String stats = seed + ", replies by rcode " + replies + ", threads before " + threadsBefore + ", peak " + peak;
        assertTrue("more than 64 extra threads during the fuzz: " + stats, peak <= threadsBefore + 64);
        awaitFewThreads(threadsBefore, stats);
        assertTrue("malformed counter did not move: " + stats, forwarder().status().malformed() > malformedBefore);
        forwarder().flushCache();
        main.clearReceived();
        long heapAfter = usedHeapAfterGc();
        long grown = heapAfter - heapBefore;
        System.out.println("DnsAbuseIT UDP fuzz: " + stats + ", threads after " + threads.getThreadCount()
                + ", used heap " + heapBefore / 1024 + " -> " + heapAfter / 1024 + " KiB");
        assertTrue("used heap grew by " + grown / 1024 + " KiB (" + heapBefore / 1024 + " -> " + heapAfter / 1024 + " KiB): " + stats,
                grown < 8L * 1024 * 1024);
    }

    @Test
    public void hundredsOfMutatedTcpFramesLeaveNoExtraThreadsAndNoOutage() throws Exception {
        long tcpSeed = FUZZ_SEED + 1;
        String seed = "tcp fuzz seed 0x" + Long.toHexString(tcpSeed);
        System.out.println("DnsAbuseIT " + seed);
        Random random = new Random(tcpSeed);
        List<byte[]> valid = validQueries();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        // 40 connections of 10 frames each, 4 at a time; each one's bytes made up front from the seed
        List<byte[]> streams = new ArrayList<>();
        List<Boolean> hangUp = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int f = 0; f < 10; f++) {
                byte[] packet = mutate(random, valid.get(random.nextInt(valid.size())));
                byte[] framed = frame(packet);
                if (random.nextInt(10) == 0) { // a length prefix that lies
                    int length = random.nextInt(65536);
                    framed[0] = (byte) (length >>> 8);
                    framed[1] = (byte) length;
                }
                stream.write(framed);
            }
            streams.add(stream.toByteArray());
            hangUp.add(random.nextBoolean());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger answered = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < streams.size(); c++) {
                byte[] bytes = streams.get(c);
                boolean hang = hangUp.get(c);
                done.add(pool.submit(() -> {
                    try (Socket s = connect()) {
                        s.getOutputStream().write(bytes);
                        s.getOutputStream().flush();
                        if (!hang) {
                            // read what comes until the server closes or goes quiet
                            s.shutdownOutput();
                            s.setSoTimeout(IDLE_MS + 2000);
                            DataInputStream in = new DataInputStream(s.getInputStream());
                            while (true) {
                                readFrame(in);
                                answered.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        // closed, reset or quiet: all fine for garbage
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertServed(CLIENT);
        // another client is served over TCP at once, whatever the fuzzing client's connections still hold
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.3.1", 0));
            s.connect(forwarderAddress(), 3000);
            Message a = tcp(s, query(unique("after-tcp-fuzz"), Type.A, false), 3000);
            assertEquals(seed + ": " + a, Rcode.NOERROR, a.getRcode());
        }
        int peak = threads.getPeakThreadCount();
        String stats = seed + ", " + answered + " answers read, threads before " + threadsBefore + ", peak " + peak;
        assertTrue("more than 64 extra threads during the TCP fuzz: " + stats, peak <= threadsBefore + 64);
        assertTrue("no answer at all on the connections that waited for them: " + stats, answered.get() > 0);
        awaitFewThreads(threadsBefore, stats);
        // and the fuzzing client itself once its connections are gone (its 8 slots, tcp.maxConnectionsPerClient): the
        // forwarder frees a slot when it sees the connection closed or its idle timeout ends, so wait for that, a refusal
        // (the connection closed at once) meanwhile being the per-client cap doing its job
        long until = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Socket s = connect()) {
                Message a = tcp(s, query(unique("after-tcp-fuzz-same"), Type.A, false), 3000);
                assertEquals(seed + ": " + a, Rcode.NOERROR, a.getRcode());
                break;
            } catch (java.io.EOFException | java.net.SocketException e) {
                if (System.currentTimeMillis() > until) {
                    throw new AssertionError(seed + ": the fuzzing client is still refused 20 s after its connections closed: " + e, e);
                }
                Thread.sleep(200);
            }
        }
        System.out.println("DnsAbuseIT TCP fuzz: " + stats + ", threads after " + threads.getThreadCount());
    }

    // --- 5. rate limit ---

    @Test
    public void aClientOverTheRateLimitIsRefusedCountedAndServedAgainAfterAPause() throws Exception {
        Path cfg = Paths.get(System.getProperty("karaf.etc"), PID_FILE);
        String original = Files.readString(cfg);
        String name = unique("limited");
        assertServed(CLIENT, name);
        try {
            Files.writeString(cfg, original.replaceAll("(?m)^rateLimit\\.qps\\s*=.*$", "rateLimit.qps = 20")
                    .replaceAll("(?m)^rateLimit\\.burst\\s*=.*$", "rateLimit.burst = 20"));
            awaitRefusals(true, "the rate limit of 20 qps in force");
            Thread.sleep(2000); // the bucket fills up again: 20 tokens

            long countedBefore = forwarder().status().rateLimited();
            Burst b = burst(CLIENT, name, 200);
            String seen = b + "; status " + forwarder().status();
            System.out.println("DnsAbuseIT rate limit: " + b);
            int allowed = 20 + (int) Math.ceil(20 * b.sendingMs() / 1000.0) + 3;
            assertTrue("answered " + seen, b.answered() >= 195);
            assertTrue("served within the burst: " + seen, b.noerror() >= 15);
            assertTrue("served beyond the bucket (at most " + allowed + "): " + seen, b.noerror() <= allowed);
            assertTrue("REFUSED beyond the burst: " + seen, b.refused() >= 200 - allowed - 5);
            assertEquals("only NOERROR and REFUSED: " + seen, b.answered(), b.noerror() + b.refused());
            // another client address has a bucket of its own
            assertServed(OTHER_CLIENT, name);
            long counted = forwarder().status().rateLimited() - countedBefore;
            assertTrue("status().rateLimited() counted " + counted + ": " + seen, counted >= b.refused() && counted <= 200);
            SshResult status = asAdmin("sitegate:dns-status");
            String total = String.valueOf(forwarder().status().rateLimited());
            assertTrue("dns-status shows " + total + " rate-limited queries:\n" + status.output(),
                    status.output().matches("(?is).*rate.?limit.*") && status.output().matches("(?s).*\\b" + total + "\\b.*"));

            Thread.sleep(1500);
            Burst after = burst(CLIENT, name, 10);
            assertEquals("after a pause: " + after, 10, after.noerror());
        } finally {
            Files.writeString(cfg, original);
        }
        awaitRefusals(false, "the rate limit off again");
    }

    /** Replies counted from one client that sent {@code sent} queries for a name as fast as it could. */
    private record Burst(int sent, int answered, int noerror, int refused, long sendingMs) {
    }

    private Burst burst(String client, String name, int count) throws IOException {
        try (DatagramSocket s = clientSocket(client)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Message q = query(name, Type.A, false);
                q.getHeader().setID(i);
                byte[] wire = q.toWire();
                s.send(new DatagramPacket(wire, wire.length, forwarderAddress()));
            }
            long sendingMs = elapsedMs(start);
            Map<Integer, Integer> rcodes = new HashMap<>();
            byte[] buf = new byte[65535];
            s.setSoTimeout(2000);
            try {
                while (rcodes.size() < count) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (p.getLength() >= 12) {
                        rcodes.put(((buf[0] & 0xff) << 8) | (buf[1] & 0xff), buf[3] & 0x0f);
                    }
                }
            } catch (SocketTimeoutException e) {
                // the rest never came
            }
            int noerror = (int) rcodes.values().stream().filter(r -> r == Rcode.NOERROR).count();
            int refused = (int) rcodes.values().stream().filter(r -> r == Rcode.REFUSED).count();
            return new Burst(count, rcodes.size(), noerror, refused, sendingMs);
        }
    }

    private void awaitRefusals(boolean expected, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String name = unique("probe");
        assertServed(OTHER_CLIENT, name);
        while (true) {
            Burst b = burst(CLIENT, name, 60);
            if ((b.refused() > 0) == expected) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": last burst " + b);
            }
            Thread.sleep(1500);
        }
    }

    // --- the fuzz's packets ---

    private List<byte[]> validQueries() throws IOException {
        List<byte[]> valid = new ArrayList<>();
        valid.add(query("www.ok.test", Type.A, false).toWire());
        valid.add(query("www.ok.test", Type.AAAA, true).toWire());
        valid.add(query("mail.ok.test", Type.MX, true).toWire());
        valid.add(query("a-rather-long-label-for-the-fuzz.sub.domain.ok.test", Type.TXT, false).toWire());
        valid.add(query("_sip._udp.ok.test", Type.SRV, true).toWire());
        Message compressed = query("x.ok.test", Type.A, false);
        compressed.addRecord(new ARecord(Name.fromString("x.ok.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.5")),
                Section.ADDITIONAL);
        valid.add(compressed.toWire()); // has a compression pointer to mutate
        return valid;
    }

    /** One mutated copy of a valid query. */
    private static byte[] mutate(Random r, byte[] valid) {
        byte[] p = valid.clone();
        switch (r.nextInt(8)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    p[r.nextInt(p.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    p[r.nextInt(p.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> p = Arrays.copyOf(p, r.nextInt(p.length));
            case 3 -> {
                byte[] junk = new byte[1 + r.nextInt(200)];
                r.nextBytes(junk);
                p = concat(p, junk);
            }
            case 4 -> {
                p = new byte[r.nextInt(600)];
                r.nextBytes(p);
            }
            case 5 -> { // counts
                for (int i = 4; i < 12; i += 2) {
                    if (r.nextBoolean()) {
                        p[i] = (byte) r.nextInt(256);
                        p[i + 1] = (byte) r.nextInt(256);
                    }
                }
            }
            case 6 -> { // a compression pointer anywhere in the name, to anywhere
                int at = 12 + r.nextInt(Math.max(1, p.length - 13));
                p[at] = (byte) (0xC0 | r.nextInt(64));
                p[Math.min(at + 1, p.length - 1)] = (byte) r.nextInt(256);
            }
            default -> { // flags and opcode
                p[2] = (byte) r.nextInt(256);
                p[3] = (byte) r.nextInt(256);
                if (r.nextBoolean()) {
                    p = Arrays.copyOf(p, p.length - r.nextInt(Math.min(p.length, 8)));
                }
            }
        }
        return p;
    }

    /** Sends {@code count} mutated packets, draining the replies; the replies received by rcode. */
    private Map<String, Integer> fuzzUdp(Random random, List<byte[]> valid, int count) throws Exception {
        Map<String, Integer> byRcode = new TreeMap<>();
        DatagramSocket s = clientSocket(CLIENT);
        try {
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!s.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        String key = p.getLength() < 12 ? "short" : Rcode.string(buf[3] & 0x0f);
                        synchronized (byRcode) {
                            byRcode.merge(key, 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "DnsAbuseIT fuzz replies");
            drain.setDaemon(true);
            drain.start();
            for (int i = 0; i < count; i++) {
                byte[] packet = mutate(random, valid.get(random.nextInt(valid.size())));
                s.send(new DatagramPacket(packet, packet.length, forwarderAddress()));
                if (i % 50 == 49) {
                    Thread.sleep(10); // no more than the socket buffers hold
                }
            }
            Thread.sleep(UPSTREAM_TIMEOUT_MS + 1000);
        } finally {
            s.close(); // ends the drain
        }
        synchronized (byRcode) {
            return new TreeMap<>(byRcode);
        }
    }

    private static void awaitFewThreads(int before, String stats) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            // idle pool threads may linger for a minute before they end
            await("the thread count back near " + before, 70_000, () -> threads.getThreadCount() <= before + 16);
        } catch (AssertionError e) {
            String names = Arrays.stream(threads.dumpAllThreads(false, false)).map(t -> t.getThreadName())
                    .collect(Collectors.groupingBy(n -> n.replaceAll("\\d+", "#"), TreeMap::new, Collectors.counting())).toString();
            throw new AssertionError(e.getMessage() + ": " + threads.getThreadCount() + " threads (" + stats + "): " + names);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    // --- client side ---

    private static List<FakeUpstream.Reply> allForgeries(Message q) throws IOException {
        return List.of(reply(FakeUpstream.spoofWrongId(q)), reply(FakeUpstream.spoofWrongName(q)),
                reply(FakeUpstream.spoofWrongType(q)), reply(FakeUpstream.spoofWrongClass(q)),
                reply(FakeUpstream.spoofNotAResponse(q)), fromOtherPort(FakeUpstream.spoofPerfect(q)));
    }

    /** The correct answer, a little after the forgeries. */
    private static FakeUpstream.Reply real(Message q, String address) throws IOException {
        return reply(FakeUpstream.correct(q, address)).delayed(50);
    }

    private FakeUpstream deadEnd(String zone) {
        String host = DEAD_ENDS.get(zone);
        return deadEnds.stream().filter(u -> u.address().getAddress().getHostAddress().equals(host)).findFirst().orElseThrow();
    }

    private String unique(String label) {
        return label + "-" + names.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36) + ".ok.test";
    }

    /** A fresh name (a cache miss) from this client is answered NOERROR with the upstream's address. */
    private void assertServed(String client) throws IOException {
        assertServed(client, unique("normal"));
    }

    private void assertServed(String client, String name) throws IOException {
        Message a = udp(client, query(name, Type.A, false), 3000);
        assertNotNull("no answer to a normal query for " + name + " from " + client, a);
        assertEquals("a normal query for " + name + " from " + client + ": " + a, Rcode.NOERROR, a.getRcode());
        assertEquals("a normal query for " + name + ": " + a, Set.of("192.0.2.1"), addresses(a));
    }

    private void awaitServed(String client, String what, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                assertServed(client);
                return;
            } catch (AssertionError | IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + ": " + e.getMessage());
                }
                Thread.sleep(500);
            }
        }
    }

    private static Message query(String name, int type, boolean edns) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        if (edns) {
            m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return m;
    }

    private static Set<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA)
                .map(r -> r.rdataToString()).collect(Collectors.toSet());
    }

    private static InetSocketAddress forwarderAddress() {
        return new InetSocketAddress(CLIENT, Integer.getInteger(PROPERTY + "port"));
    }

    private static DatagramSocket clientSocket(String client) throws IOException {
        return new DatagramSocket(new InetSocketAddress(client, 0));
    }

    /** One UDP query from this client address; null when no answer with its id came in time. */
    private static Message udp(String client, Message q, int timeoutMs) throws IOException {
        try (DatagramSocket s = clientSocket(client)) {
            byte[] reply = exchange(s, q.toWire(), q.getHeader().getID(), timeoutMs);
            return reply == null ? null : new Message(reply);
        }
    }

    /** Sends the packet, returns the first reply from the forwarder (with this id unless -1), or null. */
    private static byte[] exchange(DatagramSocket s, byte[] packet, int id, int timeoutMs) throws IOException {
        s.send(new DatagramPacket(packet, packet.length, forwarderAddress()));
        long deadline = System.currentTimeMillis() + timeoutMs;
        byte[] buf = new byte[65535];
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            s.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (!p.getSocketAddress().equals(forwarderAddress())) {
                continue;
            }
            byte[] reply = Arrays.copyOf(buf, p.getLength());
            if (id < 0 || (reply.length >= 2 && (((reply[0] & 0xff) << 8) | (reply[1] & 0xff)) == id)) {
                return reply;
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(forwarderAddress(), 3000);
        return s;
    }

    private static Message tcp(Socket s, Message q, int timeoutMs) throws IOException {
        s.setSoTimeout(timeoutMs);
        s.getOutputStream().write(frame(q.toWire()));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        Message a = new Message(readFrame(in));
        assertEquals("answer id", q.getHeader().getID(), a.getHeader().getID());
        return a;
    }

    private static byte[] frame(byte[] message) {
        byte[] f = new byte[message.length + 2];
        f[0] = (byte) (message.length >>> 8);
        f[1] = (byte) message.length;
        System.arraycopy(message, 0, f, 2, message.length);
        return f;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] m = new byte[in.readUnsignedShort()];
        in.readFully(m);
        return m;
    }

    /** Milliseconds from {@code start} until the server closed (EOF or reset); fails after {@code timeoutMs}. */
    private static long awaitClosedByServer(Socket s, long start, long timeoutMs) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            long left = timeoutMs - elapsedMs(start);
            if (left <= 0) {
                fail("the server kept the connection open for " + timeoutMs + " ms (idle timeout " + IDLE_MS + " ms)");
            }
            s.setSoTimeout((int) left);
            try {
                if (in.read(buf) < 0) {
                    return elapsedMs(start);
                }
            } catch (SocketTimeoutException e) {
                // loop: fails above
            } catch (SocketException e) {
                return elapsedMs(start); // reset counts as closed
            }
        }
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // --- raw packets ---

    private static byte[] header(int id, int flags, int qd, int an, int ns, int ar) {
        return bytes(id >>> 8, id, flags >>> 8, flags, qd >>> 8, qd, an >>> 8, an, ns >>> 8, ns, ar >>> 8, ar);
    }

    private static byte[] name(String... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : labels) {
            out.write(l.length());
            out.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** How many neighbours differ by exactly one: a counter, not a random source. */
    private static long steps(List<Integer> values) {
        long n = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) - values.get(i - 1) == 1) {
                n++;
            }
        }
        return n;
    }

    private static String describe(byte[] reply) {
        if (reply == null) {
            return "no reply";
        }
        if (reply.length < 12) {
            return reply.length + " bytes";
        }
        int id = ((reply[0] & 0xff) << 8) | (reply[1] & 0xff);
        return "id " + id + ((reply[2] & 0x80) != 0 ? " response " : " query ") + Opcode.string((reply[2] >> 3) & 0x0f) + " "
                + Rcode.string(reply[3] & 0x0f) + ", " + reply.length + " bytes";
    }

    // --- the forwarder service (re-registered when its configuration changes) ---

    private DnsForwarder forwarderOrNull() {
        ServiceReference<DnsForwarder> ref = context.getServiceReference(DnsForwarder.class);
        return ref == null ? null : context.getService(ref);
    }

    private DnsForwarder forwarder() throws InterruptedException {
        await("the DnsForwarder service", BOOT_MS, () -> forwarderOrNull() != null);
        return forwarderOrNull();
    }
}
