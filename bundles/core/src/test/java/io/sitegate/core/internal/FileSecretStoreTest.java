package io.sitegate.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.core.Secret;
import io.sitegate.core.SecretException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSecretStoreTest {
    @TempDir
    Path dir;
    private FileSecretStore store;

    @BeforeEach
    void setUp() throws Exception {
        store = FileSecretStore.forProcessUser(dir);
    }

    private Path secret(String name, String content, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content.getBytes(UTF_8));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void readsAnOwnerOnlyFile() throws Exception {
        secret("sim-wan0", "4711", "rw-------");
        Secret s = store.read("sim-wan0");
        assertThat(s.reveal()).isEqualTo("4711");
        assertThat(s.name()).isEqualTo("sim-wan0");
    }

    @Test
    void readOnlyForTheOwnerIsAccepted() throws Exception {
        secret("apn-pass", "s3cr3t", "r--------");
        assertThat(store.read("apn-pass").reveal()).isEqualTo("s3cr3t");
    }

    @Test
    void oneTrailingLineBreakIsStripped() throws Exception {
        secret("lf", "4711\n", "rw-------");
        secret("crlf", "4711\r\n", "rw-------");
        secret("two", "pass\n\n", "rw-------");
        assertThat(store.read("lf").reveal()).isEqualTo("4711");
        assertThat(store.read("crlf").reveal()).isEqualTo("4711");
        assertThat(store.read("two").reveal()).isEqualTo("pass\n");
    }

    @Test
    void innerWhitespaceAndNonAsciiAreKept() throws Exception {
        secret("pw", " pä ss ", "rw-------");
        assertThat(store.read("pw").reveal()).isEqualTo(" pä ss ");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> store.read("sim-wan0"))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining(dir.resolve("sim-wan0").toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("0600");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rwx------", "r---w----", "-w-------"})
    void looseOrOddModesAreRefusedWithTheActualMode(String mode) throws Exception {
        Path f = secret("sim-wan0", "4711", mode);
        String octal = FileSecretStore.octal(PosixFilePermissions.fromString(mode));
        assertThatThrownBy(() -> store.read("sim-wan0"))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("mode " + octal)
                .hasMessageContaining("expected 0600 or 0400")
                .hasMessageNotContaining("4711");
    }

    @Test
    void octalOfModes() {
        assertThat(FileSecretStore.octal(PosixFilePermissions.fromString("rw-r--r--"))).isEqualTo("0644");
        assertThat(FileSecretStore.octal(PosixFilePermissions.fromString("rwxr-x--x"))).isEqualTo("0751");
        assertThat(FileSecretStore.octal(PosixFilePermissions.fromString("---------"))).isEqualTo("0000");
    }

    @Test
    void emptyIsRefused() throws Exception {
        secret("empty", "", "rw-------");
        secret("newline", "\n", "rw-------");
        assertThatThrownBy(() -> store.read("empty")).isInstanceOf(SecretException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> store.read("newline")).isInstanceOf(SecretException.class).hasMessageContaining("is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret", "a/b", ".hidden", "..", ".", "", "a b", "sim\u001b[2J"})
    void badNamesAreRefusedBeforeTouchingTheFileSystem(String name) {
        assertThatThrownBy(() -> store.read(name))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("invalid secret name")
                .hasMessageNotContaining("\u001b");
    }

    @Test
    void nullNameIsRefused() {
        assertThatThrownBy(() -> store.read(null)).isInstanceOf(SecretException.class).hasMessageContaining("invalid secret name");
    }

    @Test
    void symbolicLinkIsRefusedEvenToAGoodFile() throws Exception {
        Path target = secret("real", "4711", "rw-------");
        Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> store.read("link")).isInstanceOf(SecretException.class)
                .hasMessageContaining("not a regular file (a symbolic link)");
    }

    @Test
    void directoryIsRefused() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> store.read("sub")).isInstanceOf(SecretException.class)
                .hasMessageContaining("not a regular file (a directory)");
    }

    @Test
    void fileOfAnotherUserIsRefused() throws Exception {
        secret("sim-wan0", "4711", "rw-------");
        UserPrincipal other = () -> "someone-else";
        FileSecretStore strict = new FileSecretStore(dir, other);
        assertThatThrownBy(() -> strict.read("sim-wan0")).isInstanceOf(SecretException.class)
                .hasMessageContaining("is owned by " + System.getProperty("user.name"))
                .hasMessageContaining("expected someone-else");
    }

    @Test
    void tooLargeIsRefused() throws Exception {
        secret("big", "x".repeat(FileSecretStore.MAX_BYTES + 1), "rw-------");
        assertThatThrownBy(() -> store.read("big")).isInstanceOf(SecretException.class).hasMessageContaining("limit");
    }

    @Test
    void notUtf8IsRefused() throws Exception {
        Path f = dir.resolve("bin");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> store.read("bin")).isInstanceOf(SecretException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void aModeLoosenedLaterIsRefusedFromThenOn() throws Exception {
        Path f = secret("sim-wan0", "4711", "rw-------");
        assertThat(store.read("sim-wan0").reveal()).isEqualTo("4711");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> store.read("sim-wan0")).hasMessageContaining("mode 0644");
    }
}
