package io.sitegate.modem.internal.session;

import io.sitegate.core.Registration;
import io.sitegate.modem.AtChannel;
import io.sitegate.modem.AtChannelClosedException;
import io.sitegate.modem.AtCommand;
import io.sitegate.modem.AtSecrets;
import io.sitegate.modem.AtException;
import io.sitegate.modem.AtResponse;
import io.sitegate.modem.AtTimeoutException;
import io.sitegate.modem.AtTransport;
import io.sitegate.modem.ChannelState;
import io.sitegate.modem.FinalResult;
import io.sitegate.modem.Urc;
import io.sitegate.modem.UrcListener;
import io.sitegate.modem.internal.codec.FinalResultCodes;
import io.sitegate.modem.internal.codec.LineFramer;
import io.sitegate.modem.internal.codec.UrcClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AtChannel} over one transport: a reader thread frames and routes lines, callers take turns
 * on a fair lock, URCs go to a dispatcher thread.
 */
public final class AtSession implements AtChannel {

    private static final Logger LOG = LoggerFactory.getLogger(AtSession.class);
    private static final byte ESC = 0x1B;

    private final AtTransport transport;
    private final SessionTuning tuning;
    private final UrcClassifier classifier;
    private final UrcDispatcher dispatcher;
    private final LineFramer framer;
    private final NoiseLog noise = new NoiseLog();
    private final ResyncTracker resync = new ResyncTracker();
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AtomicReference<PendingCommand> current = new AtomicReference<>();
    private final List<Consumer<ChannelState>> stateListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService sender;
    private final Thread reader;
    private volatile ChannelState state = ChannelState.OPEN;
    private volatile Throwable failure;
    private Urc awaitingSecondLine; // reader thread only

    /** A channel over an already opened transport, with default tuning. */
    public AtSession(AtTransport transport, Set<String> vendorUrcPrefixes) {
        this(transport, vendorUrcPrefixes, SessionTuning.defaults());
    }

    /** A channel over an already opened transport. The reader thread starts at once. */
    public AtSession(AtTransport transport, Set<String> vendorUrcPrefixes, SessionTuning tuning) {
        if (!transport.isOpen()) {
            throw new IllegalStateException("transport not open: " + transport.describe());
        }
        this.transport = transport;
        this.tuning = tuning;
        this.classifier = new UrcClassifier(vendorUrcPrefixes);
        this.framer = new LineFramer(tuning.maxLineBytes(), new LineFramer.Sink() {
            @Override
            public void onLine(String line) {
                route(line);
            }

            @Override
            public void onPrompt() {
                routePrompt();
            }
        });
        String name = "at-" + transport.describe();
        this.dispatcher = new UrcDispatcher(name + "-urc", tuning.urcQueueCapacity());
        this.sender = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-send"));
        this.reader = daemon(this::readLoop, name + "-reader");
        this.reader.start();
    }

