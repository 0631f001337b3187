package io.sitegate.policy.internal.audit;

import io.sitegate.core.StateStore;
import io.sitegate.core.internal.FileStateStore;
import io.sitegate.policy.internal.audit.AuditVerification.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.sitegate.policy.internal.audit.AuditLogTest.CLOCK;
import static io.sitegate.policy.internal.audit.AuditLogTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The chain's ends kept in the state store: what a hash chain alone cannot show. */
class AuditAnchorTest {
    @TempDir
    Path dir;
    Path log;
    StateStore store;

    @BeforeEach
    void open() throws IOException {
        log = dir.resolve("audit");
        FileStateStore files = new FileStateStore(dir.resolve("state"), (k, p, r) -> { }, CLOCK);
        files.open();
        store = files;
    }

    private AuditLog anchored(long maxFileBytes, int maxFiles) throws IOException {
        AuditLog l = new AuditLog(log, CLOCK, maxFileBytes, maxFiles, store);
        l.open();
        return l;
    }

    private void cutLastLines(Path file, int n) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Files.write(file, lines.subList(0, lines.size() - n), StandardCharsets.UTF_8);
    }

    @Test
    void entriesCutOffTheEndShowAndStayVisibleAfterMoreAppends() throws IOException {
        Path file;
        try (AuditLog l = anchored(1 << 20, 2)) {
            for (int i = 1; i <= 50; i++) {
                l.append(event(i));
            }
            file = l.files().get(0);
        }
        cutLastLines(file, 3);

        try (AuditLog l = anchored(1 << 20, 2)) {
            AuditVerification v = l.verify();
            assertThat(v.status()).isEqualTo(Status.REMOVED);
            assertThat(v.seq()).isEqualTo(48);
            assertThat(v.detail()).contains("cut off the end");
            assertThat(l.append(event(51)).seq()).isEqualTo(51);
            AuditVerification after = l.verify();
            assertThat(after.status()).isEqualTo(Status.REMOVED);
            assertThat(after.seq()).isEqualTo(48);
        }
    }

    @Test
    void withoutAnAnchorACutOffEndDoesNotShow() throws IOException {
        try (AuditLog l = new AuditLog(log, CLOCK, 1 << 20, 2)) {
            l.open();
            for (int i = 1; i <= 20; i++) {
                l.append(event(i));
            }
            cutLastLines(l.files().get(0), 2);
            assertThat(l.verify().status()).isEqualTo(Status.INTACT);
        }
    }

    @Test
    void anEntryAppendedButNotYetAnchoredIsNoProblem() throws IOException {
        try (AuditLog l = anchored(1 << 20, 2)) {
            for (int i = 1; i <= 10; i++) {
                l.append(event(i));
            }
        }
        try (AuditLog unanchored = new AuditLog(log, CLOCK, 1 << 20, 2)) {
            unanchored.open();
            unanchored.append(event(11)); // as if the power went between the log's fsync and the anchor's write
        }
        try (AuditLog l = anchored(1 << 20, 2)) {
            assertThat(l.verify().status()).isEqualTo(Status.INTACT);
            assertThat(l.append(event(12)).seq()).isEqualTo(12);
            assertThat(l.verify().status()).isEqualTo(Status.INTACT);
        }
    }

    @Test
    void theOldestFileDeletedByHandShowsWhileRotationDoesNot() throws IOException {
        try (AuditLog l = anchored(4096, 3)) {
            for (int i = 1; i <= 300; i++) {
                l.append(event(i));
            }
            AuditVerification v = l.verify();
            assertThat(v.status()).as(v.toString()).isEqualTo(Status.INTACT);
            assertThat(v.firstSeq()).isGreaterThan(1);
            Files.delete(l.files().get(0));
            AuditVerification cut = l.verify();
            assertThat(cut.status()).isEqualTo(Status.REMOVED);
            assertThat(cut.seq()).isEqualTo(v.firstSeq());
            assertThat(cut.detail()).contains("oldest entries were deleted");
        }
    }

    @Test
    void aRewrittenChainFromTheAnchoredHeadShows() throws IOException {
        Path file;
        try (AuditLog l = anchored(1 << 20, 2)) {
            for (int i = 1; i <= 5; i++) {
                l.append(event(i));
            }
            file = l.files().get(0);
        }
        // an attacker replaces the last entry with a well-formed, well-chained forgery
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        AuditEntry real = AuditEntry.parse(lines.get(4));
        AuditEvent forged = new AuditEvent(real.event().type(), 5, "gw-0042", "other", "", "forged");
        lines.set(4, AuditEntry.next(5, real.time(), forged, real.prevHash()).line());
        Files.write(file, lines, StandardCharsets.UTF_8);
        try (AuditLog l = anchored(1 << 20, 2)) {
            AuditVerification v = l.verify();
            assertThat(v.status()).isEqualTo(Status.ALTERED);
            assertThat(v.seq()).isEqualTo(5);
        }
    }
}
