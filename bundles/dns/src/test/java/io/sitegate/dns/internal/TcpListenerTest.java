package io.sitegate.dns.internal;

import static io.sitegate.dns.DnsFirewall.SOURCE_CONFIG;
import static io.sitegate.dns.internal.DnsMessages.NO_EDNS;
import static io.sitegate.dns.internal.DnsMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitegate.dns.FirewallMode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS over TCP on real loopback sockets (issue 17, "a client cannot stall the others"): clients that pipeline
 * queries and never read their answers (RFC 7766 6.2.1.1 allows the pipelining, not the not reading) are
 * dropped, while a normal UDP and a normal TCP client keep getting correct answers; the per-client cap
 * (RFC 7766 section 10) refuses the connections over it. Client addresses are spread over 127.0.0.0/8.
 */
class TcpListenerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SLOW_CLIENTS = 20;
    private static final int NORMAL_QUERIES = 300;
    /** Queries a slow client sends at once on each connection, ~1 MB of answers it never reads. */
    private static final int PIPELINED = 1000;
    /** Far above a normal answer on loopback; a stalled forwarder never answers. */
    private static final int CLIENT_TIMEOUT_MS = 3000;

    private FakeUdpUpstream upstream;
    /** Few workers, as on a gateway: the old forwarder pinned all of them on the slow clients' sockets. */
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final UpstreamClient client = new UpstreamClient(null);
    private final FirewallEngine firewall = new FirewallEngine(FirewallMode.DENY_LIST, null);
    private final AnswerCache cache = new AnswerCache(100_000, 64 << 20);
    private TcpListener tcp;
    private UdpListener udp;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUdpUpstream();
        // big.example.com: 60 addresses, about 1 KB on the wire, so unread answers pile up fast
        upstream.behaviour = q -> {
            if (!q.getQuestion().getName().toString().startsWith("big.")) {
                return FakeUdpUpstream.answer(q);
            }
            Message r = FakeUdpUpstream.reply(q, Rcode.NOERROR);
            for (int i = 1; i <= 60; i++) {
                r.addRecord(FakeUdpUpstream.a(q.getQuestion().getName(), 300, "10.0.0." + i), Section.ANSWER);
            }
            return List.of(r);
        };
        // Names under slow.example are denied: each new one is resolved on a worker, without the upstream.
        firewall.replaceRules(SOURCE_CONFIG, Set.of(), Set.of("slow.example"));
    }

    @AfterEach
    void stop() throws Exception {
        if (tcp != null) {
            tcp.close();
        }
        if (udp != null) {
            udp.close();
        }
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        client.close();
        upstream.close();
    }

    private void listen(TcpLimits limits) throws IOException {
        DnsConfig config = DnsConfig.from(Map.of("upstreams", upstream.spec(), "upstream.timeout", "1500"));
        Resolution resolution = new Resolution(config, firewall, new Routes(config), client, cache, t -> true, List.of());
        Forwarder forwarder = new Forwarder(cache, firewall, resolution, workers, null, 0);
        tcp = new TcpListener(new InetSocketAddress(LOOPBACK, 0), limits, forwarder);
        udp = new UdpListener(new InetSocketAddress(LOOPBACK, tcp.port()), 1, forwarder);
    }

    @Test
    void clientsThatDoNotReadAreDroppedWhileTheOthersKeepGettingAnswers() throws Exception {
        listen(new TcpLimits(10_000, 64, 2, 300, 64, 256 * 1024));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger droppedSeen = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<AtomicInteger> roundsClosed = new ArrayList<>();
        List<Thread> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            AtomicInteger closed = new AtomicInteger();
            roundsClosed.add(closed);
            InetAddress from = InetAddress.getByName("127.0.1." + (i + 1));
            Thread t = new Thread(() -> abuse(from, stop, sent, closed, droppedSeen), "slow-client-" + i);
            t.setDaemon(true);
            slow.add(t);
            t.start();
        }
        // the abuse is under way (and, before issue 17, the workers already pinned)
        await("the slow clients to pipeline their first queries", () -> sent.get() >= SLOW_CLIENTS * 200);

        List<Long> udpNanos = new ArrayList<>();
        List<Long> tcpNanos = new ArrayList<>();
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             Socket t = new Socket()) {
            u.setSoTimeout(CLIENT_TIMEOUT_MS);
            t.connect(new InetSocketAddress(LOOPBACK, tcp.port()), CLIENT_TIMEOUT_MS);
            t.setSoTimeout(CLIENT_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(t.getInputStream());
            for (int k = 0; k < NORMAL_QUERIES; k++) {
                // new names each time: each needs a worker, the resource the slow clients used to pin
                udpNanos.add(askUdp(u, "udp-" + k + ".example.com", k));
                tcpNanos.add(askTcp(t.getOutputStream(), in, "tcp-" + k + ".example.com", k));
            }
        } finally {
            stop.set(true);
        }
        for (Thread t : slow) {
            t.join(CLIENT_TIMEOUT_MS);
        }
        System.out.printf("%d slow TCP clients, %d connections dropped, %d client-side closures seen;"
                        + " normal UDP client p50 %.2f ms p99 %.2f ms; normal TCP client p50 %.2f ms p99 %.2f ms (%d queries each)%n",
                SLOW_CLIENTS, tcp.dropped.sum(), droppedSeen.get(), percentile(udpNanos, 50), percentile(udpNanos, 99),
                percentile(tcpNanos, 50), percentile(tcpNanos, 99), NORMAL_QUERIES);

        assertThat(roundsClosed).as("every slow client saw its connection closed at least once")
                .allSatisfy(n -> assertThat(n.get()).isPositive());
        assertThat(tcp.dropped.sum()).as("dropped connections, each counted once")
                .isGreaterThanOrEqualTo(SLOW_CLIENTS).isLessThanOrEqualTo(droppedSeen.get() + SLOW_CLIENTS);
        await("every slow connection to be gone", () -> tcp.connections() == 0);
    }

    @Test
    void aClientOverItsConnectionCapIsRefusedAndItsOtherConnectionsStillServed() throws Exception {
        listen(new TcpLimits(10_000, 64, 2, 300, 64, 256 * 1024));
        InetAddress from = InetAddress.getByName("127.0.2.1");
        try (Socket first = connect(from); Socket second = connect(from); Socket third = connect(from);
             Socket other = connect(InetAddress.getByName("127.0.2.2"))) {
            third.setSoTimeout(CLIENT_TIMEOUT_MS);
            assertThat(closedByServer(third)).as("the third connection from one address is closed at once").isTrue();
            for (Socket s : List.of(first, second, other)) {
                s.setSoTimeout(CLIENT_TIMEOUT_MS);
                askTcp(s.getOutputStream(), new DataInputStream(s.getInputStream()), "cap.example.com", 7);
            }
            assertThat(tcp.refused.sum()).isEqualTo(1);
        }
        await("the capped client's connections to be gone", () -> tcp.connections() == 0);
        try (Socket again = connect(from)) {
            again.setSoTimeout(CLIENT_TIMEOUT_MS);
            askTcp(again.getOutputStream(), new DataInputStream(again.getInputStream()), "cap.example.com", 8);
        }
        assertThat(tcp.refused.sum()).as("closed connections give their slot back").isEqualTo(1);
    }

    @Test
    void aClientThatStopsReadingWithoutSendingIsDroppedByTheWriteTimeout() throws Exception {
        // a queue too large to fill: only the write timeout can notice this client
        listen(new TcpLimits(10_000, 64, 2, 300, 100_000, 1 << 30));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(LOOPBACK, tcp.port()), CLIENT_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            byte[] big = framed(query("big.example.com", Type.A, 1, NO_EDNS));
            try {
                // until the kernel's buffers on both sides are full (megabytes on loopback) and the writer stalls
                for (int i = 0; i < 100_000 && tcp.dropped.sum() == 0; i++) {
                    out.write(big);
                }
            } catch (IOException closed) {
                // dropped while we were still writing
            }
            await("the connection to be dropped", () -> tcp.dropped.sum() == 1);
            s.setSoTimeout(CLIENT_TIMEOUT_MS);
            assertThat(closedByServer(s)).isTrue();
        }
        await("the connection to be gone", () -> tcp.connections() == 0);
    }

    @Test
    void pipelinedQueriesAreAllAnsweredAfterTheClientHalfCloses() throws Exception {
        listen(new TcpLimits(10_000, 64, 2, 300, 64, 256 * 1024));
        try (Socket s = connect(InetAddress.getByName("127.0.3.1"))) {
            s.setSoTimeout(CLIENT_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            for (int id = 1; id <= 10; id++) {
                out.write(framed(query("pipe-" + id + ".example.com", Type.A, id, NO_EDNS)));
            }
            s.shutdownOutput();
            DataInputStream in = new DataInputStream(s.getInputStream());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                Message m = new Message(answer);
                // answers may come in any order; the client matches them by id (RFC 7766 section 7)
                assertCorrect(m, "pipe-" + m.getHeader().getID() + ".example.com", m.getHeader().getID());
                ids.add(m.getHeader().getID());
            }
            assertThat(ids).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(in.read()).as("closed once everything is answered").isEqualTo(-1);
        }
        assertThat(tcp.dropped.sum()).isZero();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        listen(new TcpLimits(300, 64, 2, 300, 64, 256 * 1024));
        try (Socket s = connect(InetAddress.getByName("127.0.3.2"))) {
            s.setSoTimeout(CLIENT_TIMEOUT_MS);
            askTcp(s.getOutputStream(), new DataInputStream(s.getInputStream()), "idle.example.com", 1);
            long start = System.nanoTime();
            assertThat(closedByServer(s)).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until closed").isLessThan(2500L);
        }
        assertThat(tcp.dropped.sum()).as("idle is not a stall").isZero();
    }

    /** One slow client: connects, pipelines queries and never reads, reconnects when dropped, until stopped. */
    private void abuse(InetAddress from, AtomicBoolean stop, AtomicInteger sent, AtomicInteger closed, AtomicInteger droppedSeen) {
        int round = 0;
        while (!stop.get()) {
            round++;
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096); // before connect: the window it advertises stays small
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress(LOOPBACK, tcp.port()), CLIENT_TIMEOUT_MS);
                OutputStream out = s.getOutputStream();
                for (int q = 0; !stop.get(); q++) {
                    // a burst of pipelined queries: mostly cached 1 KB answers, every 20th a new name that
                    // takes a worker; then one more now and then, which fails once the forwarder has closed
                    String name = q % 20 == 0 ? "q" + q + "-r" + round + "." + from.getHostAddress().replace('.', '-')
                            + ".slow.example" : "big.example.com";
                    out.write(framed(query(name, Type.A, q & 0xffff, NO_EDNS)));
                    sent.incrementAndGet();
                    if (q >= PIPELINED) {
                        sleep(20);
                    }
                }
            } catch (IOException e) {
                closed.incrementAndGet();
                droppedSeen.incrementAndGet();
            }
            sleep(50);
        }
    }

    private long askUdp(DatagramSocket u, String name, int id) throws IOException {
        byte[] q = query(name, Type.A, id, NO_EDNS);
        long start = System.nanoTime();
        u.send(new DatagramPacket(q, q.length, new InetSocketAddress(LOOPBACK, tcp.port())));
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        u.receive(p); // times out (and fails the test) if the forwarder does not answer
        long took = System.nanoTime() - start;
        assertCorrect(new Message(Arrays.copyOf(buf, p.getLength())), name, id);
        return took;
    }

    private static long askTcp(OutputStream out, DataInputStream in, String name, int id) throws IOException {
        long start = System.nanoTime();
        out.write(framed(query(name, Type.A, id, NO_EDNS)));
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        long took = System.nanoTime() - start;
        assertCorrect(new Message(answer), name, id);
        return took;
    }

    private static void assertCorrect(Message m, String name, int id) {
        assertThat(m.getHeader().getID()).isEqualTo(id);
        assertThat(m.getRcode()).as("rcode of %s", name).isEqualTo(Rcode.NOERROR);
        assertThat(m.getQuestion().getName().toString()).isEqualTo(name + ".");
        assertThat(m.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.1"));
    }

    /** RFC 7766 section 8: every message on TCP has a two-byte length before it. */
    private static byte[] framed(byte[] message) {
        byte[] f = new byte[message.length + 2];
        f[0] = (byte) (message.length >> 8);
        f[1] = (byte) message.length;
        System.arraycopy(message, 0, f, 2, message.length);
        return f;
    }

    private Socket connect(InetAddress from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(LOOPBACK, tcp.port()), CLIENT_TIMEOUT_MS);
        return s;
    }

    /** Reads what is left: true at end of stream or reset, false if the server keeps the connection open. */
    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        try {
            while (in.read(buf) >= 0) {
                // drain answers sent before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waited 15 s for " + what).isNegative();
            Thread.sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
