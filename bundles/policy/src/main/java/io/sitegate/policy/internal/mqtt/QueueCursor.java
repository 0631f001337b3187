package io.sitegate.policy.internal.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Where the outbound queue starts (the sequence number of its oldest live record) and how many
 * records it dropped, in a file of two 32-byte slots written alternately and fsynced. A torn write
 * can only spoil the slot being written; the other still holds the previous state. Each slot:
 * magic "SGC1", generation (u64), head (u64), dropped (u64), CRC-32C of the 28 bytes before it.
 */
final class QueueCursor implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCursor.class);
    private static final int MAGIC = 0x53474331;
    private static final int SLOT = 32;

    private final FileChannel channel;
    private long generation;
    private long head;
    private long dropped;

    private QueueCursor(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens or creates the cursor file; a file with no valid slot starts from the beginning (duplicates, never loss). */
    static QueueCursor open(Path file) throws IOException {
        QueueCursor c = new QueueCursor(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        boolean any = false;
        boolean nonEmpty = c.channel.size() > 0;
        for (int slot = 0; slot < 2; slot++) {
            ByteBuffer b = ByteBuffer.allocate(SLOT);
            while (b.hasRemaining() && c.channel.read(b, (long) slot * SLOT + b.position()) > 0) {
                // keep reading
            }
            if (b.hasRemaining()) {
                continue;
            }
            if (b.getInt(0) == MAGIC && b.getInt(28) == crc(b.array()) && (!any || b.getLong(4) > c.generation)) {
                any = true;
                c.generation = b.getLong(4);
                c.head = b.getLong(12);
                c.dropped = b.getLong(20);
            }
        }
        if (!any && nonEmpty) {
            LOG.error("outbound queue: cursor {} has no valid slot; delivering every stored record again", file);
        }
        return c;
    }

    long head() {
        return head;
    }

    long dropped() {
        return dropped;
    }

    /** Stores a new head and dropped count; on return they are on stable storage. */
    void store(long newHead, long newDropped) throws IOException {
        long gen = generation + 1;
        ByteBuffer b = ByteBuffer.allocate(SLOT);
        b.putInt(MAGIC).putLong(gen).putLong(newHead).putLong(newDropped);
        b.putInt(crc(b.array()));
        b.flip();
        long pos = (gen & 1) * SLOT;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
        channel.force(false);
        generation = gen;
        head = newHead;
        dropped = newDropped;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static int crc(byte[] slot) {
        CRC32C c = new CRC32C();
        c.update(slot, 0, 28);
        return (int) c.getValue();
    }
}
