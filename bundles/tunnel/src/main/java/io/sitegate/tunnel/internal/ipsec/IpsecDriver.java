package io.sitegate.tunnel.internal.ipsec;

import io.sitegate.core.SafeText;
import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;
import io.sitegate.core.SecretStore;
import io.sitegate.tunnel.internal.TunnelDriver;
import io.sitegate.tunnel.internal.TunnelSettings;
import io.sitegate.tunnel.internal.vici.ViciCommandException;
import io.sitegate.tunnel.internal.vici.ViciCommands;
import io.sitegate.tunnel.internal.vici.ViciSection;
import io.sitegate.tunnel.internal.vici.ViciSession;
import io.sitegate.tunnel.internal.vici.ViciSocketTransport;
import io.sitegate.tunnel.internal.vici.ViciStreamedResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IPsec tunnel through the router's charon, driven only over VICI: the credentials are loaded over the socket
 * ({@code load-shared}, or the certificates inside {@code load-conn} and the key with {@code load-key}), never written
 * to a file; the connection is loaded for one endpoint at a time and initiated by Sitegate ({@code start_action = none}),
 * the next endpoint tried when one fails. {@code ike-updown} and {@code child-updown} events say at once when it drops;
 * {@code list-sas} gives the SAs and the byte counters. Message layouts: strongSwan's {@code src/libcharon/plugins/vici/README.md}.
 */
public final class IpsecDriver implements TunnelDriver {
    private static final Logger LOG = LoggerFactory.getLogger(IpsecDriver.class);
    private static final Duration CALL = Duration.ofSeconds(5);
    /** charon's own initiate timeout (ms in the message) and ours, a little longer. */
    private static final int INITIATE_MS = 12_000;
    private static final Duration INITIATE_CALL = Duration.ofMillis(INITIATE_MS + 3_000);
    /**
     * Bytes ESP adds to each packet on the wire, for the overhead count: outer IPv4 20 + UDP encapsulation 8 (kernel-libipsec
     * sends ESP in UDP) + ESP header 8 + IV 8 + padding and trailer 2-5 + ICV 16 (AES-GCM-16): about 64 (RFC 4303, RFC 4106, RFC 3948).
     */
    static final int ESP_OVERHEAD = 64;
    static final int LOG_LINES = 200;

    private final TunnelSettings settings;
    private final SecretStore secrets;
    private final ScheduledExecutorService executor;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final ArrayDeque<String> log = new ArrayDeque<>();

    private List<TunnelSettings.Endpoint> candidates = List.of();
    private boolean wanted;
    private ViciSession session;
    private volatile Link link = down("DOWN", "not started");
    private volatile Traffic traffic = Traffic.NONE;
    private Duration delay;
    private ScheduledFuture<?> next;
    private boolean working;
    private int generation;
    private String connectedTo = "";
    private long sessions;
    private String lastSa = "";
    private long connections;

    public IpsecDriver(TunnelSettings settings, SecretStore secrets, ScheduledExecutorService executor, Duration firstDelay,
                       Duration maxDelay) {
        this.settings = settings;
        this.secrets = secrets;
        this.executor = executor;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.delay = firstDelay;
    }

    private static Link down(String state, String reason) {
        return new Link(false, state, reason, "", 0, 0, List.of());
    }

    @Override
    public synchronized void connect(List<TunnelSettings.Endpoint> next) {
        if (wanted && next.equals(candidates)) {
            return;
        }
        boolean moved = !next.equals(candidates) && !connectedTo.isEmpty();
        wanted = true;
        candidates = List.copyOf(next);
        generation++;
        delay = firstDelay;
        if (candidates.isEmpty()) {
            link = down("DOWN", "no endpoint in this region and leaving it is not allowed (region.leave = false)");
        }
        if (moved) {
            executor.execute(this::terminateQuietly);
        }
        schedule(Duration.ZERO);
    }

