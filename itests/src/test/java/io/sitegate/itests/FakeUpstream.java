package io.sitegate.itests;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server on one loopback address and port, UDP and TCP, that answers as each test scripts it:
 * correctly, or first (or only) with forged replies (wrong id, wrong question, QR clear, from another
 * source port), or not at all. It records every query it receives, with the source address and port, so
 * a test can check what the forwarder sends upstream.
 *
 * <p>Script by exact query name ({@link #on}) or for every other name ({@link #otherwise}). A
 * {@link Responder} returns the replies to send for one query, in order, each with a delay.
 */
final class FakeUpstream implements AutoCloseable {

    /** Address the forged replies point to: a client must never see it. */
    static final String SPOOFED = "6.6.6.6";
    /** TTL of every record the fake upstream hands out. */
    static final long TTL = 300;

    /** One query as it arrived. {@code query} is null when the bytes did not parse. */
    record Received(String transport, InetSocketAddress from, byte[] raw, Message query, long atMillis) {

        int id() {
            return raw.length >= 2 ? ((raw[0] & 0xff) << 8) | (raw[1] & 0xff) : -1;
        }

        String name() {
            return query == null || query.getQuestion() == null ? "" : query.getQuestion().getName().toString();
        }
    }

    /**
     * One reply: the wire bytes, whether they go out from a second socket (another source port) instead
     * of the one the query came to, and how long after the query (UDP; TCP replies go out in order).
     */
    record Reply(byte[] wire, boolean fromOtherPort, long delayMs) {

        Reply delayed(long ms) {
            return new Reply(wire, fromOtherPort, ms);
        }
    }

    /** The replies to one query. */
    @FunctionalInterface
    interface Responder {
        List<Reply> respond(Message query) throws IOException;
    }

    private final InetSocketAddress address;
    private final DatagramSocket udp;
    private final DatagramSocket otherPort;
    private final ServerSocket tcp;
    private final ScheduledExecutorService delayed;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Responder> byName = new ConcurrentHashMap<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile Responder otherwise = FakeUpstream::answer;
    private volatile boolean closed;

    private FakeUpstream(InetSocketAddress address) throws IOException {
        this.address = address;
        udp = new DatagramSocket(null);
        udp.setReuseAddress(true);
        udp.bind(address);
        otherPort = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0));
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(address, 50);
        delayed = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-upstream-replies " + address));
        daemon(this::serveUdp, "fake-upstream-udp " + address).start();
        daemon(this::acceptTcp, "fake-upstream-tcp " + address).start();
    }

    /** Starts serving on {@code host:port} (UDP and TCP); by default every query gets {@link #answer}. */
    static FakeUpstream start(String host, int port) throws IOException {
        return new FakeUpstream(new InetSocketAddress(InetAddress.getByName(host), port));
    }

    InetSocketAddress address() {
        return address;
    }

    /** Scripts the queries for this exact name (case-insensitive, with or without the final dot). */
    FakeUpstream on(String name, Responder responder) {
        byName.put(key(name), responder);
        return this;
    }

    /** Scripts the queries for every name without a script of its own. */
    FakeUpstream otherwise(Responder responder) {
        this.otherwise = responder;
        return this;
    }

    /** Forgets the scripts (back to {@link #answer} for everything) and what was received. */
    void reset() {
        byName.clear();
        otherwise = FakeUpstream::answer;
        received.clear();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String name) {
        return received(r -> key(r.name()).equals(key(name)));
    }

    List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    void clearReceived() {
        received.clear();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        otherPort.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        delayed.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeUpstream " + address + " (" + received.size() + " queries received)";
    }

    // --- responders and forged replies ---

    /** The correct answer: A 192.0.2.1 for A queries, AAAA 2001:db8::1 for AAAA, no data for the rest. */
    static List<Reply> answer(Message query) throws IOException {
        Record q = query.getQuestion();
        if (q != null && q.getType() == Type.AAAA) {
            return List.of(reply(correct(query, "2001:db8::1")));
        }
        return List.of(reply(correct(query, "192.0.2.1")));
    }

    /** A responder that answers A queries correctly with these addresses. */
    static Responder answering(String... addresses) {
        return query -> List.of(reply(correct(query, addresses)));
    }

    /** A responder that never answers. */
    static Responder silent() {
        return query -> List.of();
    }

    /** The correct response to {@code query}: same id, question and flags, these addresses (A or AAAA). */
    static Message correct(Message query, String... addresses) throws UnknownHostException {
        Message m = responseTo(query, query.getHeader().getID(), query.getQuestion());
        Record q = query.getQuestion();
        for (String a : addresses) {
            InetAddress ip = InetAddress.getByName(a);
            if (q.getType() == Type.A && ip.getAddress().length == 4) {
                m.addRecord(new ARecord(q.getName(), q.getDClass(), TTL, ip), Section.ANSWER);
            } else if (q.getType() == Type.AAAA && ip.getAddress().length == 16) {
                m.addRecord(new AAAARecord(q.getName(), q.getDClass(), TTL, ip), Section.ANSWER);
            }
        }
        return m;
    }

    /** A response with the rcode and nothing else. */
    static Message rcode(Message query, int rcode) {
        Message m = responseTo(query, query.getHeader().getID(), query.getQuestion());
        m.getHeader().setRcode(rcode);
        return m;
    }

    /** Forged: the right question, A {@link #SPOOFED}, but another id. */
    static Message spoofWrongId(Message query) throws UnknownHostException {
        Message m = spoofed(query, query.getQuestion());
        m.getHeader().setID((query.getHeader().getID() + 1 + (int) (Math.random() * 65534)) & 0xffff);
        return m;
    }

    /** Forged: the right id, an answer for the queried name, but another name in the question. */
    static Message spoofWrongName(Message query) throws IOException {
        Record q = query.getQuestion();
        Name other = Name.fromString("spoofed-" + q.getName().getLabelString(0), new Name(q.getName(), 1));
        return spoofed(query, Record.newRecord(other, q.getType(), q.getDClass()));
    }

    /** Forged: the right id and name, but another type (AAAA for A, A otherwise) in the question. */
    static Message spoofWrongType(Message query) throws UnknownHostException {
        Record q = query.getQuestion();
        int type = q.getType() == Type.A ? Type.AAAA : Type.A;
        return spoofed(query, Record.newRecord(q.getName(), type, q.getDClass()));
    }

    /** Forged: the right id, name and type, but class CHAOS in the question. */
    static Message spoofWrongClass(Message query) throws UnknownHostException {
        Record q = query.getQuestion();
        return spoofed(query, Record.newRecord(q.getName(), q.getType(), DClass.CH));
    }

    /** Forged: everything right except the QR bit (it is a query, not a response). */
    static Message spoofNotAResponse(Message query) throws UnknownHostException {
        Message m = spoofed(query, query.getQuestion());
        m.getHeader().unsetFlag(Flags.QR);
        return m;
    }

    /** Forged: a perfect-looking answer with A {@link #SPOOFED}; send it {@link #fromOtherPort}. */
    static Message spoofPerfect(Message query) throws UnknownHostException {
        return spoofed(query, query.getQuestion());
    }

    static Reply reply(Message m) {
        return new Reply(m.toWire(), false, 0);
    }

    static Reply fromOtherPort(Message m) {
        return new Reply(m.toWire(), true, 0);
    }

    private static Message spoofed(Message query, Record question) throws UnknownHostException {
        Message m = responseTo(query, query.getHeader().getID(), question);
        Record q = query.getQuestion();
        InetAddress evil = InetAddress.getByName(SPOOFED);
        m.addRecord(new ARecord(q.getName(), DClass.IN, TTL, evil), Section.ANSWER);
        if (!question.getName().equals(q.getName())) {
            m.addRecord(new ARecord(question.getName(), DClass.IN, TTL, evil), Section.ANSWER);
        }
        return m;
    }

    private static Message responseTo(Message query, int id, Record question) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            m.getHeader().setFlag(Flags.RD);
        }
        m.getHeader().setRcode(Rcode.NOERROR);
        if (question != null) {
            m.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return m;
    }

    // --- serving ---

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            byte[] raw = java.util.Arrays.copyOf(p.getData(), p.getLength());
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            Message query = record("udp", from, raw);
            for (Reply r : replies(query)) {
                Runnable send = () -> sendUdp(r, from);
                if (r.delayMs() <= 0) {
                    send.run();
                } else {
                    delayed.schedule(send, r.delayMs(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void sendUdp(Reply r, InetSocketAddress to) {
        try {
            (r.fromOtherPort() ? otherPort : udp).send(new DatagramPacket(r.wire(), r.wire().length, to));
        } catch (IOException e) {
            // the test sees the missing reply
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                connections.add(s);
                daemon(() -> serveTcp(s), "fake-upstream-tcp-conn " + s.getRemoteSocketAddress()).start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            while (!closed) {
                int length = in.readUnsignedShort();
                byte[] raw = new byte[length];
                in.readFully(raw);
                Message query = record("tcp", (InetSocketAddress) s.getRemoteSocketAddress(), raw);
                for (Reply r : replies(query)) {
                    if (r.delayMs() > 0) {
                        Thread.sleep(r.delayMs());
                    }
                    byte[] frame = new byte[r.wire().length + 2];
                    frame[0] = (byte) (r.wire().length >>> 8);
                    frame[1] = (byte) r.wire().length;
                    System.arraycopy(r.wire(), 0, frame, 2, r.wire().length);
                    synchronized (out) {
                        out.write(frame);
                        out.flush();
                    }
                }
            }
        } catch (EOFException | SocketException e) {
            // the forwarder closed the connection
        } catch (IOException e) {
            // idle or broken: close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(s);
        }
    }

    private Message record(String transport, InetSocketAddress from, byte[] raw) {
        Message query;
        try {
            query = new Message(raw);
        } catch (IOException e) {
            query = null;
        }
        received.add(new Received(transport, from, raw, query, System.currentTimeMillis()));
        return query;
    }

    private List<Reply> replies(Message query) {
        if (query == null || query.getQuestion() == null || query.getHeader().getFlag(Flags.QR)) {
            return Collections.emptyList();
        }
        Responder r = byName.getOrDefault(key(query.getQuestion().getName().toString()), otherwise);
        try {
            return new ArrayList<>(r.respond(query));
        } catch (IOException | RuntimeException e) {
            try {
                return List.of(reply(rcode(query, Rcode.SERVFAIL)));
            } catch (RuntimeException again) {
                return Collections.emptyList();
            }
        }
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
