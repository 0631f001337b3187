package io.sitegate.tunnel.internal.vici;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VICI section: named values, lists and sub-sections, in wire order. A message is its implicit root
 * section. Names are unique within a section (strongSwan's README: "Key names must be unique in the
 * current section, use lists to define multiple values for a key"); a section, a list and a value
 * share that namespace.
 *
 * <p>Immutable. Two sections are equal when they hold the same names in the same order with equal
 * elements, i.e. when they encode to the same bytes.
 */
public final class ViciSection implements ViciElement {

    /** The empty section (and the empty message). */
    public static final ViciSection EMPTY = new ViciSection(new LinkedHashMap<>(), 0);

    private final Map<String, ViciElement> entries;
    private final int depth;

    private ViciSection(LinkedHashMap<String, ViciElement> entries, int depth) {
        this.entries = Collections.unmodifiableMap(entries);
        this.depth = depth;
    }

    /** @return a builder for a new section */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the elements by name, in wire order (unmodifiable) */
    public Map<String, ViciElement> entries() {
        return entries;
    }

    /** @return the names, in wire order */
    public Set<String> names() {
        return entries.keySet();
    }

    /** @return the number of named elements directly in this section */
    public int size() {
        return entries.size();
    }

    /** @return whether the section holds nothing */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * @return how many sections nest below this one (0 when it holds no sub-section)
     */
    public int depth() {
        return depth;
    }

    /**
     * @param name a name
     * @return the element of that name, if any
     */
    public Optional<ViciElement> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * @param name a key
     * @return the value of that key, empty if there is none or the name is a list or a section
     */
    public Optional<ViciValue> value(String name) {
        return entries.get(name) instanceof ViciValue v ? Optional.of(v) : Optional.empty();
    }

    /**
     * @param name a key
     * @return the value of that key as UTF-8 text, empty if there is no such value
     */
    public Optional<String> string(String name) {
        return value(name).map(ViciValue::asString);
    }

    /**
     * @param name a list name
     * @return the list of that name, empty if there is none or the name is not a list
     */
    public Optional<ViciList> list(String name) {
        return entries.get(name) instanceof ViciList l ? Optional.of(l) : Optional.empty();
    }

    /**
     * @param name a section name
     * @return the sub-section of that name, empty if there is none or the name is not a section
     */
    public Optional<ViciSection> section(String name) {
        return entries.get(name) instanceof ViciSection s ? Optional.of(s) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        // Map.equals ignores order; the wire does not
        return o instanceof ViciSection other
                && new ArrayList<>(entries.entrySet()).equals(new ArrayList<>(other.entries.entrySet()));
    }

    @Override
    public int hashCode() {
        return List.copyOf(entries.entrySet()).hashCode();
    }

    /** @return the tree with names and structure; values only as their length (they may be secrets) */
    @Override
    public String toString() {
        return entries.toString();
    }

    /**
     * Collects the elements of a section in order. Refuses, with {@link IllegalArgumentException}, a
     * name that is not printable ASCII or is longer than {@value ViciLimits#MAX_NAME_LENGTH} bytes, a
     * name used twice, and nesting deeper than {@value ViciLimits#MAX_SECTION_DEPTH} sections.
     */
    public static final class Builder {

        private LinkedHashMap<String, ViciElement> entries = new LinkedHashMap<>();
        private int depth;

        private Builder() {
        }

        /**
         * @param key a key
         * @param value its value, UTF-8
         * @return this builder
         */
        public Builder put(String key, String value) {
            return put(key, ViciValue.of(value));
        }

        /**
         * @param key a key
         * @param value its value, copied
         * @return this builder
         */
        public Builder put(String key, byte[] value) {
            return put(key, ViciValue.of(value));
        }

        /**
         * @param name a name
         * @param element its value, list or section
         * @return this builder
         */
        public Builder put(String name, ViciElement element) {
            if (entries == null) {
                throw new IllegalStateException("section already built");
            }
            ViciLimits.checkName(name, "VICI name");
            if (element == null) {
                throw new IllegalArgumentException("VICI element '" + name + "' must not be null");
            }
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException("duplicate VICI name '" + name
                        + "' in one section: names must be unique in a section, use a list for several values");
            }
            if (element instanceof ViciSection s) {
                if (s.depth + 1 > ViciLimits.MAX_SECTION_DEPTH) {
                    throw new IllegalArgumentException("VICI section '" + name + "' nests deeper than "
                            + ViciLimits.MAX_SECTION_DEPTH + " sections");
                }
                depth = Math.max(depth, s.depth + 1);
            }
            entries.put(name, element);
            return this;
        }

        /**
         * @param name a list name
         * @param items its string items, UTF-8
         * @return this builder
         */
        public Builder putList(String name, List<String> items) {
            return put(name, ViciList.ofStrings(items));
        }

        boolean contains(String name) {
            return entries.containsKey(name);
        }

        /**
         * @return the section; the builder must not be used afterwards
         */
        public ViciSection build() {
            ViciSection section = entries.isEmpty() ? EMPTY : new ViciSection(entries, depth);
            entries = null;
            return section;
        }
    }
}
