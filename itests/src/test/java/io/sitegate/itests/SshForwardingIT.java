package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Nobody tunnels through the shell: OpenSSH's own {@code ssh -L}, {@code -D}, {@code -R}, {@code -A} and
 * {@code -X}, as an admin (who may do anything else), against the gateway's SSH server. A local TCP service
 * stands for the LAN device, local service or ser2net AT port a forward would reach: it must never see a
 * connection. The SSH protocol side: RFC 4254 section 7 (direct-tcpip, tcpip-forward), 6.3 (x11-req);
 * agent forwarding is OpenSSH's auth-agent-req@openssh.com (PROTOCOL.agent).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SshForwardingIT extends SitegateTestSupport {

    private ServerSocket service;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Process> processes = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Before
    public void startService() throws Exception {
        service = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!service.isClosed()) {
                try (Socket s = service.accept()) {
                    accepted.incrementAndGet();
                    s.getOutputStream().write("SERVICE-BANNER\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "forward-target");
        t.setDaemon(true);
        t.start();
        // the service itself works: a direct connection is accepted and counted
        try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), service.getLocalPort())) {
            assertTrue(new String(s.getInputStream().readNBytes(14), StandardCharsets.US_ASCII).startsWith("SERVICE"));
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (accepted.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.yield();
        }
        assertEquals("the probe connection was counted", 1, accepted.get());
        accepted.set(0);
        assertEquals(0, asAdmin("shell:echo ready").exit());
    }

    @After
    public void stop() throws IOException {
        processes.forEach(Process::destroyForcibly);
        service.close();
    }

    @Test
    public void localForwardingIsRefused() throws Exception {
        int local = freeLocalPort();
        startSsh("-N", "-L", local + ":127.0.0.1:" + service.getLocalPort());
        awaitListening(local);
        String got = readThrough(new Socket(), new InetSocketAddress("127.0.0.1", local));
        assertFalse("no byte of the service came through: " + got, got.contains("SERVICE"));
        assertEquals("the service never saw a connection", 0, accepted.get());
        assertLogged("forwarding (direct-tcpip) to 127.0.0.1:" + service.getLocalPort());
    }

    @Test
    public void dynamicForwardingIsRefused() throws Exception {
        int socks = freeLocalPort();
        startSsh("-N", "-D", "127.0.0.1:" + socks);
        awaitListening(socks);
        Socket viaSocks = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", socks)));
        String got;
        try {
            got = readThrough(viaSocks, new InetSocketAddress("127.0.0.1", service.getLocalPort()));
        } catch (IOException refused) {
            got = "refused: " + refused.getMessage();
        }
        assertFalse("no byte of the service came through: " + got, got.contains("SERVICE"));
        assertEquals("the service never saw a connection", 0, accepted.get());
        assertLogged("forwarding (direct-tcpip) to 127.0.0.1:" + service.getLocalPort());
    }

    @Test
    public void remoteForwardingIsRefused() throws Exception {
        int remote = freeLocalPort();
        SshResult r = ssh("itadmin", "sitegate.it.adminKey", "-o", "ExitOnForwardFailure=yes", "-N",
                "-R", "127.0.0.1:" + remote + ":127.0.0.1:" + service.getLocalPort(), "");
        assertNotEquals(r.output(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("remote port forwarding failed for listen port " + remote));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", remote), 1000);
            throw new AssertionError("the gateway listens on " + remote + " for a remote forward");
        } catch (IOException expected) {
            // nothing listens there
        }
        assertEquals(0, accepted.get());
        assertLogged("remote forwarding (listen on 127.0.0.1:" + remote + ")");
    }

    @Test
    public void agentAndX11ForwardingAreRefused() throws Exception {
        // an agent with no keys is enough for the client to ask for agent forwarding
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket()).redirectErrorStream(true).start();
        processes.add(agent);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!new File(agentSocket()).exists() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<String> cmd = sshCommand("-A", "-X", "-o", "ForwardX11Trusted=yes", "-v");
        cmd.add("shell:echo session-ran");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null"));
        pb.environment().put("SSH_AUTH_SOCK", agentSocket());
        pb.environment().put("DISPLAY", "127.0.0.1:77");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the session itself still works: " + out, out.contains("session-ran"));
        assertTrue(out, out.contains("Requesting authentication agent forwarding"));
        assertLogged("agent forwarding (auth-agent-req@openssh.com) refused for user itadmin");
        assertLogged("X11 forwarding (x11-req) refused for user itadmin");
    }

    private String agentSocket;

    private String agentSocket() throws IOException {
        if (agentSocket == null) {
            agentSocket = Files.createTempDirectory("sitegate-agent").resolve("agent.sock").toString();
        }
        return agentSocket;
    }

    /** Connects through the forward and reads what arrives within 3 s (empty when the gateway closes it). */
    private static String readThrough(Socket socket, InetSocketAddress target) throws IOException {
        try (Socket s = socket) {
            s.connect(target, 5000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n = in.read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException | SocketException closed) {
            return "";
        }
    }

    private void startSsh(String... args) throws IOException {
        List<String> cmd = sshCommand(args);
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start());
    }

    private static List<String> sshCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", System.getProperty("sitegate.it.sshPort"),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-i", System.getProperty("sitegate.it.adminKey")));
        cmd.addAll(List.of(args));
        cmd.add("itadmin@127.0.0.1");
        return cmd;
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("ssh did not open its local port " + port);
    }

    private static void assertLogged(String text) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String log = "";
        while (System.currentTimeMillis() < deadline) {
            log = Files.readString(Paths.get(System.getProperty("karaf.log"), "karaf.log"));
            if (log.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("karaf.log does not say '" + text + "'");
    }

    private static int freeLocalPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
