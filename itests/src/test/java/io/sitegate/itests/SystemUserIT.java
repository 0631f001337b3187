package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The README's install section, followed to the letter: the distribution owned by a system user of its own,
 * started as that user. It boots to READY, the JVM runs with that user's uid, and what only the gateway may
 * read (the shutdown command Karaf generates into etc/config.properties, the host key, the state store, logs)
 * is closed to every other local user. Needs root (useradd, runuser), as CI has.
 */
public class SystemUserIT {
    private static final String USER = "sitegate-it";
    private static LaunchedGateway gateway;

    @BeforeClass
    public static void install() throws Exception {
        assumeTrue("needs root for useradd and runuser", "root".equals(System.getProperty("user.name")));
        gateway = LaunchedGateway.unpack("system-user");
        LaunchedGateway.run(List.of("sh", "-c", "id -u " + USER + " >/dev/null 2>&1 || useradd --system --home-dir "
                + gateway.home + " --shell /usr/sbin/nologin " + USER), 30);
        LaunchedGateway.run(List.of("chown", "-R", USER + ":" + USER, gateway.home.toString()), 30);
        LaunchedGateway.run(List.of("chmod", "700", gateway.home.resolve("etc").toString(), gateway.home.resolve("data").toString()), 30);
        // the test's own folders above the installation must be traversable by the user
        for (Path p = gateway.home.getParent(); p != null && !p.toString().equals("/"); p = p.getParent()) {
            LaunchedGateway.run(List.of("chmod", "o+x", p.toString()), 10);
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stopQuietly();
        }
    }

    @Test
    public void theDistributionShipsNoHostKeyAndNoOperator() throws Exception {
        String listing = LaunchedGateway.run(List.of("tar", "tzf", System.getProperty("sitegate.distribution")), 60);
        assertFalse("no SSH host key in the tarball", listing.contains("etc/host.key"));
        String keys = LaunchedGateway.run(List.of("tar", "xzOf", System.getProperty("sitegate.distribution"),
                "sitegate-karaf-" + System.getProperty("sitegate.version") + "/etc/keys.properties"), 60);
        assertTrue("no operator key shipped: " + keys, keys.lines().allMatch(l -> l.isBlank() || l.startsWith("#") || l.startsWith("_g_")));
    }

    @Test
    public void runsAsItsOwnUserAndKeepsItsFilesToItself() throws Exception {
        String out = gateway.startAs(USER);
        assertFalse(out, out.contains("running as root"));
        gateway.awaitShell("READY as " + USER + ": " + out, "sitegate:status --check",
                last -> last.contains("READY") && !last.contains("NOT READY"));

        String uid = LaunchedGateway.run(List.of("ps", "-o", "uid=", "-p", gateway.pid()), 10).trim();
        assertEquals("the JVM runs as the gateway's user",
                LaunchedGateway.run(List.of("id", "-u", USER), 10).trim(), uid);
        assertNotEquals("not as root", "0", uid);

        Path config = gateway.home.resolve("etc/config.properties");
        assertTrue("Karaf generated its shutdown command", Files.readString(config).contains("karaf.shutdown.command"));
        assertEquals("rw-------", mode(config));
        assertEquals("rwx------", mode(gateway.home.resolve("etc")));
        assertEquals("rwx------", mode(gateway.home.resolve("data")));
        assertEquals("rw-------", mode(gateway.home.resolve("etc/host.key")));
        try (Stream<Path> written = Files.walk(gateway.home.resolve("data/sitegate"))) {
            for (Path p : written.toList()) {
                assertFalse(p + " is " + mode(p), mode(p).substring(3).contains("r") || mode(p).substring(3).contains("w"));
            }
        }
        assertFalse(mode(gateway.home.resolve("data/log/karaf.log")).substring(3).contains("r"));

        // another local user cannot read the shutdown command (or anything else under etc/ and data/)
        String other = LaunchedGateway.run(List.of("runuser", "-u", "nobody", "--", "cat", config.toString()), 10);
        assertTrue(other, other.contains("Permission denied"));
        assertFalse(other, other.contains("karaf.shutdown.command"));
        String log = LaunchedGateway.run(List.of("runuser", "-u", "nobody", "--", "cat",
                gateway.home.resolve("data/log/karaf.log").toString()), 10);
        assertTrue(log, log.contains("Permission denied"));

        // nothing listens beyond loopback: SSH on 127.0.0.1 and Karaf's shutdown port on localhost (the
        // shipped DNS listener waits for br-lan, which this machine does not have)
        String listening = LaunchedGateway.run(List.of("ss", "-Hltunp"), 10);
        String pid = gateway.pid();
        List<String> ours = listening.lines().filter(l -> l.contains("pid=" + pid + ",")).toList();
        assertFalse("the gateway listens (SSH at least): " + listening, ours.isEmpty());
        for (String socket : ours) {
            String local = socket.trim().split("\\s+")[4];
            assertTrue("listens on loopback only: " + socket, local.startsWith("127.0.0.1:") || local.startsWith("[::1]:")
                    || local.startsWith("[::ffff:127.0.0.1]:"));
        }
        System.out.println("SystemUserIT: sockets of the gateway: " + ours);

        gateway.stop();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
