package io.sitegate.dns.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny DNS server on 127.0.0.1 for the forwarder's tests: a thread that answers each UDP query with
 * whatever {@link #behaviour} returns (zero, one or several messages, sent in order).
 */
final class FakeUdpUpstream implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    final AtomicInteger queries = new AtomicInteger();
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    volatile Function<Message, List<Message>> behaviour = FakeUdpUpstream::answer;

    FakeUdpUpstream() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-dns-upstream");
        thread.setDaemon(true);
        thread.start();
    }

    /** The spec the forwarder is configured with. */
    String spec() {
        return "udp://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                queries.incrementAndGet();
                received.add(q);
                for (Message r : behaviour.apply(q)) {
                    byte[] out = r.toWire();
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    // --- behaviours ---------------------------------------------------------------------------------------------

    /** A reply to {@code q} with its id and question, QR, RD and RA set. */
    static Message reply(Message q, int rcode) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RD);
        r.getHeader().setFlag(Flags.RA);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        return r;
    }

    static ARecord a(Name owner, long ttl, String address) {
        try {
            return new ARecord(owner, DClass.IN, ttl, InetAddress.getByName(address));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Names starting with "nx." do not exist (SOA of their parent); A questions get 192.0.2.1, TTL 300. */
    static List<Message> answer(Message q) {
        Record question = q.getQuestion();
        Name name = question.getName();
        if (name.getLabelString(0).equalsIgnoreCase("nx")) {
            Message r = reply(q, Rcode.NXDOMAIN);
            Name zone = new Name(name, 1);
            r.addRecord(new SOARecord(zone, DClass.IN, 900, Name.fromConstantString("ns1.example."),
                    Name.fromConstantString("hostmaster.example."), 1, 3600, 600, 86_400, 120), Section.AUTHORITY);
            return List.of(r);
        }
        Message r = reply(q, Rcode.NOERROR);
        if (question.getType() == Type.A) {
            r.addRecord(a(name, 300, "192.0.2.1"), Section.ANSWER);
        }
        return List.of(r);
    }

    /** First a forged reply (wrong id, another address), then the real one. */
    static List<Message> spoofThenAnswer(Message q) {
        return List.of(spoofed(q), answer(q).get(0));
    }

    /** Only forged replies: wrong id, wrong question, and a reply without QR. */
    static List<Message> spoofOnly(Message q) {
        Message wrongQuestion = reply(q, Rcode.NOERROR);
        wrongQuestion.removeAllRecords(Section.QUESTION);
        wrongQuestion.addRecord(Record.newRecord(Name.fromConstantString("other.example."), Type.A, DClass.IN),
                Section.QUESTION);
        wrongQuestion.addRecord(a(Name.fromConstantString("other.example."), 300, "203.0.113.66"), Section.ANSWER);
        Message notAResponse = answer(q).get(0);
        notAResponse.getHeader().unsetFlag(Flags.QR);
        return List.of(spoofed(q), wrongQuestion, notAResponse);
    }

    private static Message spoofed(Message q) {
        Message forged = new Message((q.getHeader().getID() + 1) & 0xffff);
        forged.getHeader().setFlag(Flags.QR);
        forged.getHeader().setFlag(Flags.RA);
        forged.addRecord(q.getQuestion(), Section.QUESTION);
        forged.addRecord(a(q.getQuestion().getName(), 86_400, "203.0.113.66"), Section.ANSWER);
        return forged;
    }

    static List<Message> silent(Message q) {
        return List.of();
    }

    static List<Message> servfail(Message q) {
        return List.of(reply(q, Rcode.SERVFAIL));
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
