package io.sitegate.policy.internal.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * One line of the audit log. Its canonical form is the JSON object of every field but {@code hash}, in
 * this order, with no spaces, strings escaped only where JSON requires ({@code "}, {@code \}, controls)
 * and times as ISO-8601 UTC instants in milliseconds:
 * <pre>{"seq":1,"time":"2026-12-04T10:00:00Z","event":"policy.applied","version":2,"target":"gw-1",
 * "keyId":"k","outcome":"APPLIED","reason":"","prevHash":"00..00"}</pre>
 * {@code hash} = hex(SHA-256(prevHash as 32 bytes || UTF-8 canonical form)), and the line is the
 * canonical form with {@code ,"hash":"<hex>"} added before its closing brace.
 *
 * @param seq      1 for the first entry ever, then one more for every entry
 * @param time     when it was appended
 * @param event    what was appended
 * @param prevHash the previous entry's hash; 64 zeros before the first
 * @param hash     this entry's hash
 */
public record AuditEntry(long seq, Instant time, AuditEvent event, String prevHash, String hash) {
    /** The {@code prevHash} of the first entry ever. */
    public static final String GENESIS = "0".repeat(64);
    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final List<String> FIELDS = List.of("seq", "time", "event", "version", "target", "keyId", "outcome",
            "reason", "prevHash");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code prevHash}, its hash computed. */
    static AuditEntry next(long seq, Instant time, AuditEvent event, String prevHash) {
        Instant t = Instant.ofEpochMilli(time.toEpochMilli());
        return new AuditEntry(seq, t, event, prevHash, hash(prevHash, canonical(seq, t, event, prevHash)));
    }

    /** The line as written, without its {@code \n}. */
    String line() {
        String c = canonical(seq, time, event, prevHash);
        return c.substring(0, c.length() - 1) + HASH_FIELD + hash + "\"}";
    }

    /**
     * Reads a line back and checks it: canonical form, hash. The chain (seq, prevHash) is the caller's.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static AuditEntry parse(String line) {
        int at = line.lastIndexOf(HASH_FIELD);
        if (at < 0 || !line.endsWith("\"}")) {
            throw new IllegalArgumentException("not an audit entry");
        }
        String canonical = line.substring(0, at) + "}";
        String hash = line.substring(at + HASH_FIELD.length(), line.length() - 2);
        JsonNode n;
        try {
            n = JSON.readTree(canonical);
        } catch (Exception e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (n == null || !n.isObject() || n.size() != FIELDS.size()) {
            throw new IllegalArgumentException("not the fields of an audit entry");
        }
        Iterator<String> names = n.fieldNames();
        for (String f : FIELDS) {
            if (!f.equals(names.next())) {
                throw new IllegalArgumentException("fields out of their order");
            }
        }
        AuditEntry e;
        try {
            AuditEvent event = new AuditEvent(n.get("event").textValue(), n.get("version").longValue(),
                    n.get("target").textValue(), n.get("keyId").textValue(), n.get("outcome").textValue(),
                    n.get("reason").textValue());
            e = new AuditEntry(n.get("seq").longValue(), Instant.parse(n.get("time").textValue()), event,
                    n.get("prevHash").textValue(), hash);
        } catch (RuntimeException x) {
            throw new IllegalArgumentException("a field is not valid");
        }
        if (!canonical(e.seq, e.time, e.event, e.prevHash).equals(canonical)) {
            throw new IllegalArgumentException("not in canonical form");
        }
        if (!hash(e.prevHash, canonical).equals(hash)) {
            throw new IllegalArgumentException("its hash does not match its content");
        }
        return e;
    }

    static String canonical(long seq, Instant time, AuditEvent e, String prevHash) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"seq\":").append(seq);
        b.append(",\"time\":");
        string(b, time.toString());
        b.append(",\"event\":");
        string(b, e.type());
        b.append(",\"version\":").append(e.version());
        b.append(",\"target\":");
        string(b, e.target());
        b.append(",\"keyId\":");
        string(b, e.keyId());
        b.append(",\"outcome\":");
        string(b, e.outcome());
        b.append(",\"reason\":");
        string(b, e.reason());
        b.append(",\"prevHash\":");
        string(b, prevHash);
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    static String hash(String prevHash, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(HexFormat.of().parseHex(prevHash));
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
