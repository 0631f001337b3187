package io.sitegate.tunnel.internal.vici;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer of VICI over a {@link ViciTransport}, modelled on strongSwan's
 * {@code src/libcharon/plugins/vici/python/vici/session.py}: {@code request} ({@code Session.request}),
 * {@code streamedRequest} ({@code streamed_request}: register for the stream's event, send, collect the
 * events until the CMD_RESPONSE, unregister) and event listeners ({@code listen}). A response with
 * {@code success = no} or a CMD_UNKNOWN / EVENT_UNKNOWN is a {@link ViciCommandException} and leaves the
 * session open; everything else that goes wrong closes it.
 *
 * <p>Threading. The README ({@code src/libcharon/plugins/vici/README.md}, "Events") says events "may get
 * raised at any time while registered, even during an active request command". Python reads them in the
 * caller's loop, which suits one caller per session; here one reader thread per session reads every
 * packet: answers go to the one command in flight, events of a streamed command to that command, all
 * other events to the listeners, also when no command runs. Commands are serialised by a fair lock, so
 * an answer always belongs to the command in flight; waiting for the lock counts against the caller's
 * timeout. A command that times out (or whose thread is interrupted) closes the session, because its
 * answer may still come and must never be read as the answer to the next command. {@link #close()}
 * fails the command in flight and waits for the reader thread to end.
 */
public final class ViciSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViciSession.class);

    private final ReentrantLock commandLock = new ReentrantLock(true);
    private final Map<String, List<ViciEventListener>> listeners = new ConcurrentHashMap<>();
    private final ViciDispatcher dispatcher;

    private ViciSession(ViciTransport transport) {
        this.dispatcher = new ViciDispatcher(transport, this::deliver);
    }

    /**
     * Starts a session and its reader thread over a connected transport; the session owns the transport.
     *
     * @param transport a connected transport, e.g. {@link ViciSocketTransport#connect}
     * @return the session
     */
    public static ViciSession open(ViciTransport transport) {
        ViciSession session = new ViciSession(transport);
        session.dispatcher.start();
        return session;
    }

    /**
     * Sends a CMD_REQUEST and returns the CMD_RESPONSE.
     *
     * @param command the command, e.g. "version"
     * @param arguments its message, null for none
     * @param timeout for the whole call: waiting for another command, sending, and the answer
     * @return the response message
     * @throws ViciCommandException on CMD_UNKNOWN, or a response with {@code success} other than "yes"
     * @throws SocketTimeoutException if there is no answer in time (the session is then closed), or
     *         another command holds the session all that time (nothing sent, the session stays open)
     * @throws IOException if the session is or gets closed: by {@link #close()}, the daemon, or bad VICI
     */
    public ViciSection request(String command, ViciSection arguments, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        lock("command '" + command + "'", timeout, deadline);
        try {
            return checked(command, dispatcher.exchange(ViciExchange.command(command, arguments, null), deadline, timeout));
        } finally {
            commandLock.unlock();
        }
    }

    /**
     * Sends a streamed command and collects its events, as {@code streamed_request} of the Python client.
     * While the command runs, events named {@code event} belong to it and reach no listener. If a
     * listener is registered for that event, the session is already registered and stays so.
     *
     * @param command the command, e.g. "list-sas"
     * @param event the event it streams, e.g. "list-sa"
     * @param arguments its message, null for none
     * @param timeout for the whole call, registration and deregistration included
     * @return the events and the response
     * @throws ViciCommandException on CMD_UNKNOWN, EVENT_UNKNOWN or {@code success = no}, with the events
     *         collected up to then in {@link ViciCommandException#streamed()}
     * @throws IOException as for {@link #request}
     */
    public ViciStreamedResponse streamedRequest(String command, String event, ViciSection arguments, Duration timeout)
            throws IOException {
        long deadline = deadline(timeout);
        lock("command '" + command + "'", timeout, deadline);
        try {
            boolean registered = listeners.containsKey(event);
            if (!registered) {
                register(event, true, deadline, timeout);
            }
            ViciExchange exchange = ViciExchange.command(command, arguments, event);
            ViciPacket answer;
            try {
                answer = dispatcher.exchange(exchange, deadline, timeout);
            } finally {
                if (!registered && isOpen()) {
                    register(event, false, deadline, timeout);
                }
            }
            ViciSection response;
            try {
                response = checked(command, answer);
            } catch (ViciCommandException e) {
                throw e.withStreamed(exchange.streamed); // a failed initiate's reasons are in its control-log
            }
            return new ViciStreamedResponse(exchange.streamed, response);
        } finally {
            commandLock.unlock();
        }
    }

    /**
     * Adds a listener; the first one for an event registers the session for it (EVENT_REGISTER).
     *
     * @param event the event, e.g. "ike-updown"
     * @param listener the listener
     * @param timeout for the registration
     * @throws ViciCommandException if charon knows no such event (EVENT_UNKNOWN); the listener is not added
     * @throws IOException as for {@link #request}
     */
    public void addListener(String event, ViciEventListener listener, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        lock("registration for event '" + event + "'", timeout, deadline);
        try {
            List<ViciEventListener> forEvent = listeners.get(event);
            if (forEvent != null) {
                forEvent.add(listener);
                return;
            }
            // in the map before the EVENT_CONFIRM, so that no event right after it is missed
            listeners.put(event, new CopyOnWriteArrayList<>(List.of(listener)));
            boolean confirmed = false;
            try {
                register(event, true, deadline, timeout);
                confirmed = true;
            } finally {
                if (!confirmed) {
                    listeners.remove(event);
                }
            }
        } finally {
            commandLock.unlock();
        }
    }

    /**
     * Removes a listener; removing the last one of an event unregisters the session (EVENT_UNREGISTER).
     *
     * @param event the event
     * @param listener the listener
     * @param timeout for the deregistration
     * @throws IOException as for {@link #request}
     */
    public void removeListener(String event, ViciEventListener listener, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        lock("deregistration from event '" + event + "'", timeout, deadline);
        try {
            List<ViciEventListener> forEvent = listeners.get(event);
            if (forEvent != null && forEvent.remove(listener) && forEvent.isEmpty()) {
                listeners.remove(event);
                register(event, false, deadline, timeout);
            }
        } finally {
            commandLock.unlock();
        }
    }

    /** @return whether the session can still be used */
    public boolean isOpen() {
        return dispatcher.isOpen();
    }

    /** Closes the session: the command in flight fails, the reader thread ends. Idempotent. */
    @Override
    public void close() {
        dispatcher.close(new IOException("closed by Sitegate"));
    }

    /** Hands an event to its listeners, on the reader thread; a failing listener does not stop the others. */
    private void deliver(String event, ViciSection message) {
        List<ViciEventListener> forEvent = listeners.getOrDefault(event, List.of());
        if (forEvent.isEmpty()) {
            LOG.debug("VICI event '{}' arrived with no listener; dropped", event);
        }
        for (ViciEventListener listener : forEvent) {
            try {
                listener.onEvent(event, message);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("VICI listener {} failed on event '{}'; the session goes on", listener, event, e);
            }
        }
    }

    private void register(String event, boolean register, long deadline, Duration timeout) throws IOException {
        ViciPacket answer = dispatcher.exchange(ViciExchange.registration(event, register), deadline, timeout);
        if (answer.type() == ViciPacketType.EVENT_UNKNOWN) {
            throw ViciCommandException.unknownEvent(event, register);
        }
    }

    private static ViciSection checked(String command, ViciPacket answer) throws ViciCommandException {
        if (answer.type() == ViciPacketType.CMD_UNKNOWN) {
            throw ViciCommandException.unknownCommand(command);
        }
        ViciSection response = answer.message();
        String success = response.string("success").orElse("yes");
        if (!success.equals("yes")) {
            throw ViciCommandException.failed(command, response.string("errmsg").orElse(null));
        }
        return response;
    }

    private void lock(String what, Duration timeout, long deadline) throws IOException {
        if (dispatcher.onReaderThread()) {
            throw new IllegalStateException("VICI " + what + " called from an event listener of the same session: "
                    + "listeners run on the session's reader thread, which alone reads the answer");
        }
        try {
            if (!commandLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SocketTimeoutException("VICI " + what + " waited " + timeout
                        + " for another command to finish; nothing was sent, the session stays open");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send VICI " + what);
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

}
