package io.sitegate.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries to UDP upstreams without a thread or a socket per query. The thread that missed the cache writes
 * the query on one of a few connected, non-blocking sockets per upstream; one selector thread reads every
 * reply, matches it and hands it on.
 *
 * <p>The defences of the socket-per-query design stay:
 * <ul>
 * <li><b>Source port.</b> Each socket gets a random ephemeral port from the kernel and is retired after
 * {@link #QUERIES_PER_SOCKET} queries or {@link #SOCKET_LIFETIME_NANOS}, whichever comes first. To an off-path
 * attacker a query's port is as unknown as before: with k queries outstanding on P pooled ports, a spoofed
 * packet to a random port hits one of them with the same odds, k / (ports × 65536), as with k fresh sockets;
 * the short life leaves no time to find the open ports by probing (the SAD DNS side channel, CVE-2020-25705).
 * The sockets are connected, so the kernel drops datagrams from any other source address or port.</li>
 * <li><b>Id.</b> Random per query (from a {@link SecureRandom}), never one already outstanding on its socket.</li>
 * <li><b>Strict checks.</b> A reply counts only if it is a response (QR), carries the id of a query outstanding
 * on that socket, and repeats its question (name, type and class; the name's letter case may differ). Anything
 * else is dropped and counted, and the query keeps waiting for its real answer.</li>
 * </ul>
 *
 * <p>Replies are handed on on the selector thread: {@link Reply#answered} must not block.
 */
final class UdpExchanger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpExchanger.class);

    /** Where an exchange ends: exactly one of the two methods is called, once. */
    interface Reply {
        /** The matching reply, {@code len} bytes of {@code msg}; the array is reused after the call returns. */
        void answered(byte[] msg, int len);

        /** No reply: timeout, ICMP unreachable, or the query could not be sent. */
        void failed(String why);
    }

    static final int SOCKETS_PER_UPSTREAM = 8;
    static final int QUERIES_PER_SOCKET = 256;
    static final long SOCKET_LIFETIME_NANOS = 2_000_000_000L;
    private static final long TICK_MS = 10;
    static final int MAX_QUERY = 1024;

    private final Selector selector;
    private final Thread thread;
    private final Map<InetSocketAddress, Pool> pools = new ConcurrentHashMap<>();
    /** Sockets opened on other threads, registered by the selector thread. */
    private final ConcurrentLinkedQueue<Slot> toRegister = new ConcurrentLinkedQueue<>();
    /** Every socket with a registration, current or retired: the selector thread's own list. */
    private final List<Slot> open = new ArrayList<>();
    private final ThreadLocal<SecureRandom> ids = ThreadLocal.withInitial(UdpExchanger::newRandom);
    private final ThreadLocal<ByteBuffer> outBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_QUERY));
    private final ByteBuffer in = ByteBuffer.allocate(65535);
    private volatile boolean closed;
    final LongAdder mismatched = new LongAdder();
    final LongAdder socketsOpened = new LongAdder();

    UdpExchanger() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, "sitegate-dns-upstream");
        thread.setDaemon(true);
        thread.start();
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** The sockets of one upstream. */
    private record Pool(InetSocketAddress upstream, AtomicReferenceArray<Slot> slots) {
    }

    /** One socket and the queries outstanding on it. */
    private final class Slot {
        final InetSocketAddress upstream;
        final int index;
        final DatagramChannel channel;
        final long openedNanos = System.nanoTime();
        /** Guarded by this: outstanding queries by id, oldest first (all share one timeout, so soonest due first). */
        final LinkedHashMap<Integer, Pending> pending = new LinkedHashMap<>();
        int sent;
        boolean retired;
        SelectionKey key;

        Slot(InetSocketAddress upstream, int index) throws IOException {
            this.upstream = upstream;
            this.index = index;
            channel = DatagramChannel.open(upstream.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                channel.configureBlocking(false);
                channel.connect(upstream); // binds a random ephemeral port; replies from elsewhere are dropped
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            socketsOpened.increment();
        }
    }

    private record Pending(byte[] question, long deadlineNanos, long timeoutNanos, Reply reply) {
    }

    /**
     * Sends a query and calls {@code reply} once with its answer or the reason there is none.
     *
     * @param query    a complete query; its first two bytes (the id) are replaced
     * @param len      its length, at most {@link #MAX_QUERY}
     * @param question the question as sent: name (uncompressed), type and class
     */
    void send(InetSocketAddress upstream, byte[] query, int len, byte[] question, long timeoutNanos, Reply reply) {
        if (closed) {
            reply.failed("forwarder closing");
            return;
        }
        if (len > MAX_QUERY || len < WireQuery.HEADER) {
            reply.failed("query of " + len + " bytes");
            return;
        }
        Pool pool;
        Slot slot;
        int id;
        try {
            pool = pools.computeIfAbsent(upstream, u -> new Pool(u, new AtomicReferenceArray<>(SOCKETS_PER_UPSTREAM)));
            SecureRandom random = ids.get();
            while (true) {
                int i = ThreadLocalRandom.current().nextInt(SOCKETS_PER_UPSTREAM);
                slot = pool.slots().get(i);
                if (slot == null) {
                    slot = replace(pool, i, null);
                }
                boolean spent;
                synchronized (slot) {
                    if (slot.retired) {
                        continue; // its replacement is in the pool already
                    }
                    // A socket carries at most QUERIES_PER_SOCKET queries and none after SOCKET_LIFETIME_NANOS.
                    spent = slot.sent >= QUERIES_PER_SOCKET || System.nanoTime() - slot.openedNanos > SOCKET_LIFETIME_NANOS;
                    if (spent) {
                        slot.retired = true;
                    } else {
                        do {
                            id = random.nextInt(0x10000);
                        } while (slot.pending.containsKey(id));
                        slot.pending.put(id, new Pending(question, System.nanoTime() + timeoutNanos, timeoutNanos, reply));
                        slot.sent++;
                        break;
                    }
                }
                replace(pool, i, slot); // spent: open its successor, and pick again
            }
        } catch (IOException e) {
            reply.failed("cannot open a socket: " + e.getMessage());
            return;
        }
        ByteBuffer out = outBuffers.get();
        out.clear();
        out.put((byte) (id >> 8)).put((byte) id).put(query, 2, len - 2).flip();
        try {
            slot.channel.write(out);
        } catch (IOException e) {
            Pending p;
            synchronized (slot) {
                p = slot.pending.remove(id);
            }
            if (p != null) {
                reply.failed(e instanceof PortUnreachableException ? "port unreachable" : "send: " + e);
            }
        }
    }

    /** Opens a socket for place {@code i} of a pool in place of {@code old} (null: an empty place). */
    private Slot replace(Pool pool, int i, Slot old) throws IOException {
        Slot fresh = new Slot(pool.upstream(), i);
        if (!pool.slots().compareAndSet(i, old, fresh)) {
            fresh.channel.close(); // another thread replaced it first
            return pool.slots().get(i);
        }
        toRegister.add(fresh);
        selector.wakeup();
        return fresh;
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select(TICK_MS);
                for (Slot s; (s = toRegister.poll()) != null; ) {
                    if (s.channel.isOpen()) {
                        s.key = s.channel.register(selector, SelectionKey.OP_READ, s);
                        open.add(s);
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey k = keys.next();
                    keys.remove();
                    if (k.isValid() && k.isReadable()) {
                        read((Slot) k.attachment());
                    }
                }
                expire(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("DNS upstream selector: {}", e.toString());
                }
            }
        }
    }

    private void read(Slot s) {
        while (true) {
            in.clear();
            int n;
            try {
                n = s.channel.read(in);
            } catch (PortUnreachableException e) {
                failAll(s, "port unreachable");
                continue;
            } catch (IOException e) {
                failAll(s, "receive: " + e);
                return;
            }
            if (n <= 0) {
                return;
            }
            deliver(s, in.array(), n);
        }
    }

    private void deliver(Slot s, byte[] m, int n) {
        if (n < WireQuery.HEADER || (m[2] & 0x80) == 0) {
            mismatched.increment();
            return;
        }
        int id = Wire.u16(m, 0);
        Pending p;
        synchronized (s) {
            p = s.pending.get(id);
            if (p == null || !sameQuestion(m, n, p.question())) {
                p = null;
            } else {
                s.pending.remove(id);
            }
        }
        if (p == null) {
            mismatched.increment(); // spoofed, late or for another question: the query keeps waiting
            return;
        }
        try {
            p.reply().answered(m, n);
        } catch (RuntimeException e) {
            LOG.warn("handling an upstream reply failed: {}", e.toString());
        }
    }

    /** Whether the reply has exactly one question, equal to {@code q} (the name compared without letter case). */
    static boolean sameQuestion(byte[] m, int n, byte[] q) {
        if (Wire.u16(m, 4) != 1 || WireQuery.HEADER + q.length > n) {
            return false;
        }
        for (int i = 0; i < q.length; i++) {
            byte a = m[WireQuery.HEADER + i];
            byte b = q[i];
            if (a != b && lower(a) != lower(b)) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    private void failAll(Slot s, String why) {
        List<Pending> failed;
        synchronized (s) {
            failed = new ArrayList<>(s.pending.values());
            s.pending.clear();
        }
        failed.forEach(p -> fail(p, why));
    }

    private static void fail(Pending p, String why) {
        try {
            p.reply().failed(why);
        } catch (RuntimeException e) {
            LOG.warn("handling an upstream failure failed: {}", e.toString());
        }
    }

    /** Fails the queries past their deadline, and closes retired sockets with nothing outstanding. */
    private void expire(long now) {
        List<Pending> due = null;
        Iterator<Slot> it = open.iterator();
        while (it.hasNext()) {
            Slot s = it.next();
            boolean drained;
            synchronized (s) {
                Iterator<Pending> ps = s.pending.values().iterator();
                while (ps.hasNext()) {
                    Pending p = ps.next();
                    if (now - p.deadlineNanos() < 0) {
                        break;
                    }
                    ps.remove();
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(p);
                }
                drained = s.retired && s.pending.isEmpty();
            }
            if (drained) {
                it.remove();
                s.key.cancel();
                closeQuietly(s.channel);
            }
        }
        if (due != null) {
            due.forEach(p -> fail(p, "no answer within " + p.timeoutNanos() / 1_000_000 + " ms"));
        }
    }

    /** Outstanding queries, for tests and the status. */
    int outstanding() {
        int n = 0;
        for (Pool pool : pools.values()) {
            for (int i = 0; i < pool.slots().length(); i++) {
                Slot s = pool.slots().get(i);
                if (s != null) {
                    synchronized (s) {
                        n += s.pending.size();
                    }
                }
            }
        }
        return n;
    }

    private static void closeQuietly(DatagramChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Slot> all = new ArrayList<>(open);
        pools.values().forEach(pool -> {
            for (int i = 0; i < pool.slots().length(); i++) {
                Slot s = pool.slots().get(i);
                if (s != null && !all.contains(s)) {
                    all.add(s);
                }
            }
        });
        for (Slot s : all) {
            failAll(s, "forwarder closing");
            closeQuietly(s.channel);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
