package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.sitegate.dns.DnsForwarder;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Memory stays bounded under any input (issue 17): a flood from 20,000 loopback source addresses of valid
 * queries for fresh names, oversized queries, queries with extra records and garbage, with the shipped rate
 * limit on, while one normal client keeps asking and must be answered correctly throughout. Afterwards the
 * heap after a collection is within the JVM's maximum, the forwarder counted the malformed packets, and the
 * RSS before, during and after is in the test's log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnsFloodIT extends SitegateTestSupport {
    private static final String PROPS = "sitegate.it.flood";
    private static final int SOURCES = 20_000;

    @Inject
    BundleContext context;

    @Inject
    DnsForwarder forwarder;

    private static Option[] options;

    @Configuration
    public static synchronized Option[] config() {
        if (options == null) {
            Path dir = Paths.get(System.getProperty("sitegate.it.dir", "target/it"), "dns-flood").toAbsolutePath();
            DnsUpstream upstream = DnsUpstream.start(dir, "flood", List.of("127.0.58.1"), null, null, List.of(DnsIT.itZone("flood")));
            int port = DnsIT.freeLoopbackPort();
            options = distribution(
                    editConfigurationFilePut(DnsIT.CFG, "listen", "127.0.0.1:" + port),
                    editConfigurationFilePut(DnsIT.CFG, "upstreams", upstream.spec()),
                    systemProperty(PROPS + ".port").value(String.valueOf(port)),
                    // the shipped heap (bin/setenv): the flood must fit in it, the test's own sender included
                    vmOption("-Xmx96m"), vmOption("-XX:+UseSerialGC"));
        }
        return options.clone();
    }

    @Test
    public void aFloodFromManySourcesOfBadAndOversizedQueriesLeavesMemoryBoundedAndTheNormalClientAnswered() throws Exception {
        int port = Integer.getInteger(PROPS + ".port");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        await("the forwarder answers", 60_000, () -> answer(server, "www.it.example", 1).equals("192.0.2.10"));
        long rssBefore = rssKb();
        long malformedBefore = forwarder.status().malformed();

        AtomicBoolean flooding = new AtomicBoolean(true);
        List<String> wrong = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        AtomicInteger normal = new AtomicInteger();
        Thread client = new Thread(() -> {
            int id = 1;
            while (flooding.get()) {
                long t0 = System.nanoTime();
                // a stub resolver asks again when a datagram is lost (the flood shares the socket's queue)
                String a = answer(server, "www.it.example", id++);
                if (a.equals("no reply")) {
                    a = answer(server, "www.it.example", id++);
                }
                latencies.add((System.nanoTime() - t0) / 1000);
                normal.incrementAndGet();
                if (!a.equals("192.0.2.10")) {
                    wrong.add(a);
                }
                sleepMs(20);
            }
        }, "normal-client");
        client.start();

        Random r = new Random(0x51fe);
        long sent = 0;
        long rssDuring = 0;
        long t0 = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < SOURCES; i++) {
                InetAddress source = InetAddress.getByAddress(new byte[] {127, (byte) (100 + round), (byte) (i >> 8), (byte) i});
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(source, 0))) {
                    for (byte[] p : List.of(freshName(r, i), oversized(r), withExtraRecord(i), garbage(r))) {
                        s.send(new DatagramPacket(p, p.length, server));
                        sent++;
                    }
                }
            }
            rssDuring = Math.max(rssDuring, rssKb());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sleepMs(2000);
        flooding.set(false);
        client.join();
        System.gc();
        sleepMs(500);
        long rssAfter = rssKb();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
        System.out.printf("DnsFloodIT: %d packets from %d sources in %.1f s; normal client: %d queries, p99 %d us, %d wrong;"
                        + " RSS before %d MB, during (max) %d MB, after %d MB; heap after GC %d of %d MB max; malformed counted %d%n",
                sent, 3 * SOURCES, seconds, normal.get(), p99, wrong.size(), rssBefore / 1024, rssDuring / 1024, rssAfter / 1024,
                heap.getUsed() >> 20, heap.getMax() >> 20, forwarder.status().malformed() - malformedBefore);

        assertTrue("the normal client got wrong answers during the flood: " + wrong, wrong.isEmpty());
        assertTrue("the normal client was asked " + normal.get() + " times", normal.get() > 10);
        assertTrue("the container runs with the shipped heap: " + heap.getMax(), heap.getMax() <= 100L << 20);
        assertTrue("heap after the flood " + heap.getUsed() + " of " + heap.getMax(), heap.getUsed() < heap.getMax());
        // every oversized, extra-record and garbage packet that passed the rate limit was counted as malformed
        assertTrue("malformed counted", forwarder.status().malformed() - malformedBefore > 0);
        assertEquals("192.0.2.10", answer(server, "www.it.example", 4242));
    }

    /** The A answer's address, or what went wrong. */
    private static String answer(InetSocketAddress server, String name, int id) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
            q.getHeader().setID(id & 0xffff);
            byte[] b = q.toWire();
            s.send(new DatagramPacket(b, b.length, server));
            byte[] in = new byte[1500];
            DatagramPacket p = new DatagramPacket(in, in.length);
            while (true) {
                s.receive(p);
                Message m = new Message(Arrays.copyOf(in, p.getLength()));
                if (m.getHeader().getID() != (id & 0xffff)) {
                    continue;
                }
                if (m.getRcode() != Rcode.NOERROR) {
                    return Rcode.string(m.getRcode());
                }
                List<Record> a = m.getSection(Section.ANSWER);
                return a.isEmpty() ? "no answer" : a.get(0).rdataToString();
            }
        } catch (SocketTimeoutException e) {
            return "no reply";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static byte[] freshName(Random r, int i) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("n" + i + "-" + r.nextInt(1_000_000) + ".flood.example."),
                Type.A, DClass.IN));
        q.getHeader().setID(r.nextInt(65536));
        return q.toWire();
    }

    private static byte[] oversized(Random r) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("www.it.example."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        byte[] b = Arrays.copyOf(q.toWire(), 4000 + r.nextInt(4000));
        return b;
    }

    private static byte[] withExtraRecord(int i) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("www.it.example."), Type.A, DClass.IN));
        q.addRecord(Record.fromString(Name.fromString("x" + i + ".example."), Type.TXT, DClass.IN, 60,
                "\"" + "a".repeat(200) + "\"", Name.root), Section.ADDITIONAL);
        return q.toWire();
    }

    private static byte[] garbage(Random r) {
        byte[] b = new byte[12 + r.nextInt(500)];
        r.nextBytes(b);
        b[2] &= 0x7f; // a query, so it is parsed rather than dropped at the first byte
        return b;
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
