package io.sitegate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The distribution started the way a gateway starts it: bin/sitegate-launch, outside Pax Exam (which
 * uses its own launcher). Boots twice: the first clean stop writes the class archive, the second boot
 * uses it; both must reach READY with a clean log.
 */
public class LauncherIT {
    private static LaunchedGateway gateway;

    @BeforeClass
    public static void unpack() throws Exception {
        gateway = LaunchedGateway.unpack("launcher");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stopQuietly();
        }
    }

    @Test
    public void bootsToReadyStopsCleanlyAndReusesItsClassArchive() throws Exception {
        Path archive = gateway.home.resolve("data/cds/sitegate.jsa");
        assertFalse("no archive before the first stop", Files.exists(archive));

        bootToReady();
        gateway.stop();
        assertTrue("the first clean stop writes the class archive", Files.size(archive) > 1_000_000);

        bootToReady();
        String status = gateway.ssh("sitegate:status");
        assertTrue(status, status.contains("Ready: yes (first ready"));
        gateway.stop();

        String log = Files.readString(gateway.home.resolve("data/log/karaf.log"));
        assertFalse("no class loading errors", log.contains("NoClassDefFoundError") || log.contains("ClassNotFoundException"));
        assertEquals("ready logged once per boot", 2, log.split("Sitegate ready ", -1).length - 1);
        assertTrue("BouncyCastle is the SSH server's provider (Ed25519 keys)", log.contains("created instance of org.bouncycastle"));
    }

    private static void bootToReady() throws Exception {
        String out = gateway.start();
        gateway.awaitShell("READY after " + out, "sitegate:status --check",
                last -> last.contains("READY") && !last.contains("NOT READY"));
    }
}
