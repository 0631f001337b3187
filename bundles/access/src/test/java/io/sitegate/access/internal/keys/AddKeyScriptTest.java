package io.sitegate.access.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/sitegate-add-key} against a copy of the shipped etc/keys.properties, with keys made by
 * ssh-keygen: exactly one OpenSSH public key of a known type is accepted, nothing a Karaf key line could read as
 * roles gets through, and only the line of exactly that user changes.
 */
class AddKeyScriptTest {
    private static final Path SCRIPT = Paths.get("../../karaf-assembly/src/main/karaf/bin/sitegate-add-key").toAbsolutePath();
    private static final Path SHIPPED_KEYS = Paths.get("../../etc/keys.properties").toAbsolutePath();

    @TempDir
    static Path keysDir;

    @TempDir
    Path home;

    static Path ed25519;
    static Path ecdsa;
    static Path rsa;
    static Path rsa1024;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void keys() throws Exception {
        ed25519 = keygen("ed", "-t", "ed25519");
        ecdsa = keygen("ec", "-t", "ecdsa", "-b", "256");
        rsa = keygen("rsa", "-t", "rsa", "-b", "2048");
        rsa1024 = keygen("rsa1024", "-t", "rsa", "-b", "1024");
    }

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("etc"));
        Path script = home.resolve("bin/sitegate-add-key");
        Files.copy(SCRIPT, script);
        script.toFile().setExecutable(true);
        Path keys = home.resolve("etc/keys.properties");
        Files.writeString(keys, Files.readString(SHIPPED_KEYS) + "axb=AAAAC3NzaC1lZDI1NTE5AAAAIOther,_g_:viewergroup\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void eachKnownTypeIsAddedWithItsRole() throws Exception {
        assertThat(add("alice", pub(ed25519), "viewer").output()).contains("added ssh-ed25519 key for 'alice' as viewer");
        assertThat(add("bob", pub(ecdsa), "admin").output()).contains("added ecdsa-sha2-nistp256 key for 'bob' as admin");
        assertThat(add("carol", pub(rsa)).output()).contains("added ssh-rsa key for 'carol' as admin");
        List<String> lines = Files.readAllLines(home.resolve("etc/keys.properties"));
        assertThat(lines).contains("alice=" + blob(ed25519) + ",_g_:viewergroup", "bob=" + blob(ecdsa) + ",_g_:admingroup",
                "carol=" + blob(rsa) + ",_g_:admingroup");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/keys.properties"))))
                .as("the file keeps its mode").isEqualTo("rw-------");
    }

    @Test
    void replacesOnlyTheLineOfExactlyThatUser() throws Exception {
        String before = Files.readString(home.resolve("etc/keys.properties"));
        assertThat(add("a.b", pub(ed25519)).exit()).isZero();
        assertThat(add("a.b", pub(ecdsa), "viewer").exit()).isZero();
        List<String> lines = Files.readAllLines(home.resolve("etc/keys.properties"));
        assertThat(lines).filteredOn(l -> l.startsWith("a.b=")).containsExactly("a.b=" + blob(ecdsa) + ",_g_:viewergroup");
        assertThat(lines).as("'a.b' is not a pattern: axb stays").contains("axb=AAAAC3NzaC1lZDI1NTE5AAAAIOther,_g_:viewergroup");
        String after = Files.readString(home.resolve("etc/keys.properties"));
        assertThat(after).startsWith(before.substring(0, before.indexOf("axb=")));
    }

    @Test
    void refusesAnythingButOnePlainPublicKey() throws Exception {
        String ed = Files.readString(pub(ed25519)).strip();
        String[] parts = ed.split(" ");
        refused(file("two.pub", ed + "\n" + Files.readString(pub(ecdsa))), "exactly one public key line");
        refused(file("opts.pub", "from=\"10.0.0.0/8\" " + ed + "\n"), "authorized_keys options");
        refused(file("cmd.pub", "command=\"/bin/sh\" " + ed + "\n"), "authorized_keys options");
        refused(file("roles.pub", parts[0] + " " + parts[1] + ",_g_:admingroup " + parts[2] + "\n"), "not base64");
        refused(file("garbage.pub", "hello world\n"), "known type");
        refused(file("empty.pub", ""), "exactly one public key line");
        refused(file("dss.pub", "ssh-dss AAAAB3NzaC1kc3MAAACB\n"), "known type");
        refused(file("mismatch.pub", "ssh-ed25519 " + blob(ecdsa) + "\n"), "its contents are 'ecdsa-sha2-nistp256'");
        refused(file("truncated.pub", "ssh-ed25519 " + parts[1].substring(0, 20) + "\n"), "");
        refused(ed25519, "private key");
        refused(pub(rsa1024), "at least 2048 bits");
        // a comment that tries to add roles is dropped: the line written holds the key and the chosen group only
        assertThat(add("dave", file("comment.pub", ed + ",_g_:admingroup\n"), "viewer").exit()).isZero();
        assertThat(Files.readAllLines(home.resolve("etc/keys.properties")))
                .contains("dave=" + parts[1] + ",_g_:viewergroup");
    }

    @Test
    void refusesBadUserNamesAndRoles() throws Exception {
        for (String user : List.of("_g_", "_g_:admingroup", ".hidden", "-x", "a b", "a=b", "a,b", "", "ü")) {
            Result r = add(user, pub(ed25519));
            assertThat(r.exit()).as(user + ": " + r.output()).isEqualTo(2);
        }
        assertThat(add("eve", pub(ed25519), "root").exit()).isEqualTo(2);
        assertThat(Files.readString(home.resolve("etc/keys.properties"))).doesNotContain("eve=");
    }

    private void refused(Path keyFile, String message) throws Exception {
        String before = Files.readString(home.resolve("etc/keys.properties"));
        Result r = add("mallory", keyFile);
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains(message);
        assertThat(Files.readString(home.resolve("etc/keys.properties"))).as("nothing written").isEqualTo(before);
    }

    private Result add(String user, Path key, String... role) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/sitegate-add-key").toString(), user, key.toString()));
        cmd.addAll(List.of(role));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(home.resolve(name), content);
    }

    private static Path keygen(String name, String... type) throws Exception {
        Path key = keysDir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name + "@test", "-f", key.toString()));
        cmd.addAll(List.of(type));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return key;
    }

    private static Path pub(Path key) {
        return Paths.get(key + ".pub");
    }

    private static String blob(Path key) throws IOException {
        return Files.readString(pub(key)).split(" ")[1];
    }
}
