package io.sitegate.core;

/**
 * Makes text that came from the network (DNS names, SMS senders and texts, modem replies) safe to
 * log or print on a technician's terminal: control characters and terminal escape sequences are
 * shown as visible escapes instead of acting on the terminal or forging log lines.
 *
 * <p>Escaped: C0 controls (U+0000-U+001F: ESC, CR, LF, TAB, BEL, BS...), DEL, C1 controls
 * (U+0080-U+009F, which some terminals treat as CSI), the Unicode bidirectional controls
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the line and paragraph separators
 * U+2028/U+2029 and unpaired surrogates. Code points up to U+00FF become {@code \xhh}, others
 * {@code \}{@code uhhhh}; a backslash becomes {@code \\} so an escape in the output is never
 * ambiguous. Everything else, non-ASCII letters included, is unchanged.
 */
public final class SafeText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /**
     * The escaped text; {@code "null"} for {@code null}. Returns the same string, without copying,
     * when nothing needs escaping.
     */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = text.length();
        int first = firstUnsafe(text);
        if (first < 0) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(n + 16);
        out.append(text, 0, first);
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (unsafe(c)) {
                appendEscape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A log argument that escapes {@code text} only when its {@code toString()} is called, that is
     * only when SLF4J actually formats the line. Use it where logging is usually off (per-query
     * logs) so the hot path pays one small allocation and no scanning.
     */
    public static Object lazy(CharSequence text) {
        return new Object() {
            @Override
            public String toString() {
                return escape(text);
            }
        };
    }

    /** Whether {@code text} contains nothing that {@link #escape} would change. */
    public static boolean isSafe(CharSequence text) {
        return text == null || firstUnsafe(text) < 0;
    }

    private static int firstUnsafe(CharSequence text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (unsafe(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (c < 0x061c) {
            return false;
        }
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || Character.isSurrogate(c);
    }

    private static void appendEscape(StringBuilder out, char c) {
        if (c <= 0xff) {
            out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
            out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                    .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }
    }
}
