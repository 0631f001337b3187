package io.sitegate.tunnel.internal.vici;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading half of a {@link ViciSession}: one thread reads every packet from charon and dispatches
 * it, an answer (CMD_RESPONSE, CMD_UNKNOWN, EVENT_CONFIRM, EVENT_UNKNOWN) to the one {@link ViciExchange}
 * in flight, an EVENT to that exchange if it streams it, else to the session's event sink. Where
 * strongSwan's {@code python/vici/session.py} reads in the caller's loop ({@code _communicate},
 * {@code streamed_request}), this thread lets events reach listeners while no command runs.
 *
 * <p>Anything that puts the two ends out of step closes it for good: a malformed packet, an answer with
 * nothing in flight or of the wrong type, a packet type only clients send, end of stream, an exchange
 * that times out or is interrupted (its answer could still come). The caller serialises exchanges.
 */
final class ViciDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ViciDispatcher.class);
    private static final Duration IDLE_RECEIVE = Duration.ofSeconds(30);
    private static final long JOIN_MILLIS = 5_000;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ViciTransport transport;
    private final BiConsumer<String, ViciSection> events;
    private final Thread reader;
    private final Object state = new Object();
    private ViciExchange current; // guarded by state
    private IOException closedBy; // guarded by state

    /**
     * @param transport the connected transport, owned from now on
     * @param events where events go that no exchange streams; called on the reader thread
     */
    ViciDispatcher(ViciTransport transport, BiConsumer<String, ViciSection> events) {
        this.transport = transport;
        this.events = events;
        this.reader = new Thread(this::readLoop, "vici-session-" + THREADS.incrementAndGet());
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** @return whether the calling thread is the reader thread */
    boolean onReaderThread() {
        return Thread.currentThread() == reader;
    }

    /** @return whether the dispatcher still runs */
    boolean isOpen() {
        synchronized (state) {
            return closedBy == null;
        }
    }

    /**
     * Sends the exchange's request and waits for its answer. Callers run one exchange at a time.
     *
     * @param exchange the exchange
     * @param deadline {@link System#nanoTime()} by which the answer must be in
     * @param timeout the caller's timeout, for the message
     * @return the answer, of a type the exchange accepts
     * @throws SocketTimeoutException if it is not sent or answered in time; the dispatcher is then closed
     * @throws IOException if the dispatcher is or gets closed
     */
    ViciPacket exchange(ViciExchange exchange, long deadline, Duration timeout) throws IOException {
        synchronized (state) {
            if (closedBy != null) {
                throw closed(exchange.description, closedBy);
            }
            current = exchange;
        }
        try {
            transport.send(exchange.request, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            return exchange.answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            SocketTimeoutException timedOut = new SocketTimeoutException("VICI " + exchange.description
                    + " got no answer from charon within " + timeout
                    + "; session closed, so that a late answer is never taken for the next command's");
            close(timedOut);
            throw timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for the answer "
                    + "to VICI " + exchange.description + "; session closed");
            close(interrupted);
            throw interrupted;
        } catch (ExecutionException e) {
            throw closed(exchange.description, (IOException) e.getCause());
        } catch (IOException e) {
            close(e);
            if (e instanceof SocketTimeoutException) { // the transport closed itself: a frame may be half sent
                SocketTimeoutException timedOut = new SocketTimeoutException("VICI " + exchange.description
                        + " could not be sent; session closed: " + e.getMessage());
                timedOut.initCause(e);
                throw timedOut;
            }
            throw closed(exchange.description, firstCause());
        } finally {
            synchronized (state) {
                if (current == exchange) {
                    current = null;
                }
            }
        }
    }

    /**
     * Closes for a cause: the exchange in flight fails with it, the transport closes, and the reader
     * thread is awaited (unless this is the reader thread). Only the first cause counts.
     *
     * @param cause why
     */
    void close(IOException cause) {
        fail(cause);
        if (onReaderThread()) {
            return;
        }
        try {
            reader.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            LOG.warn("VICI reader thread {} still runs {} ms after close (in a listener?)", reader.getName(), JOIN_MILLIS);
        }
    }

    private void readLoop() {
        try {
            while (isOpen()) {
                ViciPacket packet;
                try {
                    packet = transport.receive(IDLE_RECEIVE);
                } catch (SocketTimeoutException idle) {
                    continue; // the transport keeps a partly read packet for the next receive
                } catch (ViciProtocolException e) {
                    ViciProtocolException malformed = new ViciProtocolException("charon sent malformed VICI: "
                            + e.getMessage());
                    malformed.initCause(e);
                    throw malformed;
                }
                dispatch(packet);
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("VICI reader failed: " + e, e));
        }
    }

    private void dispatch(ViciPacket packet) throws ViciProtocolException {
        switch (packet.type()) {
            case EVENT -> event(packet.name().orElseThrow(), packet.message());
            case CMD_RESPONSE, CMD_UNKNOWN, EVENT_CONFIRM, EVENT_UNKNOWN -> answer(packet);
            default -> throw new ViciProtocolException("charon sent " + packet.type() + ", which only a client sends");
        }
    }

    private void answer(ViciPacket packet) throws ViciProtocolException {
        ViciExchange exchange;
        synchronized (state) {
            exchange = current;
            if (exchange == null) {
                throw new ViciProtocolException("charon sent " + packet.type() + " while no request was in flight");
            }
            if (!exchange.accepts(packet.type())) {
                throw new ViciProtocolException("charon answered VICI " + exchange.description + " with " + packet.type());
            }
            current = null;
        }
        exchange.answer.complete(packet);
    }

    private void event(String event, ViciSection message) {
        ViciExchange exchange;
        synchronized (state) {
            exchange = current;
        }
        if (exchange != null && exchange.collects(event)) {
            exchange.streamed.add(message);
        } else {
            events.accept(event, message);
        }
    }

    private void fail(IOException cause) {
        ViciExchange inFlight;
        synchronized (state) {
            if (closedBy != null) {
                return;
            }
            closedBy = cause;
            inFlight = current;
            current = null;
        }
        if (inFlight != null) {
            inFlight.answer.completeExceptionally(cause);
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("closing the VICI transport failed", e);
        }
        LOG.debug("VICI session closed: {}", cause.getMessage());
    }

    /** @return why the dispatcher closed: the first cause, e.g. the reader's, not a later ClosedChannelException */
    private IOException firstCause() {
        synchronized (state) {
            return closedBy;
        }
    }

    private static IOException closed(String what, IOException cause) {
        return new IOException("VICI " + what + " failed, session closed: " + cause.getMessage(), cause);
    }
}