    @Override
    public AtResponse execute(AtCommand command) throws AtException, InterruptedException {
        long deadline = System.nanoTime() + command.timeout().toNanos();
        requireOpen(command);
        if (!turn.tryLock(command.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AtTimeoutException(command.loggable() + " waited " + command.timeout() + " behind other commands");
        }
        try {
            requireOpen(command);
            if (resync.active()) {
                resynchronise(command);
            }
            return exchange(command, deadline);
        } finally {
            turn.unlock();
        }
    }

    @Override
    public CompletionStage<AtResponse> send(AtCommand command) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return execute(command);
                } catch (AtException e) {
                    throw new CompletionException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(new AtChannelClosedException("interrupted", e));
                }
            }, sender);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new AtChannelClosedException("channel closed", failure));
        }
    }

    @Override
    public Registration addUrcListener(UrcListener listener) {
        return dispatcher.add(null, listener);
    }

    @Override
    public Registration addUrcListener(String prefix, UrcListener listener) {
        return dispatcher.add(prefix, listener);
    }

    @Override
    public Registration addStateListener(Consumer<ChannelState> listener) {
        stateListeners.add(listener);
        return () -> stateListeners.remove(listener);
    }

    @Override
    public ChannelState state() {
        return state;
    }

    /** Why the channel failed, when it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        leave(ChannelState.CLOSED, null);
    }

    private AtResponse exchange(AtCommand command, long deadline) throws AtException, InterruptedException {
        PendingCommand pending = new PendingCommand(command);
        current.set(pending);
        long start = System.nanoTime();
        try {
            LOG.debug("--> {}", command.loggable());
            write((command.line() + "\r").getBytes(StandardCharsets.UTF_8), deadline, command);
            if (command.payload() != null && !sendPayload(pending, deadline)) {
                return timedOut(pending);
            }
            FinalResult result = pending.awaitFinal(left(deadline));
            if (result == null) {
                return timedOut(pending);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("<-- {} {} in {} ms", command.loggable(), result.describe(), elapsed.toMillis());
            return new AtResponse(command, pending.lines(), result, elapsed);
        } catch (ExecutionException e) {
            throw new AtChannelClosedException(command.loggable() + " aborted: channel " + state, e.getCause());
        } finally {
            current.compareAndSet(pending, null);
        }
    }

    private boolean sendPayload(PendingCommand pending, long deadline) throws AtException, InterruptedException {
        if (!pending.awaitPrompt(left(deadline))) {
            LOG.warn("No '> ' prompt for {}; aborting text entry with ESC", pending.command().loggable());
            write(new byte[] {ESC}, deadline, pending.command());
            return false;
        }
        if (pending.isDone()) {
            return true; // an error came instead of the prompt
        }
        LOG.debug("--> <{} chars of text> + Ctrl-Z", pending.command().payload().length());
        write((pending.command().payload() + "\u001A").getBytes(StandardCharsets.UTF_8), deadline, pending.command());
        return true;
    }

    private AtResponse timedOut(PendingCommand pending) throws AtTimeoutException {
        current.compareAndSet(pending, null);
        resync.commandTimedOut(pending.command());
        throw new AtTimeoutException(pending.command().loggable() + " got no final result within "
                + pending.command().timeout() + " (" + pending.lines().size() + " lines received)");
    }

    /** See {@link ResyncTracker}: probe with AT until the probes are answered and the line is quiet. */
    private void resynchronise(AtCommand next) throws AtException, InterruptedException {
        long deadline = System.nanoTime() + tuning.resyncTimeout().toNanos();
        long base = resync.finals();
        int probes = 0;
        LOG.debug("Resynchronising after timeout of {}", resync.staleCommand().loggable());
        while (System.nanoTime() < deadline) {
            write("AT\r".getBytes(StandardCharsets.US_ASCII), deadline, next);
            probes++;
            long probeDeadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(1).toNanos());
            if (resync.awaitFinals(base + probes, probeDeadline) && quiet(deadline)) {
                resync.done();
                LOG.debug("Channel back in step after {} probe(s)", probes);
                return;
            }
        }
        throw new AtTimeoutException("modem did not answer the AT sync probe within " + tuning.resyncTimeout()
                + " after an earlier timeout; " + next.loggable() + " not sent");
    }

    private boolean quiet(long deadline) throws InterruptedException {
        long seen = resync.finals();
        while (System.nanoTime() < deadline) {
            Thread.sleep(tuning.resyncQuietPeriod().toMillis());
            long now = resync.finals();
            if (now == seen) {
                return true;
            }
            seen = now;
        }
        return false;
    }

    private void write(byte[] bytes, long deadline, AtCommand command) throws AtException {
        try {
            transport.write(bytes, left(deadline).isNegative() ? Duration.ofMillis(1) : left(deadline));
        } catch (IOException e) {
            leave(ChannelState.FAILED, e);
            throw new AtChannelClosedException("cannot send " + command.loggable() + " to " + transport.describe(), e);
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[4096];
        try {
            while (state == ChannelState.OPEN) {
                int n = transport.read(buffer, tuning.pollInterval());
                if (n > 0) {
                    framer.feed(buffer, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (state == ChannelState.OPEN) {
                LOG.warn("Modem link {} failed: {}", transport.describe(), e.toString());
                leave(ChannelState.FAILED, e);
            }
        }
    }

    private void route(String line) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("<< {}", AtSecrets.loggable(line));
        }
        if (awaitingSecondLine != null) {
            Urc first = awaitingSecondLine;
            awaitingSecondLine = null;
            dispatcher.dispatch(new Urc(first.prefix(), first.line(), line, first.receivedAt()));
            return;
        }
        PendingCommand pending = current.get();
        Optional<FinalResult> fin = FinalResultCodes.parse(line);
        if (fin.isPresent()) {
            routeFinal(pending, fin.get(), line);
            return;
        }
        AtCommand context = pending != null ? pending.command() : resync.staleCommand();
        Optional<UrcClassifier.UrcMatch> urc = classifier.classify(line, context);
        if (urc.isPresent()) {
            Urc code = new Urc(urc.get().prefix(), line, null, Instant.now());
            if (urc.get().needsSecondLine()) {
                awaitingSecondLine = code;
            } else {
                dispatcher.dispatch(code);
            }
        } else if (pending != null) {
            if (!pending.isEcho(line)) {
                pending.addLine(line);
            }
        } else if (context != null || "AT".equalsIgnoreCase(line)) {
            LOG.debug("Dropped late line of timed-out {}: {}", context == null ? "probe" : context.loggable(),
                    AtSecrets.loggable(line));
        } else {
            noise.report(line.startsWith("+") ? "unexpected response line" : "unexpected text", line);
        }
    }

    private void routeFinal(PendingCommand pending, FinalResult result, String line) {
        if (pending != null && current.compareAndSet(pending, null)) {
            pending.complete(result);
        } else if (resync.active()) {
            resync.finalSeen();
        } else if (result.kind() == FinalResult.Kind.NO_CARRIER) {
            dispatcher.dispatch(new Urc("NO CARRIER", line, null, Instant.now()));
        } else {
            noise.report("final result code", line);
        }
    }

    private void routePrompt() {
        PendingCommand pending = current.get();
        if (pending != null && pending.expectsPrompt()) {
            pending.promptSeen();
        } else {
            noise.report("prompt", "> ");
        }
    }

    private void requireOpen(AtCommand command) throws AtChannelClosedException {
        if (state != ChannelState.OPEN) {
            throw new AtChannelClosedException("cannot send " + command.loggable() + ": channel " + state, failure);
        }
    }

    private void leave(ChannelState newState, Throwable cause) {
        synchronized (this) {
            if (state != ChannelState.OPEN) {
                return;
            }
            failure = cause;
            state = newState;
        }
        PendingCommand pending = current.getAndSet(null);
        if (pending != null) {
            pending.fail(new AtChannelClosedException("channel " + newState, cause));
        }
        transport.close();
        sender.shutdown();
        dispatcher.close();
        for (Consumer<ChannelState> listener : stateListeners) {
            try {
                listener.accept(newState);
            } catch (RuntimeException e) {
                LOG.warn("Channel state listener failed", e);
            }
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(deadline - System.nanoTime());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
