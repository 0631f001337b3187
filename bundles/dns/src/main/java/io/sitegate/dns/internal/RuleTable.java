package io.sitegate.dns.internal;

/**
 * An open-addressing hash table from names to the rule that decides them, looked up by a region of
 * the queried name. The engine walks the labels of a name from the right and looks each suffix up
 * here without cutting it out as a new String: the hash of the region is built while walking and
 * equals {@link String#hashCode()} of the lower-cased suffix, and keys are compared in place.
 *
 * <p>The table is filled by its {@link RuleSnapshot} while it is being built, then only read; it is
 * published to query threads through the snapshot's volatile reference.
 */
final class RuleTable {
    private static final RuleTable EMPTY = new RuleTable(0);

    private final String[] keys;
    // The full hash of each key: most probes that miss are settled here without touching the key.
    private final int[] hashes;
    // Decisions rather than rules: deciding then reads one object less.
    private final Decision[] decisions;
    private final int mask;
    private int size;

    /** A table for up to {@code expected} names, at most half full so probe chains stay short. */
    RuleTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(2, expected) * 2 - 1) << 1;
        keys = new String[capacity];
        hashes = new int[capacity];
        decisions = new Decision[capacity];
        mask = capacity - 1;
    }

    static RuleTable empty() {
        return EMPTY;
    }

    int size() {
        return size;
    }

    /**
     * Enters a rule under its name. When the name already has a rule, an allow rule replaces a deny
     * rule (allow wins for the same pattern); otherwise the first rule entered stays.
     */
    void merge(String name, CompiledRule rule) {
        int hash = name.hashCode();
        int i = spread(hash) & mask;
        while (keys[i] != null) {
            if (hashes[i] == hash && keys[i].equals(name)) {
                if (rule.allow() && !decisions[i].allowed()) {
                    decisions[i] = rule.decision();
                }
                return;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > keys.length / 2) {
            throw new IllegalStateException("rule table sized for fewer names");
        }
        keys[i] = name;
        hashes[i] = hash;
        decisions[i] = rule.decision();
        size++;
    }

    /**
     * The decision of the rule entered under the name {@code query[start, end)}, compared without
     * ASCII letter case.
     *
     * @param hash {@link String#hashCode()} of that region in lower case
     */
    Decision get(String query, int start, int end, int hash) {
        if (size == 0) {
            return null;
        }
        int length = end - start;
        int i = spread(hash) & mask;
        for (String key = keys[i]; key != null; key = keys[i]) {
            if (hashes[i] == hash && key.length() == length && regionEquals(key, query, start)) {
                return decisions[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Whether {@code key} (lower case) equals the region of {@code query} starting at {@code start}. */
    private static boolean regionEquals(String key, String query, int start) {
        for (int k = 0; k < key.length(); k++) {
            if (key.charAt(k) != DomainPatterns.lower(query.charAt(start + k))) {
                return false;
            }
        }
        return true;
    }

    /** String hashes of similar names differ mostly in low bits; mixing keeps probe chains short. */
    private static int spread(int h) {
        int m = h * 0x9E3779B9;
        return m ^ (m >>> 16);
    }
}
