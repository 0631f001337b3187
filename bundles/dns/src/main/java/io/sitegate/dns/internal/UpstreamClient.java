package io.sitegate.dns.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Sends one question to one upstream and hands on its answer, or the reason there is none, without blocking
 * the caller. UDP goes through the {@link UdpExchanger} (pooled random-port sockets, random ids, strict reply
 * checks); a truncated UDP reply is asked again over TCP. TCP and TLS run on a worker, with connections kept
 * for reuse (RFC 7766, RFC 7858); a reply whose id, flags or question do not match fails the exchange.
 */
final class UpstreamClient implements AutoCloseable {

    private static final int POOLED_PER_UPSTREAM = 4;

    private final SecureRandom random = new SecureRandom();
    private final SSLContext tls;
    private final Map<UpstreamSpec, ConcurrentLinkedDeque<Socket>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile UdpExchanger udp;

    UpstreamClient(SSLContext tls) {
        this.tls = tls;
    }

    /** Why an upstream did not answer. */
    static final class UpstreamException extends Exception {
        UpstreamException(String message) {
            super(message, null, false, false);
        }
    }

    /** The query Sitegate sends upstream: recursion desired, AD, EDNS0 with a 1232-byte payload, a random id. */
    Message query(Name name, int type) {
        return query(name, type, false, false);
    }

