package io.sitegate.modem.internal.service;

import io.sitegate.modem.DataCounters;
import io.sitegate.modem.DataUsage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Turns the modem's own data counters (which reset with the session, the modem or a wrap) into
 * cumulative totals that survive restarts. A counter that goes backwards is taken as a reset: the new
 * reading is what was used since, so nothing is lost or counted twice. Not thread-safe: owned by the
 * connection keeper.
 */
final class UsageLedger {
    private long totalSent;
    private long totalReceived;
    private long lastSent;
    private long lastReceived;
    private long sessionSent;
    private long sessionReceived;
    private long smsSent;
    private long smsReceived;
    private boolean countersAvailable;
    private boolean dirty;

    /** Adds a counter reading. */
    void observe(DataCounters reading) {
        countersAvailable = true;
        long ds = delta(lastSent, reading.bytesSent());
        long dr = delta(lastReceived, reading.bytesReceived());
        lastSent = reading.bytesSent();
        lastReceived = reading.bytesReceived();
        totalSent += ds;
        totalReceived += dr;
        sessionSent += ds;
        sessionReceived += dr;
        dirty |= ds != 0 || dr != 0;
    }

    private static long delta(long last, long now) {
        return now >= last ? now - last : now; // went backwards: counter reset, count what came since
    }

    /** A new session starts: session counters restart, totals carry on. */
    void sessionStarted() {
        sessionSent = 0;
        sessionReceived = 0;
    }

    void smsSent() {
        smsSent++;
        dirty = true;
    }

    void smsReceived() {
        smsReceived++;
        dirty = true;
    }

    long smsSentCount() {
        return smsSent;
    }

    long smsReceivedCount() {
        return smsReceived;
    }

    DataUsage usage() {
        return new DataUsage(sessionSent, sessionReceived, totalSent, totalReceived, countersAvailable);
    }

    /** Whether something changed since the last {@link #encode()}. */
    boolean dirty() {
        return dirty;
    }

    byte[] encode() {
        Properties p = new Properties();
        p.setProperty("totalSent", Long.toString(totalSent));
        p.setProperty("totalReceived", Long.toString(totalReceived));
        p.setProperty("lastSent", Long.toString(lastSent));
        p.setProperty("lastReceived", Long.toString(lastReceived));
        p.setProperty("smsSent", Long.toString(smsSent));
        p.setProperty("smsReceived", Long.toString(smsReceived));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "Sitegate modem usage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dirty = false;
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Restores persisted totals; a malformed document is refused with the field named. */
    static UsageLedger decode(byte[] document) {
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(document));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("usage document unreadable: " + e.getMessage(), e);
        }
        UsageLedger l = new UsageLedger();
        l.totalSent = field(p, "totalSent");
        l.totalReceived = field(p, "totalReceived");
        l.lastSent = field(p, "lastSent");
        l.lastReceived = field(p, "lastReceived");
        l.smsSent = field(p, "smsSent");
        l.smsReceived = field(p, "smsReceived");
        return l;
    }

    private static long field(Properties p, String name) {
        String v = p.getProperty(name, "0").trim();
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("usage document: field " + name + " is not a count: '" + v + "'");
        }
    }
}