    private synchronized void schedule(Duration after) {
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(this::reconcile, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One step towards the wanted state; reschedules itself. */
    private void reconcile() {
        int gen;
        List<TunnelSettings.Endpoint> targets;
        synchronized (this) {
            if (!wanted || working) {
                return;
            }
            working = true;
            gen = generation;
            targets = candidates;
        }
        Duration again = Duration.ofSeconds(2);
        try {
            ViciCommands vici = new ViciCommands(session());
            if (refresh(vici)) {
                synchronized (this) {
                    delay = firstDelay;
                }
            } else if (!targets.isEmpty()) {
                again = bringUp(vici, targets, gen) ? Duration.ofSeconds(1) : backoff();
            }
        } catch (ViciCommandException e) {
            link = down("DOWN", "charon refused '" + e.command() + "': " + SafeText.escape(e.errmsg().orElse(String.valueOf(e.getMessage()))));
            LOG.warn("tunnel {}: {}", settings.name(), link.reason());
            again = backoff();
        } catch (IOException e) {
            closeSession();
            link = down("DOWN", "charon does not answer on " + settings.ipsec().vici() + ": " + SafeText.escape(String.valueOf(e.getMessage())));
            again = backoff();
        } catch (RuntimeException e) {
            link = down("DOWN", "cannot bring the tunnel up: " + SafeText.escape(e.toString()));
            LOG.error("tunnel {}: {}", settings.name(), e.toString(), e);
            again = backoff();
        } finally {
            synchronized (this) {
                working = false;
                if (wanted) {
                    schedule(again);
                }
            }
        }
    }

    private synchronized Duration backoff() {
        Duration d = delay;
        delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        return d;
    }

    private synchronized ViciSession session() throws IOException {
        if (session != null && session.isOpen()) {
            return session;
        }
        String uri = settings.ipsec().vici();
        SocketAddress address;
        if (uri.startsWith("unix://")) {
            address = UnixDomainSocketAddress.of(uri.substring("unix://".length()));
        } else {
            String hostPort = uri.substring("tcp://".length());
            int colon = hostPort.lastIndexOf(':');
            address = new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        }
        ViciSession s = ViciSession.open(ViciSocketTransport.connect(address, CALL));
        sessions++;
        try {
            ViciCommands c = new ViciCommands(s);
            c.listen(ViciCommands.IKE_UPDOWN, (event, message) -> onUpDown(message), CALL);
            c.listen(ViciCommands.CHILD_UPDOWN, (event, message) -> onUpDown(message), CALL);
            c.listen(ViciCommands.LOG, (event, message) -> onLog(message), CALL);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        session = s;
        return s;
    }

    private synchronized void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /**
     * charon's log lines about this tunnel's IKE_SA (levels 0 and 1 of every group reach the {@code log} event whatever
     * the daemon's own log settings: {@code vici_logger.c}): kept for {@code tunnel-log}, and the IKE packets counted,
     * since DPD, rekeying and the rest of IKE cost cellular data too. {@code sender.c} logs "sending packet: from
     * A[port] to B[port] (N bytes)" at NET level 1, {@code process_message_job.c} "received packet: ..."; N excludes the
     * 4-byte non-ESP marker on port 4500 (RFC 3948 section 2.2), the UDP header (8) and the IP header (20 or 40).
     */
    private void onLog(ViciSection message) {
        if (!message.string("ikesa-name").map(settings.name()::equals).orElse(false)) {
            return;
        }
        String msg = message.string("msg").orElse("");
        remember(message.string("group").orElse("") + " " + msg);
        java.util.regex.Matcher m = PACKET.matcher(msg);
        if (m.matches()) {
            long bytes = Long.parseLong(m.group(4)) + 8 + (m.group(2).contains(":") ? 40 : 20)
                    + ("4500".equals(m.group(3)) ? 4 : 0);
            if (m.group(1).equals("sending")) {
                ikeOut.addAndGet(bytes);
            } else {
                ikeIn.addAndGet(bytes);
            }
        }
    }

    static final java.util.regex.Pattern PACKET = java.util.regex.Pattern.compile(
            "(sending|received) packet: from (\\S+?)\\[(\\d+)] to \\S+ \\((\\d{1,6}) bytes\\)");
    private final java.util.concurrent.atomic.AtomicLong ikeIn = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong ikeOut = new java.util.concurrent.atomic.AtomicLong();

    /** An SA of ours went up or down: look again at once (called on the session's reader thread; must not call it). */
    private void onUpDown(ViciSection message) {
        if (message.section(settings.name()).isEmpty()) {
            return;
        }
        boolean up = message.string("up").map("yes"::equals).orElse(false);
        remember((up ? "up: " : "down: ") + settings.name() + " " + message.section(settings.name())
                .flatMap(s -> s.string("state")).orElse(""));
        if (!up) {
            Link l = link;
            link = new Link(false, "DOWN", "charon reports the SA down", l.endpoint(), l.bytesIn(), l.bytesOut(), l.details());
        }
        schedule(Duration.ZERO);
    }

    /**
     * Reads the tunnel's SAs; true when the IKE_SA is ESTABLISHED and its CHILD_SA INSTALLED.
     */
    private boolean refresh(ViciCommands vici) throws IOException {
        ViciStreamedResponse r = vici.listSas(ViciSection.builder().put("ike", settings.name()).build(), CALL);
        for (ViciSection event : r.events()) {
            ViciSection ike = event.section(settings.name()).orElse(null);
            if (ike == null) {
                continue;
            }
            String state = ike.string("state").orElse("?");
            List<String> details = new ArrayList<>();
            details.add("IKE_SA " + settings.name() + " #" + ike.string("uniqueid").orElse("?") + " " + state + " "
                    + ike.string("local-id").orElse("") + "@" + ike.string("local-host").orElse("") + " -> "
                    + ike.string("remote-id").orElse("") + "@" + ike.string("remote-host").orElse("") + ", " + ike.string("encr-alg").orElse("") + "/"
                    + ike.string("prf-alg").orElse("") + "/" + ike.string("dh-group").orElse("") + ", established "
                    + ike.string("established").orElse("?") + " s");
            boolean installed = false;
            long in = 0;
            long out = 0;
            long pin = 0;
            long pout = 0;
            ViciSection children = ike.section("child-sas").orElse(ViciSection.EMPTY);
            for (String childKey : children.names()) {
                ViciSection c = children.section(childKey).orElse(ViciSection.EMPTY);
                String cs = c.string("state").orElse("?");
                installed |= "INSTALLED".equals(cs);
                in += number(c, "bytes-in");
                out += number(c, "bytes-out");
                pin += number(c, "packets-in");
                pout += number(c, "packets-out");
                details.add("CHILD_SA " + c.string("name").orElse(childKey) + " " + cs + " "
                        + c.list("local-ts").map(l -> String.join(",", l.strings())).orElse("") + " === "
                        + c.list("remote-ts").map(l -> String.join(",", l.strings())).orElse("") + ", "
                        + c.string("encr-alg").orElse("") + ", in " + number(c, "bytes-in") + " B, out " + number(c, "bytes-out") + " B");
            }
            String remote = ike.string("remote-host").orElse("");
            boolean up = "ESTABLISHED".equals(state) && installed;
            synchronized (this) {
                connectedTo = up ? remote : connectedTo;
            }
            traffic = new Traffic(in, out, in + pin * ESP_OVERHEAD + ikeIn.get(), out + pout * ESP_OVERHEAD + ikeOut.get());
            // a new generation for each new IKE_SA, also one of a restarted charon (whose ids start again at 1)
            String key = sessions + "/" + ike.string("uniqueid").orElse("?");
            if (up && !key.equals(lastSa)) {
                lastSa = key;
                connections++;
            }
            long generation = connections;
            link = new Link(up, up ? "ESTABLISHED" : state, up ? "IKE_SA and CHILD_SA up with " + remote
                    : "IKE_SA " + state + (installed ? "" : ", no CHILD_SA installed"), remote, in, out, details, generation);
            return up;
        }
        return false;
    }

    private static long number(ViciSection s, String key) {
        try {
            return Long.parseLong(s.string(key).orElse("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Loads and initiates the connection towards each endpoint in turn; true when one came up. */
    private boolean bringUp(ViciCommands vici, List<TunnelSettings.Endpoint> targets, int gen) throws IOException {
        TunnelSettings.Ipsec c = settings.ipsec();
        List<String> failures = new ArrayList<>();
        for (TunnelSettings.Endpoint e : targets) {
            synchronized (this) {
                if (gen != generation || !wanted) {
                    return false;
                }
            }
            IpsecConnection conn = new IpsecConnection(settings.name(), e.host(), c.localId(), c.remoteId(), c.auth(),
                    c.proposals(), c.espProposals(), c.localTs(), settings.prefixes(), settings.keepalive());
            link = new Link(false, "CONNECTING", "initiating IKE with " + e, e.host(), 0, 0, List.of());
            try {
                loadCredentials(vici, conn);
            } catch (SecretException | IOException ex) {
                String why = ex instanceof ViciCommandException v ? v.errmsg().orElse(ex.getMessage()) : ex.getMessage();
                link = down("DOWN", "cannot load the credentials into charon: " + SafeText.escape(String.valueOf(why)));
                if (ex instanceof ViciCommandException || ex instanceof SecretException) {
                    return false;
                }
                throw (IOException) ex;
            }
            // IpsecConnection renders the whole message (one section named after the connection); loadConn wraps it again
            vici.loadConn(settings.name(), conn.loadConn(certs(c.cert()), certs(c.ca())).section(settings.name()).orElseThrow(), CALL);
            try {
                ViciStreamedResponse r = vici.initiate(ViciSection.builder().put("child", conn.childName())
                        .put("ike", settings.name()).put("timeout", String.valueOf(INITIATE_MS)).put("init-limits", "no")
                        .put("loglevel", "1").build(), INITIATE_CALL);
                r.events().forEach(ev -> ev.string("msg").ifPresent(this::remember));
                if (refresh(vici)) {
                    LOG.info("tunnel {}: up with {}", settings.name(), e);
                    return true;
                }
                failures.add(e + ": initiated, but no SA is installed");
            } catch (ViciCommandException ex) {
                ex.streamed().forEach(ev -> ev.string("msg").ifPresent(this::remember));
                String why = explain(ex.errmsg().orElse(ex.getMessage()));
                failures.add(e + ": " + why);
                terminateQuietly();
            }
        }
        String reason = String.join("; ", failures);
        link = down("DOWN", reason);
        LOG.warn("tunnel {}: {}", settings.name(), SafeText.escape(reason));
        return false;
    }

    /**
     * charon's initiate error alone ("establishing CHILD_SA 'x' failed") says little: the log lines it raised meanwhile
     * say why. An AUTHENTICATION_FAILED notify or "authentication of ... failed" is a wrong PSK or certificate.
     */
    private String explain(String errmsg) {
        List<String> recent;
        synchronized (log) {
            recent = List.copyOf(log);
        }
        int from = Math.max(0, recent.size() - 40);
        for (String l : recent.subList(from, recent.size())) {
            if (l.contains("AUTHENTICATION_FAILED") || l.matches(".*authentication of .* failed.*")) {
                return "authentication failed: the cloud endpoint and this gateway do not accept each other's credentials "
                        + "(wrong PSK, identity or certificate) [" + SafeText.escape(l) + "]";
            }
        }
        for (String l : recent.subList(from, recent.size())) {
            if (l.contains("NO_PROPOSAL_CHOSEN") || l.contains("TS_UNACCEPTABLE") || l.contains("giving up after")
                    || l.contains("retransmit") || l.contains("failed")) {
                return SafeText.escape(errmsg) + " [" + SafeText.escape(l) + "]";
            }
        }
        return SafeText.escape(errmsg);
    }

    private void loadCredentials(ViciCommands vici, IpsecConnection conn) throws IOException, SecretException {
        TunnelSettings.Ipsec c = settings.ipsec();
        if (c.auth() == IpsecConnection.Auth.PSK) {
            Secret psk = secrets.read(c.pskSecret());
            byte[] bytes = psk.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                vici.loadShared(conn.loadShared(bytes), CALL);
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        } else {
            byte[] key = Files.readAllBytes(c.key());
            try {
                vici.loadKey("any", key, CALL);
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
    }

    private List<byte[]> certs(java.nio.file.Path file) throws IOException {
        return settings.ipsec().auth() == IpsecConnection.Auth.PUBKEY && file != null ? List.of(Files.readAllBytes(file)) : List.of();
    }

    private void terminateQuietly() {
        try {
            ViciCommands vici = new ViciCommands(session());
            vici.terminate(ViciSection.builder().put("ike", settings.name()).put("force", "yes").put("timeout", "-1").build(), CALL);
        } catch (IOException e) {
            LOG.debug("tunnel {}: terminate: {}", settings.name(), e.toString());
        }
        synchronized (this) {
            connectedTo = "";
        }
    }

    private void remember(String line) {
        synchronized (log) {
            if (log.size() == LOG_LINES) {
                log.removeFirst();
            }
            log.addLast(line.length() > 500 ? line.substring(0, 500) + "..." : line);
        }
    }

    @Override
    public void disconnect() {
        synchronized (this) {
            wanted = false;
            generation++;
            if (next != null) {
                next.cancel(false);
            }
        }
        terminateQuietly();
        try {
            new ViciCommands(session()).unloadConn(settings.name(), CALL);
        } catch (IOException e) {
            LOG.debug("tunnel {}: unload-conn: {}", settings.name(), e.toString());
        }
        link = down("DOWN", "stopped");
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public Traffic traffic() {
        return traffic;
    }

    @Override
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public void close() {
        disconnect();
        closeSession();
    }
}
