package io.sitegate.policy.internal.mqtt;

import io.sitegate.policy.internal.mqtt.OutboundRecordCodec.Decoded;
import io.sitegate.policy.internal.mqtt.OutboundRecordCodec.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The messages (events, acks) that wait for the broker, on disk, in order, bounded.
 *
 * <p>Files in the queue directory: {@code <first seq, 20 digits>.seg}, append-only segments of
 * records ({@link OutboundRecordCodec}), and {@code cursor} ({@link QueueCursor}): the oldest live
 * sequence number and the dropped count. An append is fsynced before {@link #append} returns. A
 * record is removed ({@link #removeThrough}) only once the broker has acknowledged it, and the
 * cursor is fsynced then: a crash in between delivers that record again (at-least-once), never
 * loses or reorders one. At open, a torn last record (power loss during an append) is cut off and a
 * corrupt record (CRC mismatch) is skipped with an error in the log; the others are kept.
 *
 * <p>Bounds: when an append would exceed {@link Limits#maxRecords} or {@link Limits#maxBytes}, the
 * oldest records are dropped and counted ({@link #dropped}, persisted). Disk use can exceed
 * {@code maxBytes} by up to one segment, the partly consumed oldest one. Thread-safe.
 */
public final class OutboundQueue implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
    private static final String SUFFIX = ".seg";

    /** The bounds; {@code maxRecordBytes} bounds one record's topic + payload. */
    public record Limits(int maxRecords, long maxBytes, int segmentBytes, int maxRecordBytes) {
        /** 10,000 records, 16 MiB, 1 MiB segments, 256 KiB per record. */
        public static final Limits DEFAULT = new Limits(10_000, 16L << 20, 1 << 20, 256 << 10);

        public Limits {
            if (maxRecords < 1 || maxBytes < 1024 || segmentBytes < 1024 || maxRecordBytes < 16
                    || maxRecordBytes > maxBytes) {
                throw new IllegalArgumentException("outbound queue limits: invalid " + this);
            }
        }
    }

    /** One queued message. */
    public record Message(long seq, String topic, byte[] payload, int qos, boolean retained) {
    }

    private record Entry(Segment segment, long offset, int length) {
    }

    private static final class Segment {
        final Path path;
        final FileChannel channel;
        long size;
        int live;

        Segment(Path path, FileChannel channel, long size) {
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    private final Path dir;
    private final Limits limits;
    private final QueueCursor cursor;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final List<Segment> segments = new ArrayList<>();
    private long bytes;
    private long nextSeq;
    private long corrupted;

    private OutboundQueue(Path dir, Limits limits, QueueCursor cursor) {
        this.dir = dir;
        this.limits = limits;
        this.cursor = cursor;
    }

    /** Opens (or creates) the queue in {@code dir} and recovers what is stored there. */
    public static OutboundQueue open(Path dir, Limits limits) throws IOException {
        Files.createDirectories(dir);
        OutboundQueue q = new OutboundQueue(dir, limits, QueueCursor.open(dir.resolve("cursor")));
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    private int maxBody() {
        return limits.maxRecordBytes() + 4;
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        long head = cursor.head();
        long last = head - 1;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            boolean lastFile = i == files.size() - 1;
            byte[] data = Files.readAllBytes(file);
            Segment seg = new Segment(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    data.length);
            segments.add(seg);
            int pos = 0;
            while (pos < data.length) {
                Decoded d = OutboundRecordCodec.decode(data, pos, data.length, maxBody());
                if (d.status() != Status.OK) {
                    int next = OutboundRecordCodec.resync(data, pos, data.length, maxBody());
                    if (next < 0 && lastFile) {
                        if (d.status() == Status.TORN) {
                            LOG.warn("outbound queue: {}: incomplete last record at offset {} ({} bytes) dropped;"
                                    + " a write was cut short (power loss or crash)", file.getFileName(), pos,
                                    data.length - pos);
                        } else {
                            corrupted++;
                            LOG.error("outbound queue: {}: corrupt last record at offset {} (bad magic, length or"
                                    + " CRC): {} bytes refused and cut off", file.getFileName(), pos, data.length - pos);
                        }
                        seg.channel.truncate(pos);
                        seg.channel.force(true);
                        seg.size = pos;
                        break;
                    }
                    corrupted++;
                    int end = next < 0 ? data.length : next;
                    LOG.error("outbound queue: {}: corrupt record at offset {} (bad magic, length or CRC): {} bytes"
                            + " refused and skipped, the following records are kept", file.getFileName(), pos,
                            end - pos);
                    if (next < 0) {
                        break;
                    }
                    pos = next;
                    continue;
                }
                if (d.seq() <= last) {
                    if (d.seq() >= head) {
                        LOG.error("outbound queue: {}: record at offset {} repeats sequence {}; ignored",
                                file.getFileName(), pos, d.seq());
                    }
                } else {
                    if (last >= head && d.seq() != last + 1) {
                        LOG.error("outbound queue: sequence numbers {} to {} are missing (corrupt records)",
                                last + 1, d.seq() - 1);
                    }
                    last = d.seq();
                    entries.put(d.seq(), new Entry(seg, pos, d.length()));
                    seg.live++;
                    bytes += d.length();
                }
                pos += d.length();
            }
        }
        nextSeq = Math.max(last + 1, Math.max(head, 1));
        for (Segment s : List.copyOf(segments)) {
            if (s.live == 0 && s != active()) {
                deleteSegment(s);
            }
        }
        if (!entries.isEmpty() || cursor.dropped() > 0) {
            LOG.info("outbound queue: {} record(s), {} bytes waiting; {} dropped so far", entries.size(), bytes,
                    cursor.dropped());
        }
    }

    /**
     * Appends a message; when this returns it is on stable storage. Drops the oldest records first
     * if the queue would exceed its bounds.
     *
     * @return the message's sequence number
     * @throws IllegalArgumentException when the topic is empty or longer than 65,535 bytes, the QoS
     *                                  not 0-2, or the record larger than {@code maxRecordBytes}
     */
    public synchronized long append(String topic, byte[] payload, int qos, boolean retained) throws IOException {
        int topicBytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (topicBytes == 0 || topicBytes > 0xffff || qos < 0 || qos > 2) {
            throw new IllegalArgumentException("outbound queue: invalid topic length " + topicBytes + " or QoS " + qos);
        }
        if (topicBytes + payload.length > limits.maxRecordBytes()) {
            throw new IllegalArgumentException("outbound queue: message of " + (topicBytes + payload.length)
                    + " bytes is larger than maxRecordBytes " + limits.maxRecordBytes());
        }
        long seq = nextSeq;
        ByteBuffer record = OutboundRecordCodec.encode(seq, topic, payload, qos, retained);
        int length = record.remaining();
        long droppedNow = 0;
        while (!entries.isEmpty()
                && (entries.size() + 1 > limits.maxRecords() || bytes + length > limits.maxBytes())) {
            removeFirst();
            droppedNow++;
        }
        Segment seg = active();
        if (seg == null || seg.size >= limits.segmentBytes()) {
            seg = newSegment(seq);
        }
        long offset = seg.size;
        try {
            long pos = offset;
            while (record.hasRemaining()) {
                pos += seg.channel.write(record, pos);
            }
            seg.channel.force(false);
        } catch (IOException e) {
            seg.channel.truncate(offset);
            throw e;
        }
        seg.size = offset + length;
        seg.live++;
        entries.put(seq, new Entry(seg, offset, length));
        bytes += length;
        nextSeq = seq + 1;
        if (droppedNow > 0) {
            LOG.warn("outbound queue full ({} records, {} bytes max): {} oldest record(s) dropped",
                    limits.maxRecords(), limits.maxBytes(), droppedNow);
            storeCursor(cursor.dropped() + droppedNow);
        }
        return seq;
    }

    /**
     * Up to {@code max} messages with a sequence number above {@code afterSeq}, oldest first. A
     * record that no longer reads back intact is logged, counted in {@link #corrupted} and removed.
     */
    public synchronized List<Message> peek(long afterSeq, int max) throws IOException {
        List<Message> out = new ArrayList<>();
        List<Long> bad = new ArrayList<>();
        for (Map.Entry<Long, Entry> e : entries.tailMap(afterSeq, false).entrySet()) {
            if (out.size() >= max) {
                break;
            }
            Entry en = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(en.length());
            while (b.hasRemaining() && en.segment().channel.read(b, en.offset() + b.position()) > 0) {
                // keep reading
            }
            Decoded d = OutboundRecordCodec.decode(b.array(), 0, b.position(), maxBody());
            if (d.status() != Status.OK || d.seq() != e.getKey()) {
                LOG.error("outbound queue: {}: record {} at offset {} no longer reads back intact; refused",
                        en.segment().path.getFileName(), e.getKey(), en.offset());
                bad.add(e.getKey());
                continue;
            }
            out.add(new Message(d.seq(), d.topic(), d.payload(), d.qos(), d.retained()));
        }
        for (long seq : bad) {
            corrupted++;
            remove(seq);
        }
        return out;
    }

    /** Removes every record up to and including {@code seq} (the broker acknowledged them). */
    public synchronized void removeThrough(long seq) throws IOException {
        if (entries.isEmpty() || entries.firstKey() > seq) {
            return;
        }
        while (!entries.isEmpty() && entries.firstKey() <= seq) {
            removeFirst();
        }
        storeCursor(cursor.dropped());
    }

    /** Records waiting. */
    public synchronized int size() {
        return entries.size();
    }

    /** Bytes of the records waiting (as stored, headers included). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Records dropped because the queue was full, since the queue was created (persisted). */
    public synchronized long dropped() {
        return cursor.dropped();
    }

    /** Corrupt records refused since this queue was opened. */
    public synchronized long corrupted() {
        return corrupted;
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (Segment s : segments) {
            try {
                s.channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        segments.clear();
        entries.clear();
        cursor.close();
        if (first != null) {
            throw first;
        }
    }

    private void storeCursor(long dropped) throws IOException {
        cursor.store(entries.isEmpty() ? nextSeq : entries.firstKey(), dropped);
    }

    private void removeFirst() throws IOException {
        remove(entries.firstKey());
    }

    private void remove(long seq) throws IOException {
        Entry e = entries.remove(seq);
        bytes -= e.length();
        Segment s = e.segment();
        if (--s.live == 0 && s != active()) {
            deleteSegment(s);
        }
    }

    private Segment active() {
        return segments.isEmpty() ? null : segments.get(segments.size() - 1);
    }

    private Segment newSegment(long firstSeq) throws IOException {
        Segment previous = active();
        Path path = dir.resolve(String.format("%020d%s", firstSeq, SUFFIX));
        Segment s = new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), 0);
        segments.add(s);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        if (previous != null && previous.live == 0) {
            deleteSegment(previous);
        }
        return s;
    }

    private void deleteSegment(Segment s) throws IOException {
        segments.remove(s);
        s.channel.close();
        Files.deleteIfExists(s.path);
    }
}
