package io.sitegate.access.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import javax.security.auth.Subject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.ssh.KarafJaasAuthenticator;
import org.apache.karaf.shell.support.ShellUtil;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command sent over SSH without a terminal ({@code ssh gateway sitegate:status}), run as Karaf 4.4's own
 * {@code ShellCommand} runs it (same session, init script, subject, exit code and error text), with one
 * difference: the shell session is closed when the command ends.
 *
 * <p>Karaf 4.4.10 never closes it (KARAF-2513, fixed after that release): each command leaves the session's
 * thread pool behind for its 60-second keep-alive, about three idle threads per command. A script or a fleet
 * tool that runs commands in a loop, or one operator key of any role, thus piles up thousands of threads on a
 * gateway with a 96 MB heap until no thread can be created and SSH stops answering.
 *
 * <p>No subject on the SSH session (which Karaf's authenticator always sets after a login) means no command:
 * the command is refused instead of run with no roles.
 */
final class ExecCommand implements Command, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecCommand.class);
    static final String EXEC_INIT_SCRIPT = "karaf.exec.init.script";
    static final String SHELL_INIT_SCRIPT = "karaf.shell.init.script";

    private final SessionFactory sessionFactory;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback callback;
    private ServerSession serverSession;
    private Environment env;
    private volatile Session session;
    private volatile Thread thread;

    ExecCommand(SessionFactory sessionFactory, String command) {
        this.sessionFactory = sessionFactory;
        this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.callback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        this.env = env;
        this.serverSession = channel.getServerSession();
        thread = new Thread(this, "sitegate-ssh-exec");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        int exit = 0;
        try {
            session = sessionFactory.create(in, new PrintStream(out, false, StandardCharsets.UTF_8),
                    new PrintStream(err, false, StandardCharsets.UTF_8));
            exit = execute(session);
        } catch (Exception e) {
            exit = 1;
            LOG.error("Unable to start shell", e);
        } finally {
            closeSession();
            callback.onExit(exit);
            close(in);
            close(out);
            close(err);
            if (serverSession != null) {
                serverSession.close(false);
            }
        }
    }

    private int execute(Session session) {
        try {
            for (Map.Entry<String, String> e : env.getEnv().entrySet()) {
                session.put(e.getKey(), e.getValue());
            }
            Subject subject = serverSession == null ? null : serverSession.getAttribute(KarafJaasAuthenticator.SUBJECT_ATTRIBUTE_KEY);
            if (subject == null) {
                session.getConsole().println("Refused: the SSH session has no authenticated subject");
                return 1;
            }
            session.put(Subject.class.getName(), subject);
            Object result;
            try {
                result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> {
                    String script = System.getProperty(EXEC_INIT_SCRIPT);
                    executeScripts(script != null ? script : System.getProperty(SHELL_INIT_SCRIPT), session);
                    return session.execute(command);
                });
            } catch (PrivilegedActionException e) {
                throw e.getException();
            }
            return result instanceof Integer i ? i : 0;
        } catch (Throwable t) {
            ShellUtil.logException(session, t);
            return 1;
        }
    }

    /** Runs each script of the comma-separated list, as Karaf does; a failing script does not stop the command. */
    private static void executeScripts(String scripts, Session session) {
        if (scripts == null) {
            return;
        }
        for (String name : scripts.split(",")) {
            Path p = Paths.get(name.trim());
            if (name.isBlank() || !Files.isRegularFile(p)) {
                continue;
            }
            try {
                session.execute(String.join("\n", Files.readAllLines(p)));
            } catch (Exception e) {
                LOG.debug("Error in initialization script {}", p, e);
                if (!(e instanceof InterruptedException)) {
                    System.err.println("Error in initialization script: " + p + ": " + e.getMessage());
                }
            }
        }
    }

    private static void close(Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // the client is gone: nothing left to flush
        }
    }

    private void closeSession() {
        Session s = session;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the shell session: {}", e.toString());
            }
        }
    }

    /**
     * The client went away: a command still running (a {@code log:tail}) is interrupted and its session closed,
     * so it does not run on with nobody reading (KARAF-2513).
     */
    @Override
    public void destroy(ChannelSession channel) {
        Thread t = thread;
        if (t != null && t.isAlive() && t != Thread.currentThread()) {
            closeSession();
            t.interrupt();
        }
    }
}
