package io.sitegate.tunnel.internal.openvpn;

import io.sitegate.core.SafeText;
import io.sitegate.tunnel.internal.DaemonSupervisor;
import io.sitegate.tunnel.internal.Host;
import io.sitegate.tunnel.internal.TunnelDriver;
import io.sitegate.tunnel.internal.TunnelSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenVPN tunnel: Sitegate writes the client configuration ({@link OpenVpnClientConfig}), runs {@code openvpn}
 * under a {@link DaemonSupervisor} (restarted with back-off when it dies, in the tunnel's network namespace), and drives
 * it over its management socket: {@code state on}, {@code bytecount}, {@code hold release}, and {@code remote
 * ACCEPT/SKIP} for every server OpenVPN proposes (only the current region's, unless leaving it is allowed). Message
 * meanings: OpenVPN's {@code doc/management-notes.txt}.
 */
public final class OpenVpnDriver implements TunnelDriver {
    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnDriver.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
    static final int DEFAULT_PORT = 1194;

    private final TunnelSettings settings;
    private final Host host;
    private final ScheduledExecutorService executor;
    private final Path directory;
    private final String user;
    private final Duration firstDelay;
    private final Duration maxDelay;

    private DaemonSupervisor daemon;
    private List<TunnelSettings.Endpoint> candidates = List.of();
    private volatile ManagementClient management;
    private volatile Link link = Link("DOWN", "not started");
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile String endpoint = "";
    private volatile String fatal = "";
    private long connections;
    private boolean wanted;
    private int attachEpoch;

    /**
     * @param directory private directory (mode 0700) for the configuration file and the management socket; its path
     *                  must be short (a UNIX socket path has at most 107 bytes)
     */
    public OpenVpnDriver(TunnelSettings settings, Host host, ScheduledExecutorService executor, Path directory, String user,
                         Duration firstDelay, Duration maxDelay) {
        this.settings = settings;
        this.host = host;
        this.executor = executor;
        this.directory = directory;
        this.user = user;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    private static Link Link(String state, String reason) {
        return new Link(false, state, reason, "", 0, 0, List.of());
    }

    Path socket() {
        return directory.resolve(settings.name() + ".sock");
    }

    Path configFile() {
        return directory.resolve(settings.name() + ".conf");
    }

    @Override
    public synchronized void connect(List<TunnelSettings.Endpoint> next) {
        if (wanted && next.equals(candidates) && daemon != null) {
            return;
        }
        wanted = true;
        candidates = List.copyOf(next);
        if (candidates.isEmpty()) {
            stopDaemon();
            link = Link("DOWN", "no endpoint in this region and leaving it is not allowed (region.leave = false)");
            return;
        }
        stopDaemon();
        try {
            writeConfig();
        } catch (IOException | IllegalArgumentException e) {
            link = Link("DOWN", "cannot write the OpenVPN configuration: " + SafeText.escape(String.valueOf(e.getMessage())));
            LOG.error("tunnel {}: {}", settings.name(), link.reason());
            return;
        }
        fatal = "";
        link = Link("CONNECTING", "starting openvpn towards " + candidates.get(0));
        List<String> command = Host.in(settings.namespace(),
                List.of(settings.openvpn().command().toString(), "--config", configFile().toString()));
        int epoch = ++attachEpoch;
        daemon = new DaemonSupervisor("openvpn " + settings.name(), command, cmd -> {
            Process p = host.start(cmd);
            executor.execute(() -> attach(epoch, p));
            return p;
        }, (task, delay) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS), System::nanoTime,
                firstDelay, maxDelay, Duration.ofMinutes(2)).skipping(OpenVpnDriver::ownPolling);
        daemon.start();
    }

    private void writeConfig() throws IOException {
        List<OpenVpnClientConfig.Remote> remotes = new ArrayList<>();
        for (TunnelSettings.Endpoint e : candidates) {
            remotes.add(new OpenVpnClientConfig.Remote(e.host(), e.port() == 0 ? DEFAULT_PORT : e.port(), settings.openvpn().protocol()));
        }
        TunnelSettings.OpenVpn o = settings.openvpn();
        String text = new OpenVpnClientConfig(settings.name(), remotes, o.ca(), o.cert(), o.key(), o.serverName(),
                settings.keepalive(), settings.keepaliveTimeout(), socket(), user).render();
        Path tmp = directory.resolve(settings.name() + ".conf.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Connects the management socket of a freshly started process: OpenVPN creates it a moment after it starts. */
    private void attach(int epoch, Process process) {
        IOException last = null;
        for (int i = 0; i < 100 && process.isAlive(); i++) {
            synchronized (this) {
                if (epoch != attachEpoch || !wanted) {
                    return;
                }
            }
            if (Files.exists(socket())) {
                try {
                    ManagementClient m = ManagementClient.connect(socket(), msg -> onMessage(epoch, msg));
                    synchronized (this) {
                        if (epoch != attachEpoch || !wanted) {
                            m.close();
                            return;
                        }
                        ManagementClient old = management;
                        management = m;
                        if (old != null) {
                            old.close();
                        }
                    }
                    m.command(ManagementCommands.stateOn(), COMMAND_TIMEOUT);
                    // the state now (state on reports only changes): matters when attaching again to a running openvpn
                    for (String line : m.commandLines("state", COMMAND_TIMEOUT).lines()) {
                        try {
                            onMessage(epoch, ManagementMessage.parse(">STATE:" + line));
                        } catch (ManagementProtocolException e) {
                            LOG.debug("tunnel {}: state line: {}", settings.name(), e.toString());
                        }
                    }
                    m.command(ManagementCommands.bytecount(5), COMMAND_TIMEOUT);
                    m.command(ManagementCommands.holdRelease(), COMMAND_TIMEOUT);
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (process.isAlive()) {
            link = Link("DOWN", "openvpn runs but its management socket does not answer: "
                    + (last == null ? "no socket at " + socket() : SafeText.escape(String.valueOf(last.getMessage()))));
            LOG.warn("tunnel {}: {}", settings.name(), link.reason());
        }
    }

    private void onMessage(int epoch, ManagementMessage message) {
        synchronized (this) {
            if (epoch != attachEpoch) {
                return;
            }
        }
        if (message instanceof ManagementMessage.State s) {
            onState(s);
        } else if (message instanceof ManagementMessage.ByteCount b) {
            bytesIn = b.bytesIn();
            bytesOut = b.bytesOut();
            Link l = link;
            link = new Link(l.connected(), l.state(), l.reason(), l.endpoint(), bytesIn, bytesOut, l.details(), l.generation());
        } else if (message instanceof ManagementMessage.Hold) {
            executor.execute(() -> command(ManagementCommands.holdRelease()));
        } else if (message instanceof ManagementMessage.Remote r) {
            boolean allowed;
            synchronized (this) {
                allowed = candidates.stream().anyMatch(e -> e.host().equalsIgnoreCase(r.host())
                        && (e.port() == 0 ? DEFAULT_PORT : e.port()) == r.port());
            }
            executor.execute(() -> command(allowed ? ManagementCommands.remoteAccept() : ManagementCommands.remoteSkip()));
        } else if (message instanceof ManagementMessage.Password p) {
            link = Link("DOWN", "OpenVPN asks for a " + p.kind() + " password: Sitegate gives none (use a private key "
                    + "without a passphrase, readable only by the gateway)");
            LOG.error("tunnel {}: {}", settings.name(), link.reason());
        } else if (message instanceof ManagementMessage.Fatal f) {
            fatal = f.text();
            link = Link("DOWN", "openvpn failed: " + SafeText.escape(f.text()));
        }
    }

    private void onState(ManagementMessage.State s) {
        String state = s.state();
        if (s.connected()) {
            endpoint = s.remoteAddress() == null || s.remoteAddress().isEmpty() ? "" : s.remoteAddress()
                    + (s.remotePort() == null || s.remotePort().isEmpty() ? "" : ":" + s.remotePort());
            link = new Link(true, state, "connected to " + endpoint + " (tunnel address " + s.tunIpv4() + ")", endpoint,
                    bytesIn, bytesOut, List.of("OpenVPN " + state + " " + s.description() + " since " + java.time.Instant.ofEpochSecond(s.unixTime())), ++connections);
        } else {
            String why = s.description() == null || s.description().isEmpty() ? state : state + " (" + s.description() + ")";
            link = new Link(false, state, "OpenVPN " + SafeText.escape(why), "", bytesIn, bytesOut, List.of("OpenVPN " + why));
        }
    }

    private void reattach(ManagementClient broken) {
        int epoch;
        synchronized (this) {
            if (management != broken || !wanted) {
                return;
            }
            management = null;
            epoch = attachEpoch;
            link = Link("DOWN", "the OpenVPN management connection broke (" + SafeText.escape(broken.closeReason()) + "); reconnecting to it");
        }
        executor.execute(() -> {
            DaemonSupervisor d;
            synchronized (this) {
                d = daemon;
            }
            Process p = d == null ? null : d.process().orElse(null);
            if (p != null) {
                attach(epoch, p);
            }
        });
    }

    private void command(String line) {
        ManagementClient m = management;
        if (m == null) {
            return;
        }
        try {
            m.command(line, COMMAND_TIMEOUT);
        } catch (IOException e) {
            LOG.debug("tunnel {}: management command failed: {}", settings.name(), e.toString());
        }
    }

    @Override
    public synchronized void disconnect() {
        wanted = false;
        stopDaemon();
        link = Link("DOWN", "stopped");
    }

    private void stopDaemon() {
        attachEpoch++;
        ManagementClient m = management;
        management = null;
        if (m != null) {
            m.close();
        }
        DaemonSupervisor d = daemon;
        daemon = null;
        if (d != null) {
            d.stop(Duration.ofSeconds(3));
        }
    }

    @Override
    public Link link() {
        Link l = link;
        DaemonSupervisor d;
        synchronized (this) {
            d = daemon;
        }
        if (d != null && !d.running() && wanted) {
            String why = d.lastExit().isEmpty() ? "not running" : d.lastExit();
            return Link("DOWN", "openvpn " + why + (fatal.isEmpty() ? "" : ": " + SafeText.escape(fatal))
                    + "; restarting in at most " + d.nextDelay().toSeconds() + " s");
        }
        ManagementClient m = management;
        if (d != null && d.running() && m != null && !m.isOpen()) {
            // openvpn runs but its management connection broke: what it said last is stale; connect again
            reattach(m);
            return Link("DOWN", "the OpenVPN management connection broke (" + SafeText.escape(m.closeReason()) + "); reconnecting to it");
        }
        return l;
    }

    /**
     * Reads OpenVPN's statistics ({@code status}): {@code TUN/TAP read/write bytes} are the packets through the tunnel,
     * {@code TCP/UDP read/write bytes} what crossed the cellular link (management-notes "COMMAND -- status").
     */
    @Override
    public Traffic traffic() {
        ManagementClient m = management;
        if (m == null) {
            return Traffic.NONE;
        }
        try {
            ManagementClient.Reply r = m.commandLines("status", COMMAND_TIMEOUT);
            return parseStatus(r.lines());
        } catch (IOException e) {
            return Traffic.NONE;
        }
    }

    static Traffic parseStatus(List<String> lines) {
        long tunRead = 0;
        long tunWrite = 0;
        long linkRead = 0;
        long linkWrite = 0;
        for (String line : lines) {
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(line.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            switch (line.substring(0, comma)) {
                case "TUN/TAP read bytes" -> tunRead = v;
                case "TUN/TAP write bytes" -> tunWrite = v;
                case "TCP/UDP read bytes" -> linkRead = v;
                case "TCP/UDP write bytes" -> linkWrite = v;
                default -> { }
            }
        }
        // read from the TUN device = sent into the tunnel; written to it = received from the tunnel
        return new Traffic(tunWrite, tunRead, linkRead, linkWrite);
    }

    /** OpenVPN's echo of the statistics Sitegate reads every tick ({@link #traffic()}): not worth a line of tunnel-log. */
    public static boolean ownPolling(String line) {
        return line.endsWith("MANAGEMENT: CMD 'status'");
    }

    @Override
    public List<String> log() {
        DaemonSupervisor d;
        synchronized (this) {
            d = daemon;
        }
        return d == null ? List.of() : d.recentOutput();
    }

    @Override
    public void close() {
        disconnect();
        try {
            Files.deleteIfExists(configFile());
        } catch (IOException e) {
            LOG.debug("tunnel {}: {}", settings.name(), e.toString());
        }
    }

    /** For tests: the endpoints OpenVPN may use now. */
    synchronized List<TunnelSettings.Endpoint> candidates() {
        return candidates;
    }

    Optional<ManagementClient> management() {
        return Optional.ofNullable(management);
    }
}
