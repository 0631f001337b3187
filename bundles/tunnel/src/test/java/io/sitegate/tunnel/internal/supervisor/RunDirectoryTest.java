package io.sitegate.tunnel.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directories of killed gateways go at the next start; those of running gateways stay. */
class RunDirectoryTest {

    @TempDir
    Path base;

    @Test
    void aKilledGatewaysDirectoryIsRemovedAtTheNextStartARunningOnesStays() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killed = stale("sitegate-tunnel-111", Long.toString(gone.pid()));
        Files.writeString(killed.resolve("primary.conf"), "client\n");
        Path running = stale("sitegate-tunnel-222", Long.toString(ProcessHandle.current().pid()));
        Path noOwner = Files.createDirectory(base.resolve("sitegate-tunnel-333"));
        Path garbled = stale("sitegate-tunnel-444", "not a pid");
        Path other = stale("something-else", Long.toString(gone.pid()));

        Path mine = RunDirectory.create(base);

        assertThat(killed).doesNotExist();
        assertThat(running).isDirectory();
        assertThat(noOwner).isDirectory();
        assertThat(garbled).isDirectory();
        assertThat(other).isDirectory();
        assertThat(mine.getFileName().toString()).startsWith("sitegate-tunnel-");
        assertThat(Files.readString(mine.resolve("owner"))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mine))).isEqualTo("rwx------");
        // a second gateway starting beside this one leaves this one's directory alone
        RunDirectory.create(base);
        assertThat(mine).isDirectory();
        assertThat(RunDirectory.delete(mine)).isTrue();
        assertThat(mine).doesNotExist();
    }

    private Path stale(String name, String owner) throws Exception {
        Path dir = Files.createDirectory(base.resolve(name));
        Files.writeString(dir.resolve("owner"), owner);
        return dir;
    }
}
