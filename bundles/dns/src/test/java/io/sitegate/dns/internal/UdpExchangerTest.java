package io.sitegate.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The non-blocking UDP path to the upstreams on its own, against a raw upstream socket that sees the source
 * ports and can answer in any way: matching, spoofing, timeouts, ICMP, socket rotation and concurrency.
 */
class UdpExchangerTest {

    /** A raw upstream: replies with what {@link #answer} makes of each query (null: no reply). */
    private static final class RawUpstream implements AutoCloseable {
        final DatagramSocket socket;
        final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();
        final AtomicInteger queries = new AtomicInteger();
        volatile BiFunction<byte[], Integer, List<byte[]>> answer = (q, n) -> List.of(echo(q, n));

        RawUpstream() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::serve, "raw-upstream");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        private void serve() {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    queries.incrementAndGet();
                    sourcePorts.add(p.getPort());
                    for (byte[] r : answer.apply(Arrays.copyOf(buf, p.getLength()), p.getLength())) {
                        socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** The query turned into its response: QR set, everything else as asked. */
    static byte[] echo(byte[] q, int n) {
        byte[] r = Arrays.copyOf(q, n);
        r[2] |= (byte) 0x80;
        return r;
    }

    private record Outcome(String name, byte[] reply, String failure) {
    }

    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private RawUpstream upstream;
    private UdpExchanger exchanger;

    @BeforeEach
    void start() throws IOException {
        upstream = new RawUpstream();
        exchanger = new UdpExchanger();
    }

    @AfterEach
    void stop() {
        exchanger.close();
        upstream.close();
    }

    private void send(String name, long timeoutMs) {
        send(upstream.address(), name, timeoutMs);
    }

    /** Bounds the queries in flight, so a burst does not overflow the test upstream's socket buffer. */
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);

    private void send(InetSocketAddress to, String name, long timeoutMs) {
        inFlight.acquireUninterruptibly();
        byte[] query = query(name);
        byte[] question = Arrays.copyOfRange(query, WireQuery.HEADER, query.length);
        exchanger.send(to, query, query.length, question, timeoutMs * 1_000_000L, new UdpExchanger.Reply() {
            @Override
            public void answered(byte[] msg, int len) {
                outcomes.add(new Outcome(name, Arrays.copyOf(msg, len), null));
                inFlight.release();
            }

            @Override
            public void failed(String why) {
                outcomes.add(new Outcome(name, null, why));
                inFlight.release();
            }
        });
    }

    private static byte[] query(String name) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)).toWire();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Outcome next() throws InterruptedException {
        Outcome o = outcomes.poll(5, TimeUnit.SECONDS);
        assertThat(o).as("an outcome within 5 s").isNotNull();
        return o;
    }

    private static String questionName(byte[] m) throws IOException {
        return new Message(m).getQuestion().getName().toString(true);
    }

    @Test
    void theUdpQueryIsByteForByteWhatDnsjavaWritesForIt() throws Exception {
        UpstreamClient client = new UpstreamClient(null);
        Name name = Name.fromString("WwW.Example.COM.");
        for (boolean dnssecOk : new boolean[] {false, true}) {
            for (boolean cd : new boolean[] {false, true}) {
                Message m = client.query(name, Type.AAAA, dnssecOk, cd);
                m.getHeader().setID(0);
                byte[] question = Arrays.copyOfRange(m.toWire(), WireQuery.HEADER, WireQuery.HEADER + name.length() + 4);
                assertThat(UpstreamClient.udpQuery(question, dnssecOk, cd)).as("DO " + dnssecOk + ", CD " + cd)
                        .isEqualTo(m.toWire());
            }
        }
        client.close();
    }

    @Test
    void aReplyReachesTheQueryItAnswers() throws Exception {
        send("www.example.com", 2000);

        Outcome o = next();
        assertThat(o.failure()).isNull();
        assertThat(questionName(o.reply())).isEqualTo("www.example.com");
        assertThat(exchanger.outstanding()).isZero();
    }

    @Test
    void spoofedRepliesAreDroppedAndTheRealOneStillCounts() throws Exception {
        upstream.answer = (q, n) -> {
            byte[] wrongId = echo(q, n);
            wrongId[0] ^= 0x5a;
            byte[] notAResponse = Arrays.copyOf(q, n);
            byte[] otherName = echo(query("evil.example.com"), query("evil.example.com").length);
            otherName[0] = q[0];
            otherName[1] = q[1];
            byte[] truncated = Arrays.copyOf(echo(q, n), 8);
            return List.of(wrongId, notAResponse, otherName, truncated, echo(q, n));
        };
        send("www.example.com", 2000);

        Outcome o = next();
        assertThat(o.failure()).isNull();
        assertThat(questionName(o.reply())).isEqualTo("www.example.com");
        assertThat(exchanger.mismatched.sum()).isEqualTo(4);
        assertThat(outcomes.poll(200, TimeUnit.MILLISECONDS)).as("exactly one outcome").isNull();
    }

    @Test
    void theQuestionMatchesWhateverTheLetterCase() throws Exception {
        upstream.answer = (q, n) -> {
            byte[] r = echo(q, n);
            for (int i = WireQuery.HEADER; i < n - 4; i++) {
                if (r[i] >= 'a' && r[i] <= 'z') {
                    r[i] -= 32;
                }
            }
            return List.of(r);
        };
        send("www.example.com", 2000);

        assertThat(next().failure()).isNull();
    }

    @Test
    void noReplyFailsAfterTheTimeoutOnce() throws Exception {
        upstream.answer = (q, n) -> List.of();
        long start = System.nanoTime();
        send("www.example.com", 150);

        Outcome o = next();
        assertThat(o.failure()).isEqualTo("no answer within 150 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(150_000_000L);
        assertThat(outcomes.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(exchanger.outstanding()).isZero();
    }

    @Test
    void anUnreachablePortFailsWithoutWaitingForTheTimeout() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        send(closed, "www.example.com", 10_000);

        Outcome o = next();
        assertThat(o.failure()).contains("unreachable");
    }

    @Test
    void socketsAreRetiredSoSourcePortsKeepChanging() throws Exception {
        int n = UdpExchanger.QUERIES_PER_SOCKET * UdpExchanger.SOCKETS_PER_UPSTREAM * 3;
        for (int i = 0; i < n; i++) {
            send("h" + i + ".example.com", 2000);
            assertThat(next().failure()).isNull();
        }
        // every socket carries at most QUERIES_PER_SOCKET queries: at least n / that many distinct ports
        assertThat(upstream.sourcePorts.size()).isGreaterThanOrEqualTo(n / UdpExchanger.QUERIES_PER_SOCKET);
        assertThat(exchanger.socketsOpened.sum()).isGreaterThanOrEqualTo(n / UdpExchanger.QUERIES_PER_SOCKET);
    }

    @Test
    void manyThreadsEachGetTheirOwnAnswerExactlyOnce() throws Exception {
        int threads = 8;
        int each = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread s = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    send("t" + id + "-" + i + ".example.com", 5000);
                }
            });
            s.start();
            senders.add(s);
        }
        go.countDown();
        for (Thread s : senders) {
            s.join();
        }
        Set<String> answered = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < threads * each; i++) {
            Outcome o = next();
            assertThat(o.failure()).as(o.name()).isNull();
            assertThat(questionName(o.reply())).isEqualTo(o.name());
            assertThat(answered.add(o.name())).as("answered once: " + o.name()).isTrue();
        }
        assertThat(outcomes.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(exchanger.outstanding()).isZero();
    }

    @Test
    void closingFailsWhatIsOutstanding() throws Exception {
        upstream.answer = (q, n) -> List.of();
        send("www.example.com", 60_000);
        exchanger.close();

        assertThat(next().failure()).isEqualTo("forwarder closing");
        send("late.example.com", 1000);
        assertThat(next().failure()).isEqualTo("forwarder closing");
    }
}
