package io.sitegate.modem.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pure codec: bytes from the modem in, lines out.
 *
 * <p>CR, LF, CRLF and LFCR all end a line; empty lines are skipped (V.250 frames every response with
 * {@code <CR><LF>}, so they carry nothing). A partial line is kept across calls. The SMS prompt {@code "> "}
 * comes without a line end: it is reported as a prompt when the pending bytes are exactly {@code ">"} or
 * {@code "> "} at the end of a chunk. A line longer than the cap is dropped up to its line end with one
 * log line; memory never grows beyond the cap. Bytes are decoded as UTF-8 with replacement characters.
 * Not thread-safe: the channel's reader thread owns it.
 */
public final class LineFramer {

    /** Default cap: no AT response line is anywhere near this long. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(LineFramer.class);

    /** Receives what the framer finds. */
    public interface Sink {
        /** A complete, non-empty line without its terminator. */
        void onLine(String line);

        /** The {@code "> "} prompt (SMS text entry). */
        void onPrompt();
    }

    private final Sink sink;
    private final byte[] pending;
    private int length;
    private boolean discarding;
    private long discardedBytes;
    private long overlongLines;

    /** A framer with the default cap. */
    public LineFramer(Sink sink) {
        this(DEFAULT_MAX_LINE_BYTES, sink);
    }

    /** A framer dropping lines longer than {@code maxLineBytes}. */
    public LineFramer(int maxLineBytes, Sink sink) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("line cap too small: " + maxLineBytes);
        }
        this.sink = Objects.requireNonNull(sink, "sink");
        this.pending = new byte[maxLineBytes];
    }

    /** Feeds a chunk of bytes as read from the transport. */
    public void feed(byte[] data, int offset, int count) {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = data[i];
            if (b == '\r' || b == '\n') {
                endLine();
            } else if (discarding) {
                discardedBytes++;
            } else if (length == pending.length) {
                discarding = true;
                discardedBytes = length + 1L;
                length = 0;
            } else {
                pending[length++] = b;
            }
        }
        if (!discarding && isPrompt()) {
            length = 0;
            sink.onPrompt();
        }
    }

    /** Lines dropped for being longer than the cap, since creation. */
    public long overlongLines() {
        return overlongLines;
    }

    /** Bytes currently held for an unfinished line (never more than the cap). */
    public int pendingBytes() {
        return length;
    }

    /** Forgets a partial line (after a resynchronisation). */
    public void reset() {
        length = 0;
        discarding = false;
    }

    private boolean isPrompt() {
        return (length == 1 && pending[0] == '>') || (length == 2 && pending[0] == '>' && pending[1] == ' ');
    }

    private void endLine() {
        if (discarding) {
            overlongLines++;
            LOG.warn("Discarded a line of {} bytes from the modem (longer than the {} byte cap)",
                    discardedBytes, pending.length);
            discarding = false;
            discardedBytes = 0;
            return;
        }
        if (length == 0) {
            return;
        }
        String line = new String(pending, 0, length, StandardCharsets.UTF_8).strip();
        length = 0;
        if (!line.isEmpty()) {
            sink.onLine(line);
        }
    }
}