    /**
     * The query for a client that set DO and/or CD: both go upstream, DO in the OPT record (RFC 3225 §3)
     * and CD in the header (RFC 4035 §3.2.2), so the upstream returns the signatures and, with CD, does not
     * withhold data that fails its validation from a client that validates itself.
     */
    Message query(Name name, int type, boolean dnssecOk, boolean checkingDisabled) {
        Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        q.getHeader().setID(random.nextInt(0x10000));
        if (checkingDisabled) {
            q.getHeader().setFlag(Flags.CD);
        }
        // RFC 6840 §5.7: AD in a query asks for AD in the answer without the signatures DO would bring, so the
        // one cached answer for clients without DO can still tell those that set AD (glibc's trust-ad) it is secure.
        q.getHeader().setFlag(Flags.AD);
        q.addRecord(new OPTRecord(WireQuery.EDNS_PAYLOAD, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        return q;
    }

    /** Where an exchange started by {@link #exchange(UpstreamSpec, Name, int, boolean, boolean, int, java.util.concurrent.Executor, Answered)} ends. */
    interface Answered {
        /** The upstream's matching answer, with rcode NOERROR or NXDOMAIN. */
        void answered(Response r);

        /** Why there is no usable answer. */
        void failed(String why);
    }

    /**
     * Asks {@code upstream} without blocking the calling thread: UDP goes through the shared
     * {@link UdpExchanger} and is answered on its selector thread; TCP and TLS, and a truncated UDP answer
     * asked again over TCP, run on {@code blocking}. A reply that is neither NOERROR nor NXDOMAIN is a failure,
     * told from its header before anything is parsed.
     */
    void exchange(UpstreamSpec upstream, Name qname, int qtype, boolean dnssecOk, boolean checkingDisabled, int timeoutMs,
                  java.util.concurrent.Executor blocking, Answered done) {
        if (upstream.transport() != UpstreamSpec.Transport.UDP) {
            Message query = query(qname, qtype, dnssecOk, checkingDisabled);
            onBlocking(blocking, done, upstream, query, timeoutMs);
            return;
        }
        UdpExchanger x;
        try {
            x = exchanger();
        } catch (IOException e) {
            done.failed("cannot open the upstream selector: " + e.getMessage());
            return;
        }
        byte[] name = qname.toWire();
        byte[] question = new byte[name.length + 4];
        System.arraycopy(name, 0, question, 0, name.length);
        question[name.length] = (byte) (qtype >> 8);
        question[name.length + 1] = (byte) qtype;
        question[name.length + 3] = (byte) DClass.IN;
        byte[] wire = udpQuery(question, dnssecOk, checkingDisabled);
        x.send(upstream.address(), wire, wire.length, question, timeoutMs * 1_000_000L, new UdpExchanger.Reply() {
            @Override
            public void answered(byte[] msg, int len) {
                int rcode = msg[3] & 0x0f;
                if ((msg[2] & 0x02) != 0) {
                    Message query = query(qname, qtype, dnssecOk, checkingDisabled);
                    onBlocking(blocking, done, upstream, query, timeoutMs);
                } else if (rcode != org.xbill.DNS.Rcode.NOERROR && rcode != org.xbill.DNS.Rcode.NXDOMAIN) {
                    done.failed("answered " + org.xbill.DNS.Rcode.string(rcode));
                } else {
                    done.answered(new Response(java.util.Arrays.copyOf(msg, len), question));
                }
            }

            @Override
            public void failed(String why) {
                done.failed(why);
            }
        });
    }

    /**
     * An upstream's answer: over UDP its bytes (and the question they were checked to repeat), parsed into a
     * message only if someone asks; over TCP and TLS the message.
     */
    static final class Response {
        private final byte[] wire;
        private final byte[] question;
        private Message parsed;

        Response(byte[] wire, byte[] question) {
            this.wire = wire;
            this.question = question;
        }

        Response(Message parsed) {
            this.wire = null;
            this.question = null;
            this.parsed = parsed;
        }

        /** The bytes, or null for an answer that came as a message. */
        byte[] wire() {
            return wire;
        }

        /** The question the bytes repeat: name (uncompressed), type, class; null with {@link #wire()}. */
        byte[] question() {
            return question;
        }

        /** The answer as a message; null when its bytes do not parse. */
        Message message() {
            if (parsed == null && wire != null) {
                parsed = parse(wire, wire.length);
            }
            return parsed;
        }

        /** The header's AD bit. */
        boolean authenticData() {
            return wire != null ? (wire[3] & 0x20) != 0 : parsed.getHeader().getFlag(Flags.AD);
        }
    }

    /** Asks over TCP or TLS on a worker ({@link #overStream}), then hands the answer on as the UDP path does. */
    private void onBlocking(java.util.concurrent.Executor blocking, Answered done, UpstreamSpec upstream, Message query,
                            int timeoutMs) {
        try {
            blocking.execute(() -> {
                Message m;
                try {
                    m = overStream(upstream, query, timeoutMs);
                } catch (UpstreamException e) {
                    done.failed(e.getMessage());
                    return;
                }
                int rcode = m.getHeader().getRcode();
                if (rcode != org.xbill.DNS.Rcode.NOERROR && rcode != org.xbill.DNS.Rcode.NXDOMAIN) {
                    done.failed("answered " + org.xbill.DNS.Rcode.string(rcode));
                } else {
                    done.answered(new Response(m));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.failed("overloaded: no worker free for a TCP or TLS exchange");
        }
    }

    private UdpExchanger exchanger() throws IOException {
        UdpExchanger x = udp;
        if (x == null) {
            synchronized (this) {
                if (closed) {
                    throw new IOException("closed");
                }
                x = udp;
                if (x == null) {
                    udp = x = new UdpExchanger();
                }
            }
        }
        return x;
    }

    /**
     * The UDP query, written directly (no message object): id 0 (the exchanger sets it), RD, AD (see
     * {@link #query(Name, int, boolean, boolean)}), CD when the client set it, the question, and an OPT record
     * with Sitegate's payload size and the client's DO bit. The same bytes dnsjava writes for that query.
     */
    static byte[] udpQuery(byte[] question, boolean dnssecOk, boolean checkingDisabled) {
        byte[] q = new byte[WireQuery.HEADER + question.length + Wire.OPT_LENGTH];
        q[2] = 0x01; // RD
        q[3] = (byte) (0x20 | (checkingDisabled ? 0x10 : 0)); // AD, CD
        q[5] = 1; // QDCOUNT
        q[11] = 1; // ARCOUNT: the OPT record
        System.arraycopy(question, 0, q, WireQuery.HEADER, question.length);
        int o = WireQuery.HEADER + question.length;
        q[o + 2] = (byte) WireQuery.TYPE_OPT; // root name (0), type 41
        q[o + 3] = (byte) (WireQuery.EDNS_PAYLOAD >> 8);
        q[o + 4] = (byte) WireQuery.EDNS_PAYLOAD;
        if (dnssecOk) {
            q[o + 7] = (byte) 0x80; // the DO bit, first of the OPT TTL's flag bits (RFC 3225 §3)
        }
        return q;
    }

    /** Replies dropped by the UDP exchanges' checks (spoofed, late, or for another question). */
    long mismatchedReplies() {
        UdpExchanger x = udp;
        return x == null ? 0 : x.mismatched.sum();
    }

    /**
     * Asks {@code upstream} over TCP or TLS on the calling thread (a worker): for TCP and TLS upstreams, and for a
     * UDP answer that came truncated.
     *
     * @param timeoutMs how long to wait for the answer, in total
     * @throws UpstreamException on timeout, connection or TLS failure, or a malformed reply
     */
    private Message overStream(UpstreamSpec upstream, Message query, int timeoutMs) throws UpstreamException {
        try {
            return stream(upstream, query, System.nanoTime() + timeoutMs * 1_000_000L);
        } catch (SocketTimeoutException e) {
            throw new UpstreamException("no answer within " + timeoutMs + " ms");
        } catch (javax.net.ssl.SSLException e) {
            throw new UpstreamException("TLS: " + e.getMessage());
        } catch (IOException e) {
            throw new UpstreamException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private Message stream(UpstreamSpec upstream, Message query, long deadline) throws IOException, UpstreamException {
        byte[] out = query.toWire();
        Socket reused = pooled(upstream);
        if (reused != null) {
            try {
                return onConnection(upstream, reused, out, query, deadline);
            } catch (IOException e) {
                close(reused); // the server closed the idle connection: once more on a new one
            }
        }
        return onConnection(upstream, connect(upstream, deadline), out, query, deadline);
    }

    private Message onConnection(UpstreamSpec upstream, Socket s, byte[] out, Message query, long deadline)
            throws IOException, UpstreamException {
        boolean keep = false;
        try {
            s.setSoTimeout(remainingMs(deadline));
            OutputStream os = s.getOutputStream();
            byte[] framed = new byte[out.length + 2];
            framed[0] = (byte) (out.length >> 8);
            framed[1] = (byte) out.length;
            System.arraycopy(out, 0, framed, 2, out.length);
            os.write(framed);
            os.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            byte[] body = new byte[len];
            in.readFully(body);
            Message m = parse(body, len);
            if (m == null || !matches(query, m)) {
                throw new UpstreamException("answer over " + upstream.transport() + " does not match the question");
            }
            keep = true;
            return m;
        } finally {
            if (keep && !closed) {
                release(upstream, s);
            } else {
                close(s);
            }
        }
    }

    private Socket connect(UpstreamSpec upstream, long deadline) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(upstream.address(), remainingMs(deadline));
            if (upstream.transport() != UpstreamSpec.Transport.TLS) {
                return raw;
            }
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, upstream.tlsName(),
                    upstream.address().getPort(), true);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(List.of(new SNIHostName(upstream.tlsName())));
            s.setSSLParameters(params);
            s.setSoTimeout(remainingMs(deadline));
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            close(raw);
            throw e;
        }
    }

    private Socket pooled(UpstreamSpec upstream) {
        ConcurrentLinkedDeque<Socket> q = idle.get(upstream);
        return q == null ? null : q.pollFirst();
    }

    private void release(UpstreamSpec upstream, Socket s) {
        ConcurrentLinkedDeque<Socket> q = idle.computeIfAbsent(upstream, k -> new ConcurrentLinkedDeque<>());
        if (q.size() < POOLED_PER_UPSTREAM) {
            q.addFirst(s);
        } else {
            close(s);
        }
    }

    /** True when {@code m} is a response to {@code query}: same id, QR set, same question. */
    static boolean matches(Message query, Message m) {
        if (m.getHeader().getID() != query.getHeader().getID() || !m.getHeader().getFlag(Flags.QR)) {
            return false;
        }
        Record q = query.getQuestion();
        Record a = m.getQuestion();
        return a != null && a.getName().equals(q.getName()) && a.getType() == q.getType() && a.getDClass() == q.getDClass();
    }

    private static Message parse(byte[] b, int len) {
        try {
            return new Message(len == b.length ? b : java.util.Arrays.copyOf(b, len));
        } catch (IOException e) {
            return null; // malformed: treated like no answer
        }
    }

    private static int remainingMs(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000L;
        if (ms <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) ms;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        UdpExchanger x = udp;
        if (x != null) {
            x.close();
        }
        idle.values().forEach(q -> q.forEach(UpstreamClient::close));
        idle.clear();
    }
}
