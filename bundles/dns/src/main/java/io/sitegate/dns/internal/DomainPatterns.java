package io.sitegate.dns.internal;

/**
 * Validation and normalisation of one DNS firewall pattern: {@code example.com} (the name and every
 * name below it) or {@code =www.example.com} (that name only).
 *
 * <p>A normalised pattern is lower case, has no final dot and no surrounding white space. Labels are
 * 1-63 characters of {@code a-z}, {@code 0-9}, {@code -} and {@code _} (service labels such as
 * {@code _dmarc}); the name is at most 253 characters. Wildcards are refused on purpose: a suffix
 * pattern already matches every name below it, and a {@code *} that silently matched would hide the
 * operator's misunderstanding.
 */
public final class DomainPatterns {

    /** Longest name in presentation form without the final dot (RFC 1035: 255 octets on the wire). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035). */
    public static final int MAX_LABEL_LENGTH = 63;
    /** Prefix of a pattern that matches one name only. */
    public static final char EXACT_PREFIX = '=';

    private DomainPatterns() {
    }

    /**
     * Normalises a pattern.
     *
     * @return the pattern in lower case, without the final dot, with its {@code =} prefix if it had one
     * @throws IllegalArgumentException naming the pattern and what is wrong with it
     */
    public static String normalize(String pattern) {
        String normalized = normalizeOrNull(pattern);
        if (normalized == null) {
            throw new IllegalArgumentException("invalid pattern '" + (pattern == null ? null : printable(pattern))
                    + "': " + problem(pattern));
        }
        return normalized;
    }

    /**
     * The normalised pattern, or null when it is invalid ({@link #problem(String)} then says why).
     * One pass and no allocation when the pattern is already normalised, which matters when a list
     * of 100,000 names is loaded.
     */
    public static String normalizeOrNull(String pattern) {
        if (pattern == null) {
            return null;
        }
        int start = 0;
        int end = pattern.length();
        while (start < end && Character.isWhitespace(pattern.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(pattern.charAt(end - 1))) {
            end--;
        }
        int nameStart = start < end && pattern.charAt(start) == EXACT_PREFIX ? start + 1 : start;
        int nameEnd = end > nameStart && pattern.charAt(end - 1) == '.' ? end - 1 : end;
        if (problem(pattern, nameStart, nameEnd) != null) {
            return null;
        }
        boolean upper = false;
        for (int i = nameStart; i < nameEnd && !upper; i++) {
            upper = pattern.charAt(i) >= 'A' && pattern.charAt(i) <= 'Z';
        }
        if (!upper) {
            return start == 0 && nameEnd == pattern.length() ? pattern : pattern.substring(start, nameEnd);
        }
        char[] chars = new char[nameEnd - start];
        for (int i = start; i < nameEnd; i++) {
            chars[i - start] = lower(pattern.charAt(i));
        }
        return new String(chars);
    }

    /**
     * What is wrong with a pattern, for messages that carry their own context (file and line).
     *
     * @return null when the pattern is valid
     */
    public static String problem(String pattern) {
        if (pattern == null) {
            return "null";
        }
        String s = pattern.strip();
        int nameStart = !s.isEmpty() && s.charAt(0) == EXACT_PREFIX ? 1 : 0;
        int nameEnd = s.length() > nameStart && s.endsWith(".") ? s.length() - 1 : s.length();
        return problem(s, nameStart, nameEnd);
    }

    /** What is wrong with the name {@code s[from, to)}, or null; allocates only to describe a problem. */
    private static String problem(String s, int from, int to) {
        if (from == to) {
            return "empty name";
        }
        if (to - from > MAX_NAME_LENGTH) {
            return "longer than " + MAX_NAME_LENGTH + " characters";
        }
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0) {
                    return "empty label";
                }
                if (length > MAX_LABEL_LENGTH) {
                    return "label '" + s.substring(labelStart, i) + "' longer than " + MAX_LABEL_LENGTH + " characters";
                }
                labelStart = i + 1;
            } else if (!isNameChar(lower(c))) {
                return describeInvalid(c);
            }
        }
        return null;
    }

    /** Whether a normalised pattern matches one name only. */
    public static boolean isExact(String normalized) {
        return !normalized.isEmpty() && normalized.charAt(0) == EXACT_PREFIX;
    }

    /** The name of a normalised pattern, without its {@code =} prefix. */
    public static String name(String normalized) {
        return isExact(normalized) ? normalized.substring(1) : normalized;
    }

    /** ASCII lower case only: DNS compares names without case for ASCII letters only (RFC 4343). */
    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** The pattern with control characters replaced, so a message or log line stays one line. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '?');
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static String describeInvalid(char c) {
        if (c == '*') {
            return "invalid character '*' (no wildcards: 'example.com' already matches every name below it)";
        }
        if (c == EXACT_PREFIX) {
            return "invalid character '=' ('=' may only start a pattern, for a name without the names below it)";
        }
        if (c < 0x21 || c >= 0x7f) {
            return String.format("invalid character U+%04X", (int) c);
        }
        return "invalid character '" + c + "'";
    }
}
