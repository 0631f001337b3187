package io.sitegate.policy.internal.audit;

import io.sitegate.policy.internal.audit.AuditVerification.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {
    static final long BIG = 64L * 1024 * 1024;
    static final int N = 10_000;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00.123Z"), ZoneOffset.UTC);

    @TempDir
    static Path shared;
    static Path tenThousand;
    static long appendMillis;

    @TempDir
    Path dir;

    @BeforeAll
    static void tenThousandAppends() throws IOException {
        tenThousand = shared.resolve("ten-thousand");
        long start = System.nanoTime();
        try (AuditLog log = new AuditLog(tenThousand, CLOCK, BIG, 4)) {
            log.open();
            for (int i = 1; i <= N; i++) {
                log.append(event(i));
            }
        }
        appendMillis = (System.nanoTime() - start) / 1_000_000;
    }

    static AuditEvent event(int i) {
        String[] types = {AuditEvent.RECEIVED, AuditEvent.VERIFIED, AuditEvent.APPLIED, AuditEvent.ROLLED_BACK};
        return new AuditEvent(types[i % types.length], i, "gw-0042", "cloud-2026", i % 2 == 0 ? "APPLIED" : "",
                "entry " + i + (i % 7 == 0 ? " with \"quotes\" and é" : ""));
    }

    /** A copy of the 10,000-entry log to tamper with, and its one file's lines. */
    private Path copy() throws IOException {
        Path to = dir.resolve("log");
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(tenThousand)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static Path only(Path log) throws IOException {
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    private static AuditVerification verify(Path log) throws IOException {
        try (AuditLog l = new AuditLog(log, CLOCK, BIG, 4)) {
            return l.verify();
        }
    }

    @Test
    void tenThousandAppendsVerify() throws IOException {
        AuditVerification v = verify(tenThousand);
        assertThat(v.status()).as(v.toString()).isEqualTo(Status.INTACT);
        assertThat(v.entries()).isEqualTo(N);
        assertThat(v.firstSeq()).isEqualTo(1);
        assertThat(v.lastSeq()).isEqualTo(N);
        System.out.println("audit: " + N + " fsynced appends in " + appendMillis + " ms");
    }

    @Test
    void oneAlteredByteIsFoundAtItsEntry() throws IOException {
        Path log = copy();
        Path file = only(log);
        byte[] bytes = Files.readAllBytes(file);
        List<Integer> starts = lineStarts(bytes);
        int seq = 5_000;
        int at = starts.get(seq - 1) + 40; // inside the line, not its newline
        bytes[at] = (byte) (bytes[at] == '7' ? '8' : '7');
        Files.write(file, bytes);

        AuditVerification v = verify(log);
        assertThat(v.status()).isEqualTo(Status.ALTERED);
        assertThat(v.seq()).isEqualTo(seq);
        assertThat(v.line()).isEqualTo(seq);
        assertThat(v.entries()).isEqualTo(seq - 1);
        assertThat(v.untampered()).isFalse();
    }

    @Test
    void aRemovedLineIsFound() throws IOException {
        Path log = copy();
        Path file = only(log);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.remove(6_999); // seq 7000
        Files.write(file, lines, StandardCharsets.UTF_8);

        AuditVerification v = verify(log);
        assertThat(v.status()).isEqualTo(Status.REMOVED);
        assertThat(v.seq()).isEqualTo(7_000);
        assertThat(v.detail()).contains("1 entries missing: seq 7000");
    }

    @Test
    void twoSwappedLinesAreFound() throws IOException {
        Path log = copy();
        Path file = only(log);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        String a = lines.get(1_233);
        lines.set(1_233, lines.get(1_234));
        lines.set(1_234, a);
        Files.write(file, lines, StandardCharsets.UTF_8);

        AuditVerification v = verify(log);
        assertThat(v.status()).isEqualTo(Status.REORDERED);
        assertThat(v.seq()).isEqualTo(1_234);
    }

    @Test
    void aForgedEntryWithItsOwnHashRecomputedBreaksTheNextLink() throws IOException {
        Path log = copy();
        Path file = only(log);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        AuditEntry real = AuditEntry.parse(lines.get(99));
        AuditEvent forged = new AuditEvent(real.event().type(), real.event().version(), real.event().target(),
                "attacker-key", real.event().outcome(), "nothing to see");
        lines.set(99, AuditEntry.next(real.seq(), real.time(), forged, real.prevHash()).line());
        Files.write(file, lines, StandardCharsets.UTF_8);

        AuditVerification v = verify(log);
        assertThat(v.status()).isEqualTo(Status.ALTERED);
        assertThat(v.seq()).isEqualTo(101);
        assertThat(v.detail()).contains("does not chain");
    }

    @Test
    void aTornLastLineIsReportedAsTornRepairedAtOpenAndTheChainGoesOn() throws IOException {
        Path log = copy();
        Path file = only(log);
        long size = Files.size(file);
        List<Integer> starts = lineStarts(Files.readAllBytes(file));
        long tornBytes = size - 57 - starts.get(starts.size() - 1);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 57); // mid-line: the last entry lost its tail and newline
        }

        AuditVerification torn = verify(log);
        assertThat(torn.status()).isEqualTo(Status.TORN);
        assertThat(torn.untampered()).isTrue();
        assertThat(torn.seq()).isEqualTo(N);
        assertThat(torn.entries()).isEqualTo(N - 1);

        try (AuditLog reopened = new AuditLog(log, CLOCK, BIG, 4)) {
            reopened.open();
            assertThat(reopened.verify().status()).isEqualTo(Status.INTACT);
            AuditEntry next = reopened.append(event(1));
            List<AuditEntry> tail = reopened.tail(2);
            assertThat(tail).hasSize(2);
            assertThat(tail.get(0).event().type()).isEqualTo(AuditEvent.REPAIRED);
            assertThat(tail.get(0).seq()).isEqualTo(N);
            assertThat(tail.get(0).event().reason()).contains(tornBytes + " bytes").doesNotContain("\n");
            assertThat(next.seq()).isEqualTo(N + 1);
            AuditVerification v = reopened.verify();
            assertThat(v.status()).as(v.toString()).isEqualTo(Status.INTACT);
            assertThat(v.lastSeq()).isEqualTo(N + 1);
        }
    }

    @Test
    void rotationBoundsTheSizeAndKeepsTheChainAcrossFiles() throws IOException {
        Path log = dir.resolve("rotating");
        try (AuditLog l = new AuditLog(log, CLOCK, 4096, 3)) {
            l.open();
            for (int i = 1; i <= 300; i++) {
                l.append(event(i));
            }
            List<Path> files = l.files();
            assertThat(files).hasSize(3);
            for (Path f : files) {
                assertThat(Files.size(f)).isLessThanOrEqualTo(4096);
            }
            for (int i = 1; i < files.size(); i++) {
                AuditEntry lastOfPrevious = AuditEntry.parse(AuditFiles.lastLine(files.get(i - 1)));
                AuditEntry firstOfNext = AuditEntry.parse(AuditFiles.read(files.get(i)).complete().get(0));
                assertThat(firstOfNext.prevHash()).isEqualTo(lastOfPrevious.hash());
                assertThat(firstOfNext.seq()).isEqualTo(lastOfPrevious.seq() + 1).isEqualTo(AuditLog.firstSeqOf(files.get(i)));
            }
            AuditVerification v = l.verify();
            assertThat(v.status()).as(v.toString()).isEqualTo(Status.INTACT);
            assertThat(v.firstSeq()).isGreaterThan(1);
            assertThat(v.lastSeq()).isEqualTo(300);
        }
        try (AuditLog reopened = new AuditLog(log, CLOCK, 4096, 3)) {
            reopened.open();
            assertThat(reopened.append(event(301)).seq()).isEqualTo(301);
            assertThat(reopened.verify().status()).isEqualTo(Status.INTACT);
        }
    }

    @Test
    void aWholeFileRemovedFromTheMiddleIsFound() throws IOException {
        Path log = dir.resolve("files");
        List<Path> files;
        try (AuditLog l = new AuditLog(log, CLOCK, 4096, 100)) {
            l.open();
            for (int i = 1; i <= 200; i++) {
                l.append(event(i));
            }
            files = l.files();
        }
        assertThat(files.size()).isGreaterThan(3);
        long missingFrom = AuditLog.firstSeqOf(files.get(1));
        Files.delete(files.get(1));
        AuditVerification v = verify(log);
        assertThat(v.status()).isEqualTo(Status.REMOVED);
        assertThat(v.seq()).isEqualTo(missingFrom);
    }

    @Test
    void reasonsAreEscapedAndCappedAndEachEntryIsOneLine() throws IOException {
        Path log = dir.resolve("escaped");
        try (AuditLog l = new AuditLog(log, CLOCK, BIG, 2)) {
            l.open();
            AuditEntry e = l.append(new AuditEvent(AuditEvent.REFUSED, 3, "gw\n-forged", "k\u001b[31m", "SCHEMA",
                    "bad\r\nline " + "x".repeat(1000)));
            assertThat(e.event().reason()).hasSize(AuditEvent.MAX_REASON).startsWith("bad\\x0d\\x0aline").endsWith("...");
            assertThat(e.event().target()).isEqualTo("gw\\x0a-forged");
            assertThat(e.event().keyId()).isEqualTo("k\\x1b[31m");
            assertThat(Files.readAllLines(l.files().get(0))).hasSize(1);
            assertThat(l.verify().status()).isEqualTo(Status.INTACT);
        }
        assertThatThrownBy(() -> new AuditEvent("Policy Applied", 0, "", "", "", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedLastEntryIsNotSilentlyContinued() throws IOException {
        Path log = dir.resolve("damaged");
        try (AuditLog l = new AuditLog(log, CLOCK, BIG, 2)) {
            l.open();
            l.append(event(1));
            l.append(event(2));
        }
        Path file;
        try (Stream<Path> s = Files.list(log)) {
            file = s.findFirst().orElseThrow();
        }
        String text = Files.readString(file).replace("entry 2", "entry 3");
        Files.writeString(file, text);
        assertThatThrownBy(() -> {
            try (AuditLog l = new AuditLog(log, CLOCK, BIG, 2)) {
                l.open();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("damaged");
    }

    @Test
    void anEmptyLogIsIntact() throws IOException {
        AuditVerification v = verify(dir.resolve("none"));
        assertThat(v.status()).isEqualTo(Status.INTACT);
        assertThat(v.entries()).isZero();
    }

    private static List<Integer> lineStarts(byte[] bytes) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\n') {
                starts.add(i + 1);
            }
        }
        return starts;
    }

    @Test
    void theLastPoliciesAreFoundBehindAThousandLogins() throws IOException {
        try (AuditLog l = new AuditLog(dir.resolve("logins"), CLOCK, BIG, 4)) {
            l.open();
            l.append(new AuditEvent(AuditEvent.RECEIVED, 1, "group:site", "lab", "", ""));
            l.append(new AuditEvent(AuditEvent.APPLIED, 1, "group:site", "lab", "APPLIED", ""));
            for (int i = 0; i < 1000; i++) {
                l.append(new AuditEvent("operator.login", 0, "operator", "", "SUCCESS", "over SSH from 10.77.1.1"));
            }
            List<AuditEntry> policies = l.tail(20, e -> e.event().type().startsWith("policy."));
            assertThat(policies).extracting(e -> e.event().type()).containsExactly(AuditEvent.RECEIVED, AuditEvent.APPLIED);
            assertThat(l.tail(1, e -> e.event().type().startsWith("policy."))).extracting(e -> e.event().type())
                    .containsExactly(AuditEvent.APPLIED);
            assertThat(l.tail(3)).extracting(e -> e.event().type()).containsOnly("operator.login");
        }
    }
}
