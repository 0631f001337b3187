package io.sitegate.tools.atbench;

import java.io.IOException;

/**
 * The bare minimum of reply parsing: the last four bytes seen, compared with {@code OK<CR><LF>}.
 * An {@code ERROR} final result fails the round trip.
 */
final class OkMatcher {

    private static final int OK = ('O' << 24) | ('K' << 16) | ('\r' << 8) | '\n';
    private static final int ROR = ('R' << 24) | ('O' << 16) | ('R' << 8) | '\r';

    private int tail;

    void reset() {
        tail = 0;
    }

    /** @return true once {@code OK<CR><LF>} has been fed */
    boolean feed(byte[] bytes, int count) throws IOException {
        int t = tail;
        for (int i = 0; i < count; i++) {
            t = (t << 8) | (bytes[i] & 0xFF);
            if (t == OK) {
                tail = 0;
                return true;
            }
            if (t == ROR) {
                throw new IOException("modem answered ERROR");
            }
        }
        tail = t;
        return false;
    }
}
