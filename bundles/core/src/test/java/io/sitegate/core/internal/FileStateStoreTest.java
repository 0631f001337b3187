package io.sitegate.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sitegate.core.CorruptStateException;
import io.sitegate.core.StateStore;
import io.sitegate.core.StateStoreException;
import io.sitegate.core.StoredState;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    @TempDir
    Path dir;

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private FileStateStore store;

    @BeforeEach
    void open() throws Exception {
        store = newStore(dir);
        store.open();
    }

    private FileStateStore newStore(Path d) {
        return new FileStateStore(d, (key, problem, recovered) -> problems.add(key + ": " + problem + " recovered=" + recovered),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void nothingStoredReadsEmpty() throws Exception {
        assertThat(store.read("cellular.binding")).isEmpty();
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void writeReplacesAtomicallyAndKeepsThePreviousGeneration() throws Exception {
        store.write("cellular.binding", "first".getBytes(UTF_8));
        store.write("cellular.binding", "second".getBytes(UTF_8));

        StoredState s = store.read("cellular.binding").orElseThrow();
        assertThat(new String(s.content(), UTF_8)).isEqualTo("second");
        assertThat(s.generation()).isEqualTo(2);
        assertThat(s.recovered()).isFalse();
        assertThat(s.written()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        StateFileFormat.Decoded prev = StateFileFormat.decode(Files.readAllBytes(dir.resolve("cellular.binding.state.prev")));
        assertThat(new String(prev.content(), UTF_8)).isEqualTo("first");
        assertThat(prev.generation()).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("cellular.binding.state", "cellular.binding.state.prev");
        }
        assertThat(store.keys()).containsExactly("cellular.binding");
        assertThat(problems).isEmpty();
    }

    @Test
    void tornCurrentFileIsDetectedAndThePreviousGenerationUsed() throws Exception {
        store.write("quota", "{\"used\":100}".getBytes(UTF_8));
        store.write("quota", "{\"used\":200}".getBytes(UTF_8));
        Path current = dir.resolve("quota.state");
        try (RandomAccessFile f = new RandomAccessFile(current.toFile(), "rw")) {
            f.setLength(f.length() - 5); // power lost in the middle of the content
        }

        StoredState s = store.read("quota").orElseThrow();

        assertThat(new String(s.content(), UTF_8)).isEqualTo("{\"used\":100}");
        assertThat(s.recovered()).isTrue();
        assertThat(s.problem()).get().asString().contains("torn");
        assertThat(problems).singleElement().asString().contains("quota: current generation torn").contains("recovered=true");
    }

    @Test
    void truncatedInsideTheHeaderIsTorn() throws Exception {
        store.write("quota", "a".getBytes(UTF_8));
        store.write("quota", "b".getBytes(UTF_8));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("quota.state").toFile(), "rw")) {
            f.setLength(10);
        }
        assertThat(store.read("quota").orElseThrow().problem()).get().asString().contains("shorter than the 32-byte header");
    }

    @Test
    void corruptChecksumIsReportedNeverSilentlyUsed() throws Exception {
        store.write("policy", "good".getBytes(UTF_8));
        store.write("policy", "newer".getBytes(UTF_8));
        flipLastByte(dir.resolve("policy.state"));

        StoredState s = store.read("policy").orElseThrow();

        assertThat(new String(s.content(), UTF_8)).isEqualTo("good");
        assertThat(s.problem()).get().asString().contains("checksum mismatch");
    }

    @Test
    void everyGenerationCorruptThrowsAndInventsNothing() throws Exception {
        store.write("policy", "one".getBytes(UTF_8));
        store.write("policy", "two".getBytes(UTF_8));
        flipLastByte(dir.resolve("policy.state"));
        flipLastByte(dir.resolve("policy.state.prev"));

        assertThatThrownBy(() -> store.read("policy"))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("state 'policy'")
                .hasMessageContaining("current generation checksum mismatch")
                .hasMessageContaining("previous generation checksum mismatch");
        assertThat(problems).singleElement().asString().contains("recovered=false");
    }

    @Test
    void corruptSingleGenerationThrows() throws Exception {
        store.write("policy", "one".getBytes(UTF_8));
        flipLastByte(dir.resolve("policy.state"));
        assertThatThrownBy(() -> store.read("policy")).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("no previous generation");
    }

    @Test
    void writingOverACorruptCurrentKeepsTheGoodPreviousGeneration() throws Exception {
        store.write("k", "one".getBytes(UTF_8));
        store.write("k", "two".getBytes(UTF_8));
        flipLastByte(dir.resolve("k.state"));

        store.write("k", "three".getBytes(UTF_8));

        assertThat(new String(store.read("k").orElseThrow().content(), UTF_8)).isEqualTo("three");
        StateFileFormat.Decoded prev = StateFileFormat.decode(Files.readAllBytes(dir.resolve("k.state.prev")));
        assertThat(new String(prev.content(), UTF_8)).isEqualTo("one");
        // the corrupt generation never counted: numbering continues from the last valid one
        assertThat(store.read("k").orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void interruptedBetweenTheTwoRenamesFallsBackToThePreviousGeneration() throws Exception {
        store.write("k", "one".getBytes(UTF_8));
        store.write("k", "two".getBytes(UTF_8));
        Files.delete(dir.resolve("k.state")); // as if power was lost after current -> prev

        StoredState s = store.read("k").orElseThrow();
        assertThat(new String(s.content(), UTF_8)).isEqualTo("one");
        assertThat(s.problem()).get().asString().contains("missing");
    }

    @Test
    void leftoverTemporaryFilesAreRemovedOnOpen() throws Exception {
        store.write("k", "one".getBytes(UTF_8));
        Files.write(dir.resolve("k.state.tmp-1234"), "half".getBytes(UTF_8));

        FileStateStore reopened = newStore(dir);
        reopened.open();

        assertThat(Files.exists(dir.resolve("k.state.tmp-1234"))).isFalse();
        assertThat(new String(reopened.read("k").orElseThrow().content(), UTF_8)).isEqualTo("one");
    }

    @Test
    void concurrentWritersAreSerialised() throws Exception {
        int threads = 8;
        int writesEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        List<String> badReads = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < writesEach; i++) {
                    store.write("counter", ("writer-" + id + "-" + i).getBytes(UTF_8));
                }
                return null;
            }));
        }
        futures.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 200; i++) {
                store.read("counter").ifPresent(s -> {
                    if (s.recovered() || !new String(s.content(), UTF_8).startsWith("writer-")) {
                        badReads.add(s.toString());
                    }
                });
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        StoredState last = store.read("counter").orElseThrow();
        assertThat(last.generation()).isEqualTo((long) threads * writesEach);
        assertThat(badReads).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void directoryThatIsAFileGivesAClearError() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        FileStateStore broken = newStore(file.resolve("state"));

        assertThatThrownBy(broken::open)
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("cannot create state directory " + file.resolve("state"));
        assertThatThrownBy(() -> broken.write("k", new byte[1]))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("cannot write state 'k'");
    }

    @Test
    void nonWritableDirectoryGivesAClearError() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores directory permissions");
        Path ro = dir.resolve("ro");
        Files.createDirectory(ro);
        FileStateStore s = newStore(ro);
        s.open();
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> s.write("k", new byte[1]))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("cannot write state 'k' in " + ro)
                    .hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void invalidKeysAndOversizedDocumentsAreRefused() {
        assertThatThrownBy(() -> store.write("../etc/passwd", new byte[1])).hasMessageContaining("invalid state key '../etc/passwd'");
        assertThatThrownBy(() -> store.write("Upper", new byte[1])).hasMessageContaining("invalid state key");
        assertThatThrownBy(() -> store.read("")).hasMessageContaining("invalid state key");
        assertThatThrownBy(() -> store.write("big", new byte[StateStore.MAX_DOCUMENT_BYTES + 1]))
                .hasMessageContaining("exceed the limit");
    }

    @Test
    void deleteRemovesEveryGeneration() throws Exception {
        store.write("k", "one".getBytes(UTF_8));
        store.write("k", "two".getBytes(UTF_8));
        assertThat(store.delete("k")).isTrue();
        assertThat(store.read("k")).isEmpty();
        assertThat(store.delete("k")).isFalse();
    }

    @Test
    void filesAreWrittenOwnerOnlyWhateverTheUmask() throws Exception {
        store.write("cellular.binding", "one".getBytes(UTF_8));
        store.write("cellular.binding", "two".getBytes(UTF_8));
        assertThat(mode(dir.resolve("cellular.binding.state"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("cellular.binding.state.prev"))).isEqualTo("rw-------");
    }

    @Test
    void createdDirectoriesAreOwnerOnly() throws Exception {
        Path nested = dir.resolve("data").resolve("sitegate").resolve("state");
        FileStateStore s = newStore(nested);
        s.open();
        s.write("k", "v".getBytes(UTF_8));
        assertThat(mode(nested)).isEqualTo("rwx------");
        assertThat(mode(nested.getParent())).isEqualTo("rwx------");
        assertThat(mode(nested.resolve("k.state"))).isEqualTo("rw-------");
    }

    @Test
    void openTightensExistingFilesAndTheDirectoryNeverLoosens() throws Exception {
        Path d = dir.resolve("old");
        Files.createDirectory(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path loose = Files.write(d.resolve("quota.state"), new byte[] {1});
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw-r--"));
        Path readOnly = Files.write(d.resolve("binding.state.prev"), new byte[] {1});
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r-----"));
        Path other = Files.write(d.resolve("notes.txt"), new byte[] {1});
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwxrwxrwx"));

        newStore(d).open();

        assertThat(mode(d)).isEqualTo("rwx------");
        assertThat(mode(loose)).isEqualTo("rw-------");
        assertThat(mode(readOnly)).isEqualTo("r--------");
        assertThat(mode(other)).isEqualTo("rw-------");
    }

    @Test
    void openDoesNotFollowLinksWhenTightening() throws Exception {
        Path outside = Files.write(dir.resolve("outside.txt"), new byte[] {1});
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Path d = dir.resolve("linked");
        Files.createDirectory(d);
        Files.createSymbolicLink(d.resolve("x.state"), outside);
        newStore(d).open();
        assertThat(mode(outside)).isEqualTo("rw-r--r--");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static void flipLastByte(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 0x5A;
        Files.write(file, b);
    }
}
