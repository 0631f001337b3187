package io.sitegate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFilesTest {
    @TempDir
    Path dir;

    @Test
    void theFileReadsBackAsTheSameValuesAndNoTemporaryFileIsLeft() throws Exception {
        Path file = Files.writeString(dir.resolve("io.sitegate.dns.cfg"), "listen = 127.0.0.1:53\n# a comment\n");
        Map<String, String> values = new TreeMap<>(Map.of("listen", "10.0.0.1:53", "upstreams", "udp://9.9.9.9:53,tls://1.1.1.1:853#one",
                "odd key", " leading blank, back\\slash", "firewall.deny", "ads.example:1=2"));

        CfgFiles.write(file, values, "section dns");

        Properties read = new Properties();
        read.load(new StringReader(Files.readString(file)));
        Map<String, String> back = new TreeMap<>();
        read.forEach((k, v) -> back.put((String) k, (String) v));
        assertThat(back).isEqualTo(values);
        assertThat(Files.readString(file)).startsWith("# The configuration in force, written by Sitegate (section dns)");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("io.sitegate.dns.cfg");
        }
    }

    @Test
    void aFilenameFromFileInstallIsAFileUrlOrAPath() {
        assertThat(CfgFiles.fileOf("file:/opt/sitegate/etc/io.sitegate.dns.cfg")).isEqualTo(Path.of("/opt/sitegate/etc/io.sitegate.dns.cfg"));
        assertThat(CfgFiles.fileOf("/opt/sitegate/etc/x.cfg")).isEqualTo(Path.of("/opt/sitegate/etc/x.cfg"));
        assertThat(CfgFiles.fileOf(null)).isNull();
    }

    @Test
    void deletingRemovesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("io.sitegate.modem-wan1.cfg"), "port = /dev/ttyUSB2\n");
        CfgFiles.delete(file);
        assertThat(file).doesNotExist();
        CfgFiles.delete(file); // gone already: fine
    }

    /** File Install notices a deletion only at its next scan: a file written again before that waits for it. */
    @Test
    void aRecentlyDeletedFileIsWrittenAgainOnlyAfterFileInstallHasSeenTheDeletion() throws Exception {
        Path file = Files.writeString(dir.resolve("io.sitegate.tunnel-backup.cfg"), "type = openvpn\n");
        long deleted = System.currentTimeMillis();
        CfgFiles.delete(file);
        CfgFiles.write(file, Map.of("type", "openvpn"), "restored snapshot", 400);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(deleted + 400);
        assertThat(Files.readString(file)).contains("type = openvpn");
        // written since: no longer recently deleted, no wait (a settle of a minute would show)
        long t = System.currentTimeMillis();
        CfgFiles.write(file, Map.of("type", "ipsec"), "section tunnels", 60_000);
        assertThat(System.currentTimeMillis() - t).isLessThan(30_000);
        assertThat(Files.readString(file)).contains("type = ipsec");
    }
}
