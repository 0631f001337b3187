package io.sitegate.access.internal;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the commands sent over SSH without a terminal through {@link ExecCommand}, which closes each shell
 * session when its command ends, instead of Karaf 4.4.10's command, which leaves every session's threads behind.
 *
 * <p>Bound like {@link SshForwardingGuard}: every SSH server Karaf registers (it registers one just before
 * starting it, and a new one when {@code org.apache.karaf.shell} changes) gets this factory. Karaf's SSH bundle
 * installs a plain command factory (no SCP) when SFTP is off, as Sitegate ships it; with SFTP on, SCP commands
 * would still reach Karaf's own factory, so a server found with another factory keeps it and is reported.
 */
@Component(immediate = true)
public final class SshExecCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SshExecCommands.class);

    private final CommandFactory factory;
    /** Karaf's factory of each server bound, put back when this component goes. */
    private final java.util.Map<SshServer, CommandFactory> replaced = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public SshExecCommands(@Reference SessionFactory sessions) {
        this.factory = new ExecCommandFactory(sessions);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindServer(SshServer server) {
        CommandFactory previous = server.getCommandFactory();
        if (previous != null && previous.getClass().getName().startsWith("org.apache.sshd.scp")) {
            LOG.warn("SSH server on port {} serves SCP (sftpEnabled=true): its commands keep Karaf's factory, which "
                    + "leaves each shell session's threads behind for a minute", server.getPort());
            return;
        }
        if (previous != null) {
            replaced.put(server, previous);
        }
        server.setCommandFactory(factory);
        LOG.info("SSH server on port {}: commands run in shell sessions closed when they end", server.getPort());
    }

    void unbindServer(SshServer server) {
        CommandFactory previous = replaced.remove(server);
        if (server.getCommandFactory() == factory && previous != null) {
            server.setCommandFactory(previous); // no class of this bundle stays referenced
        }
    }

    /** The factory set on the servers: one {@link ExecCommand} per command. */
    record ExecCommandFactory(SessionFactory sessions) implements CommandFactory {
        @Override
        public org.apache.sshd.server.command.Command createCommand(org.apache.sshd.server.channel.ChannelSession channel,
                                                                    String command) {
            return new ExecCommand(sessions, command);
        }
    }
}
