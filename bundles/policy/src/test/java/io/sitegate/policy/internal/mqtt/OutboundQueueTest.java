package io.sitegate.policy.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitegate.policy.internal.mqtt.OutboundQueue.Limits;
import io.sitegate.policy.internal.mqtt.OutboundQueue.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class OutboundQueueTest {
    private static final Limits SMALL_SEGMENTS = new Limits(1000, 1 << 20, 1024, 512);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> payloads(List<Message> messages) {
        return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    private static List<String> drain(OutboundQueue q) throws IOException {
        List<String> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> batch = q.peek(after, 100);
            if (batch.isEmpty()) {
                return out;
            }
            out.addAll(payloads(batch));
            after = batch.get(batch.size() - 1).seq();
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void keepsOrderAndFieldsAndRemovesOnlyWhatWasAcknowledged() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            long a = q.append("sitegate/gw1/events", bytes("a"), 1, false);
            long b = q.append("sitegate/gw1/acks", bytes("b"), 1, true);
            q.append("sitegate/gw1/events", bytes("c"), 0, false);
            List<Message> all = q.peek(0, 10);
            assertThat(all).extracting(Message::seq).containsExactly(a, b, b + 1);
            assertThat(all.get(1).topic()).isEqualTo("sitegate/gw1/acks");
            assertThat(all.get(1).retained()).isTrue();
            assertThat(all.get(2).qos()).isZero();
            assertThat(payloads(q.peek(a, 1))).containsExactly("b");

            q.removeThrough(a);
            assertThat(payloads(q.peek(0, 10))).containsExactly("b", "c");
            assertThat(q.size()).isEqualTo(2);
        }
    }

    @Test
    void dropsTheOldestWhenFullAndPersistsTheCounter() throws IOException {
        Limits three = new Limits(3, 1 << 20, 1024, 512);
        try (OutboundQueue q = OutboundQueue.open(dir, three)) {
            for (int i = 1; i <= 5; i++) {
                q.append("t", bytes("m" + i), 1, false);
            }
            assertThat(drain(q)).containsExactly("m3", "m4", "m5");
            assertThat(q.dropped()).isEqualTo(2);
        }
        try (OutboundQueue q = OutboundQueue.open(dir, three)) {
            assertThat(q.dropped()).isEqualTo(2);
            assertThat(drain(q)).containsExactly("m3", "m4", "m5");
        }
    }

    @Test
    void boundsBytesToo() throws IOException {
        Limits bytes = new Limits(1000, 2048, 1024, 512);
        try (OutboundQueue q = OutboundQueue.open(dir, bytes)) {
            for (int i = 0; i < 20; i++) {
                q.append("t", new byte[400], 1, false);
            }
            assertThat(q.bytes()).isLessThanOrEqualTo(2048);
            assertThat(q.size()).isEqualTo(4);
            assertThat(q.dropped()).isEqualTo(16);
            assertThat(q.peek(0, 1).get(0).seq()).isEqualTo(17);
            assertThatThrownBy(() -> q.append("t", new byte[600], 1, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordBytes 512");
            assertThatThrownBy(() -> q.append("", new byte[1], 1, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void survivesARestartAcrossSegmentsAndDeletesConsumedOnes() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, SMALL_SEGMENTS)) {
            for (int i = 0; i < 100; i++) {
                q.append("sitegate/gw1/events", bytes("event-" + i), 1, false);
            }
            assertThat(segments().size()).isGreaterThan(3);
            q.removeThrough(50);
        }
        try (OutboundQueue q = OutboundQueue.open(dir, SMALL_SEGMENTS)) {
            List<String> rest = drain(q);
            assertThat(rest).hasSize(50).first().isEqualTo("event-50");
            assertThat(rest).last().isEqualTo("event-99");
            long next = q.append("t", bytes("after-restart"), 1, false);
            assertThat(next).isEqualTo(101);
            q.removeThrough(next);
            assertThat(q.size()).isZero();
        }
        assertThat(segments()).hasSize(1);
        try (OutboundQueue q = OutboundQueue.open(dir, SMALL_SEGMENTS)) {
            assertThat(q.size()).isZero();
            assertThat(q.append("t", bytes("x"), 1, false)).isEqualTo(102);
        }
    }

    @Test
    void dropsATornLastRecordAndKeepsAppendingAfterIt() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            for (int i = 1; i <= 3; i++) {
                q.append("sitegate/gw1/events", bytes("m" + i), 1, false);
            }
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 5);
        }
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(drain(q)).containsExactly("m1", "m2");
            assertThat(q.corrupted()).isZero();
            q.append("sitegate/gw1/events", bytes("m4"), 1, false);
        }
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(drain(q)).containsExactly("m1", "m2", "m4");
        }
    }

    @Test
    void aTornHeaderIsDroppedToo() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            q.append("t", bytes("m1"), 1, false);
            q.append("t", bytes("m2"), 1, false);
        }
        Path seg = segments().get(0);
        long one = Files.size(seg) / 2;
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(one + 7);
        }
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(drain(q)).containsExactly("m1");
        }
    }

    @Test
    void refusesACorruptRecordAndDeliversTheRest() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            for (int i = 1; i <= 5; i++) {
                q.append("sitegate/gw1/events", bytes("message-" + i), 1, false);
            }
        }
        Path seg = segments().get(0);
        long recordLength = Files.size(seg) / 5;
        for (long offset : new long[] {recordLength * 3 + 25, recordLength + 5}) { // a payload byte, the length field
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.seek(offset);
                int b = f.read();
                f.seek(offset);
                f.write(b ^ 0x40);
            }
        }
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(drain(q)).containsExactly("message-1", "message-3", "message-5");
            assertThat(q.corrupted()).isEqualTo(2);
        }
    }

    @Test
    void refusesARecordCorruptedAfterOpen() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            q.append("t", bytes("one"), 1, false);
            q.append("t", bytes("two"), 1, false);
            Path seg = segments().get(0);
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.seek(22);
                f.write('X');
            }
            assertThat(drain(q)).containsExactly("two");
            assertThat(q.corrupted()).isEqualTo(1);
            assertThat(q.size()).isEqualTo(1);
        }
    }

    @Test
    void aGarbageCursorRedeliversRatherThanLoses() throws IOException {
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            q.append("t", bytes("a"), 1, false);
            q.append("t", bytes("b"), 1, false);
            q.removeThrough(1);
        }
        Files.write(dir.resolve("cursor"), new byte[64]);
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(drain(q)).containsExactly("a", "b"); // "a" again: a duplicate, never a loss
        }
    }

    @Test
    void tenThousandRecordsQuickly() throws IOException {
        long start = System.nanoTime();
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            for (int i = 0; i < 10_000; i++) {
                q.append("sitegate/gw1/events", bytes("{\"n\":" + i + ",\"event\":\"quota.reached\"}"), 1, false);
            }
        }
        try (OutboundQueue q = OutboundQueue.open(dir, Limits.DEFAULT)) {
            assertThat(q.size()).isEqualTo(10_000);
            long expected = 0;
            long after = 0;
            while (true) {
                List<Message> batch = q.peek(after, 500);
                if (batch.isEmpty()) {
                    break;
                }
                for (Message m : batch) {
                    assertThat(new String(m.payload(), StandardCharsets.UTF_8)).startsWith("{\"n\":" + expected + ",");
                    expected++;
                }
                after = batch.get(batch.size() - 1).seq();
                q.removeThrough(after);
            }
            assertThat(expected).isEqualTo(10_000);
            assertThat(q.size()).isZero();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("10,000 fsynced appends, a restart and a drain, in ms").isLessThan(30_000);
    }
}
