package io.sitegate.tools.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real serial path: socat pty pair, the host opening its end by path as jSerialComm would. */
class SocatPtyEndToEndTest {

    private static boolean socatInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void gatewayTalksToTheSimulatorOverAPty(@TempDir Path dir) throws Exception {
        assumeTrue(socatInstalled(), "socat not installed");
        Path link = dir.resolve("modem");
        SocatEndpoint endpoint = new SocatEndpoint(link);
        try (ModemSimulator sim = new ModemSimulator(Vendor.QUECTEL_EC25, endpoint)) {
            sim.apply("set imei 490154203237518");
            sim.start();
            assertThat(Files.exists(link)).isTrue();
            FileChannel read = FileChannel.open(link, StandardOpenOption.READ);
            FileChannel write = FileChannel.open(link, StandardOpenOption.WRITE);
            try (TestHost host = new TestHost(Channels.newInputStream(read), Channels.newOutputStream(write), () -> {
                read.close();
                write.close();
            })) {
                assertThat(host.command("ATE0")).endsWith("OK");
                assertThat(host.command("AT+CGSN")).endsWith("490154203237518", "OK");
                sim.apply("set sim pin 1234");
                assertThat(host.awaitLines(l -> l.startsWith("+CPIN"))).containsExactly("+CPIN: SIM PIN");
                assertThat(host.command("AT+CPIN=1234")).containsExactly("OK");
                assertThat(sim.journal().commands()).contains("AT+CGSN", "AT+CPIN=****");
            }
        }
        // socat is gone with the simulator, and so is the host's device
        long deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
        while (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void serveAnExistingPtyByPath(@TempDir Path dir) throws Exception {
        assumeTrue(socatInstalled(), "socat not installed");
        Path host = dir.resolve("modem");
        Path simSide = dir.resolve("modem-sim");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + simSide)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TestHost.TIMEOUT.toNanos();
            while (!(Files.exists(host) && Files.exists(simSide)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            try (ModemSimulator sim = new ModemSimulator(Vendor.SIMCOM_SIM7600, new PtyEndpoint(simSide))) {
                sim.start();
                FileChannel read = FileChannel.open(host, StandardOpenOption.READ);
                FileChannel write = FileChannel.open(host, StandardOpenOption.WRITE);
                try (TestHost h = new TestHost(Channels.newInputStream(read), Channels.newOutputStream(write), () -> {
                    read.close();
                    write.close();
                })) {
                    assertThat(h.command("AT+CICCID")).endsWith("+ICCID: 89490200001234567890", "OK");
                }
            }
        } finally {
            socat.destroy();
            socat.waitFor();
        }
    }
}
