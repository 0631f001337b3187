package io.sitegate.tools.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SitegateCtlTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int ctl(String... args) {
        out.reset();
        err.reset();
        return new SitegateCtl(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path policy(String target, long version, String sections) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Files.writeString(dir.resolve("p" + version + ".json"), "{\"version\":" + version + ",\"issuedAt\":\"" + now
                + "\",\"expiresAt\":\"" + now.plus(1, ChronoUnit.DAYS) + "\",\"target\":\"" + target + "\",\"sections\":" + sections + "}");
    }

    @Test
    void keygenSignAndVerifyAsTheGatewayWould() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(ctl("keygen", "--kid", "cloud-2026", "--out", keys.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("cloud-2026.key")))).isEqualTo("rw-------");
        assertThat(ctl("keygen", "--kid", "cloud-2026", "--out", keys.toString())).as("never overwritten").isEqualTo(1);

        Path p = policy("group:plant-7", 3, "{\"dns\":{\"upstreams\":[\"udp://10.99.0.53:53\"]}}");
        Path jws = dir.resolve("p3.jws");
        assertThat(ctl("sign", "--key", keys.resolve("cloud-2026.key").toString(), "--kid", "cloud-2026", p.toString(), "--out", jws.toString()))
                .as(err()).isZero();
        assertThat(out()).contains("version 3 for group:plant-7", "sections dns");

        Path trust = dir.resolve("trust");
        Files.createDirectories(trust);
        Files.copy(keys.resolve("cloud-2026.pem"), trust.resolve("cloud-2026.pem"));
        assertThat(ctl("verify", "--trust", trust.toString(), "--gateway", "gw-0042", "--group", "plant-7", jws.toString())).isZero();
        assertThat(out()).contains("valid: version 3");
        assertThat(ctl("verify", "--trust", trust.toString(), "--gateway", "gw-0042", jws.toString())).isEqualTo(1);
        assertThat(out()).contains("refused: OTHER_TARGET");
    }

    @Test
    void aPolicyAGatewayWouldRefuseIsNeverSigned() throws Exception {
        Path keys = dir.resolve("keys");
        ctl("keygen", "--kid", "k1", "--out", keys.toString());
        Path bad = policy("gw-1", 4, "{\"ssh\":{\"open\":true}}");
        assertThat(ctl("sign", "--key", keys.resolve("k1.key").toString(), "--kid", "k1", bad.toString(), "--out", dir.resolve("x.jws").toString()))
                .isEqualTo(1);
        assertThat(err()).contains("refused, nothing signed", "UNKNOWN_SECTION");
        assertThat(dir.resolve("x.jws")).doesNotExist();
        Path dup = Files.writeString(dir.resolve("dup.json"), "{\"version\":1,\"version\":2}");
        assertThat(ctl("sign", "--key", keys.resolve("k1.key").toString(), "--kid", "k1", dup.toString())).isEqualTo(1);
        assertThat(err()).contains("DUPLICATE_KEY");
    }

    @Test
    void usageErrorsSayWhatIsMissing() {
        assertThat(ctl()).isEqualTo(2);
        assertThat(ctl("sign", "--kid", "k")).isEqualTo(2);
        assertThat(err()).contains("--key is required");
        assertThat(ctl("launch")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'launch'");
        assertThat(ctl("keygen", "--kid", "../evil", "--out", dir.toString())).isEqualTo(2);
    }
}
