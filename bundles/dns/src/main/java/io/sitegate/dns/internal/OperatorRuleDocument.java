package io.sitegate.dns.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's firewall rules as stored in the state store (key {@value #STATE_KEY}): UTF-8 text,
 * one rule a line, {@code allow <pattern>} or {@code deny <pattern>}, sorted; blank lines and lines
 * starting with {@code #} are ignored. Plain text on purpose: a technician can read it on the device.
 *
 * <pre>
 * # Sitegate DNS firewall: operator rules (sitegate:dns-allow / sitegate:dns-deny)
 * allow =updates.example.com
 * deny example.net
 * </pre>
 *
 * @param allow normalised allow patterns
 * @param deny  normalised deny patterns
 */
record OperatorRuleDocument(Set<String> allow, Set<String> deny) {

    /** The state store key of the document. */
    static final String STATE_KEY = "dns-firewall-operator";

    private static final String HEADER = "# Sitegate DNS firewall: operator rules (sitegate:dns-allow / sitegate:dns-deny)";
    private static final String ALLOW = "allow ";
    private static final String DENY = "deny ";

    OperatorRuleDocument {
        allow = Collections.unmodifiableSet(new HashSet<>(allow));
        deny = Collections.unmodifiableSet(new HashSet<>(deny));
    }

    /** The document as stored. */
    byte[] encode() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (String pattern : new TreeSet<>(allow)) {
            text.append(ALLOW).append(pattern).append('\n');
        }
        for (String pattern : new TreeSet<>(deny)) {
            text.append(DENY).append(pattern).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a stored document. Any line that is not a valid rule makes the whole document invalid:
     * the caller then ignores it rather than enforcing part of what the operator set.
     *
     * @throws IllegalArgumentException saying which line is wrong and why
     */
    static OperatorRuleDocument decode(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text");
        }
        Set<String> allow = new HashSet<>();
        Set<String> deny = new HashSet<>();
        int lineNumber = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean isAllow = trimmed.startsWith(ALLOW);
            if (!isAllow && !trimmed.startsWith(DENY)) {
                throw new IllegalArgumentException("line " + lineNumber + ": expected 'allow <pattern>' or 'deny <pattern>'");
            }
            String pattern = trimmed.substring(isAllow ? ALLOW.length() : DENY.length());
            String normalized = DomainPatterns.normalizeOrNull(pattern);
            if (normalized == null) {
                throw new IllegalArgumentException("line " + lineNumber + ": pattern '"
                        + DomainPatterns.printable(pattern.strip()) + "': " + DomainPatterns.problem(pattern));
            }
            (isAllow ? allow : deny).add(normalized);
        }
        return new OperatorRuleDocument(allow, deny);
    }
}
