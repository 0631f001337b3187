package io.sitegate.tools.modemsim;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The SIM message store (fixed number of slots, 1-based indexes as {@code +CMTI} reports them) and an outbox of
 * messages sent with {@code AT+CMGS}, kept bounded for tests and the control channel.
 */
public final class SmsStorage {

    /**
     * A stored message.
     *
     * @param status    27.005 text-mode status: REC UNREAD, REC READ, STO UNSENT, STO SENT
     * @param number    originator or destination
     * @param timestamp service centre time stamp {@code yy/MM/dd,HH:mm:ss+zz}
     * @param text      message text
     */
    public record Message(String status, String number, String timestamp, String text) {
        Message read() {
            return status.equals("REC UNREAD") ? new Message("REC READ", number, timestamp, text) : this;
        }
    }

    private static final DateTimeFormatter SCTS = DateTimeFormatter.ofPattern("yy/MM/dd,HH:mm:ss");
    private static final int OUTBOX_LIMIT = 100;

    private final Message[] slots;
    private final Deque<Message> outbox = new ArrayDeque<>();
    private int nextReference = 1;

    SmsStorage(int capacity) {
        this.slots = new Message[capacity];
    }

    /** @return number of slots */
    public int capacity() {
        return slots.length;
    }

    /** @return number of occupied slots */
    public int used() {
        int n = 0;
        for (Message m : slots) {
            if (m != null) {
                n++;
            }
        }
        return n;
    }

    /** Stores a received message. @return its 1-based index, or -1 when the store is full */
    public int receive(String from, String text) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                String ts = ZonedDateTime.now(ZoneOffset.UTC).format(SCTS) + "+00";
                slots[i] = new Message("REC UNREAD", from, ts, text);
                return i + 1;
            }
        }
        return -1;
    }

    /** @return the message at a 1-based index (marking it read), or null when the slot is empty */
    public Message read(int index) {
        Message m = slots[index - 1];
        if (m != null) {
            slots[index - 1] = m.read();
        }
        return m;
    }

    /** @return (index, message) pairs matching a status filter ("ALL" for all), marking unread ones read */
    public List<Object[]> list(String status) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            Message m = slots[i];
            if (m != null && (status.equals("ALL") || m.status().equals(status))) {
                out.add(new Object[] {i + 1, m});
                slots[i] = m.read();
            }
        }
        return out;
    }

    /** Deletes a 1-based slot (no error for an empty slot, as modules behave). */
    public void delete(int index) {
        slots[index - 1] = null;
    }

    /** Deletes every stored message. */
    public void deleteAll() {
        java.util.Arrays.fill(slots, null);
    }

    /** Records a sent message. @return the message reference {@code +CMGS} reports (0..255) */
    public int send(String to, String text) {
        if (outbox.size() >= OUTBOX_LIMIT) {
            outbox.removeFirst();
        }
        outbox.addLast(new Message("STO SENT", to, "", text));
        int mr = nextReference;
        nextReference = (nextReference + 1) % 256;
        return mr;
    }

    /** @return sent messages, oldest first */
    public List<Message> outbox() {
        return List.copyOf(outbox);
    }
}
