package io.sitegate.filter.internal;

import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open access windows: opened and closed by an operator or a policy, persisted in the state store (document
 * {@code filter.access}) before the kernel is told, put back with the time they have left after a restart, and
 * closed when they expire ({@link #expire}, called by the filter's timer; the kernel's element timeout closes the
 * path on its own in any case).
 */
final class AccessWindows {
    static final String KEY = "filter.access";
    static final Duration LONGEST = Duration.ofDays(7);
    static final int MAX_OPEN = 256;
    /** One window per line, fields separated by a tab (none of them can hold one). */
    private static final String FORMAT = "sitegate-access-windows 1";
    private static final SecureRandom IDS = new SecureRandom();

    /** What the kernel is told. */
    interface Kernel {
        void add(AccessWindow w, Duration left) throws Exception;

        void remove(AccessWindow w) throws Exception;
    }

    /** Told of each window opened and closed, with why. */
    interface Listener {
        void opened(AccessWindow w);

        void closed(AccessWindow w, String why);
    }

    private final StateStore store;
    private final Clock clock;
    private final Map<String, AccessWindow> open = new ConcurrentHashMap<>();

    AccessWindows(StateStore store, Clock clock) throws StateStoreException {
        this.store = store;
        this.clock = clock;
        store.read(KEY).ifPresent(s -> {
            List<String> lines = new String(s.content(), StandardCharsets.UTF_8).lines().toList();
            if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
                throw new IllegalStateException("the access windows document '" + KEY + "' is not in format " + FORMAT);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                try {
                    AccessWindow w = new AccessWindow(f[0], Cidr.parse(f[1]), f[2].isEmpty() ? null : InetAddress.getByName(f[2]),
                            Integer.parseInt(f[3]), AccessWindow.Via.valueOf(f[4]), Instant.parse(f[5]), Instant.parse(f[6]), f[7]);
                    open.put(w.id(), w);
                } catch (Exception | Error e) {
                    throw new IllegalStateException("the access windows document '" + KEY + "' has a bad line '" + line + "': " + e, e);
                }
            }
        });
    }

    /** Every window still open, soonest to close first. */
    List<AccessWindow> list() {
        Instant now = clock.instant();
        return open.values().stream().filter(w -> w.expires().isAfter(now)).sorted(Comparator.comparing(AccessWindow::expires)).toList();
    }

    /**
     * Opens a window: persisted, then given to the kernel.
     *
     * @throws IllegalArgumentException for a duration out of range or too many windows
     */
    synchronized AccessWindow open(Cidr from, InetAddress to, int port, AccessWindow.Via via, Duration length, String by, Kernel kernel)
            throws Exception {
        if (length.isNegative() || length.isZero() || length.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("the window must last from 1 s to " + LONGEST.toDays() + " days, not " + length);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 1 to 65535");
        }
        if (to != null && (to.getAddress().length == 4) == from.v6()) {
            throw new IllegalArgumentException("from " + from + " and to " + to.getHostAddress() + " are not the same IP family");
        }
        if (list().size() >= MAX_OPEN) {
            throw new IllegalArgumentException(MAX_OPEN + " windows are open: close one first");
        }
        Instant now = clock.instant();
        return put(new AccessWindow(HexFormat.of().formatHex(IDS.generateSeed(3)), from, to, port, via, now, now.plus(length), by), kernel);
    }

    /**
     * Brings the windows a configuration (a signed policy's {@code filter} section) lists into force: each one not
     * open yet and not expired is opened with its own id and expiry; the configuration's windows it no longer lists
     * are closed. Idempotent: applying the same list again (a restart) changes nothing.
     *
     * @return what was opened and closed, for events
     */
    synchronized Reconciled reconcile(List<AccessWindow> wanted, Kernel kernel) throws Exception {
        Instant now = clock.instant();
        List<AccessWindow> opened = new ArrayList<>();
        List<AccessWindow> closed = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (AccessWindow w : wanted) {
            ids.add(w.id());
            if (!open.containsKey(w.id()) && w.expires().isAfter(now)) {
                opened.add(put(new AccessWindow(w.id(), w.from(), w.to(), w.port(), w.via(), now, w.expires(), w.by()), kernel));
            }
        }
        for (AccessWindow w : List.copyOf(open.values())) {
            if (w.by().startsWith(CONFIGURED) && !ids.contains(w.id())) {
                close(w.id(), kernel).ifPresent(closed::add);
            }
        }
        return new Reconciled(opened, closed);
    }

    /** What {@link #reconcile} did. */
    record Reconciled(List<AccessWindow> opened, List<AccessWindow> closed) {
    }

    /** The {@code by} of a window a configuration opened. */
    static final String CONFIGURED = "configuration";

    private AccessWindow put(AccessWindow w, Kernel kernel) throws Exception {
        if (list().size() >= MAX_OPEN) {
            throw new IllegalArgumentException(MAX_OPEN + " windows are open: close one first");
        }
        Duration length = w.left(clock.instant());
        open.put(w.id(), w);
        try {
            persist();
        } catch (StateStoreException e) {
            open.remove(w.id());
            throw e;
        }
        kernel.add(w, length);
        return w;
    }

    /** Closes a window now; empty when there is none with that id. */
    synchronized Optional<AccessWindow> close(String id, Kernel kernel) throws Exception {
        AccessWindow w = open.remove(id);
        if (w == null) {
            return Optional.empty();
        }
        kernel.remove(w); // the path closes first; a failed write below leaves a window that expires anyway
        persist();
        return Optional.of(w);
    }

    /** Removes the windows that have expired; returns them (their kernel elements timed out on their own). */
    synchronized List<AccessWindow> expire() throws StateStoreException {
        Instant now = clock.instant();
        List<AccessWindow> gone = new ArrayList<>();
        open.values().removeIf(w -> {
            if (!w.expires().isAfter(now)) {
                gone.add(w);
                return true;
            }
            return false;
        });
        if (!gone.isEmpty()) {
            persist();
        }
        return gone;
    }

    /** The time the soonest window has left, for the timer; empty when none is open. */
    Optional<Duration> nextExpiry() {
        Instant now = clock.instant();
        return open.values().stream().map(w -> w.left(now)).min(Comparator.naturalOrder());
    }

    private void persist() throws StateStoreException {
        StringBuilder b = new StringBuilder(FORMAT).append('\n');
        for (AccessWindow w : open.values()) {
            b.append(String.join("\t", w.id(), w.from().toString(), w.gateway() ? "" : w.to().getHostAddress(), String.valueOf(w.port()),
                    w.via().name(), w.opened().toString(), w.expires().toString(), w.by().replaceAll("[\\t\\r\\n]", " "))).append('\n');
        }
        store.write(KEY, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
